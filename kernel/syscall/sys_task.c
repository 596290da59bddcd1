/* System calls on tasks and capabilities. */
#include "syscall/syscall.h"

#include "lib/compiler.h"
#include "sched/thread.h"
#include "task/task.h"
#include "task/uaccess.h"
#include "uapi/errno.h"
#include "uapi/syscall.h"

/* (struct spawn_request *) -> a capability to the new task */
int32_t sys_task_spawn(struct trap_frame *tf)
{
	struct task *me = current_thread()->task;
	struct spawn_request req;
	char name[SPAWN_NAME_MAX];
	char args[SPAWN_ARGS_MAX] = "";
	struct cap caps[SPAWN_CAPS_MAX];
	int err = copy_from_user(&req, SYSCALL_ARG1(tf), sizeof(req));

	if (err)
		return err;
	err = string_from_user(name, (uintptr_t)req.name, sizeof(name));
	if (err >= 0 && req.args)
		err = string_from_user(args, (uintptr_t)req.args, sizeof(args));
	if (err < 0)
		return err;
	if (req.cap_count > SPAWN_CAPS_MAX)
		return -E2BIG;
	if (!syscall_cpu_valid(req.cpu))
		return -EINVAL;
	for (unsigned i = 0; i < req.cap_count; i++) {
		err = cap_get(&me->caps, req.caps[i], KOBJ_NONE, 0, &caps[i]);
		if (err) {
			while (i--)
				kobject_put(caps[i].object);
			return err;
		}
	}
	int dest[SPAWN_CAPS_MAX];

	for (unsigned i = 0; i < req.cap_count; i++)
		dest[i] = req.cap_dest[i] ? req.cap_dest[i] : (int)i + 1;
	struct task *child = task_spawn(name, args, req.cpu, caps, dest, req.cap_count, &err);

	for (unsigned i = 0; i < req.cap_count; i++)
		kobject_put(caps[i].object);
	if (!child)
		return err;
	int slot = cap_insert(&me->caps, &child->obj, CAP_RIGHT_CONTROL, 0);

	if (slot < 0)
		task_kill(child, TASK_EXIT_KILLED);
	task_put(child);
	return slot;
}

int32_t sys_task_exit(struct trap_frame *tf)
{
	int status = (int)SYSCALL_ARG1(tf);

	task_kill(current_thread()->task, status);
	thread_exit(status);
}

/* (task cap, int *status): waits for the task to end, then drops the cap. */
int32_t sys_task_wait(struct trap_frame *tf)
{
	struct task *me = current_thread()->task;
	int slot = (int)SYSCALL_ARG1(tf);
	struct cap cap;
	int status = 0;
	int err = cap_get(&me->caps, slot, KOBJ_TASK, CAP_RIGHT_CONTROL, &cap);

	if (err)
		return err;
	err = task_wait(container_of(cap.object, struct task, obj), &status);
	if (!err && SYSCALL_ARG2(tf) && copy_to_user(SYSCALL_ARG2(tf), &status, sizeof(status)))
		err = -EFAULT;
	/* While the wait blocked, another thread may have reused the slot. */
	if (!err)
		cap_delete_object(&me->caps, slot, cap.object);
	kobject_put(cap.object);
	return err;
}

int32_t sys_task_kill(struct trap_frame *tf)
{
	struct cap cap;
	int err = cap_get(&current_thread()->task->caps, (int)SYSCALL_ARG1(tf), KOBJ_TASK,
			  CAP_RIGHT_CONTROL, &cap);

	if (err)
		return err;
	task_kill(container_of(cap.object, struct task, obj), TASK_EXIT_KILLED);
	kobject_put(cap.object);
	return 0;
}

int32_t sys_cap_delete(struct trap_frame *tf)
{
	return cap_delete(&current_thread()->task->caps, (int)SYSCALL_ARG1(tf));
}
