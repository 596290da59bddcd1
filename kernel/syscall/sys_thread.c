/* System calls on threads of the caller's task. */
#include "syscall/syscall.h"

#include "gdt/gdt.h"
#include "lib/compiler.h"
#include "sched/futex.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "task/task.h"
#include "task/uaccess.h"
#include "uapi/errno.h"
#include "uapi/syscall.h"
#include "uapi/utcb.h"

/* (entry, stack, tls, arg, priority, cpu) -> a capability to the thread */
int32_t sys_thread_create(struct trap_frame *tf)
{
	struct task *task = current_thread()->task;
	uintptr_t entry = SYSCALL_ARG1(tf), stack = SYSCALL_ARG2(tf), tls = SYSCALL_ARG3(tf);
	unsigned priority = SYSCALL_ARG5(tf);
	int cpu = (int)SYSCALL_ARG6(tf);

	if (entry >= USER_TOP || stack >= USER_TOP || tls >= USER_TOP)
		return -EFAULT;
	if (priority > THREAD_PRIORITY_MAX || !syscall_cpu_valid(cpu))
		return -EINVAL;
	if (READ_ONCE(task->live_threads) >= TASK_THREADS_MAX)
		return -EAGAIN;
	int err;
	struct thread *t = thread_create_user(task, task->name, entry, stack, SYSCALL_ARG4(tf),
					      tls, priority, cpu, &err);

	if (!t)
		return err;
	/* The new thread finds its UTCB through its TCB (uapi/utcb.h). */
	if (tls && copy_to_user(tls + TCB_UTCB_WORD * sizeof(uint32_t), &t->utcb_user,
				sizeof(uint32_t))) {
		thread_put(t);
		return -EFAULT;
	}
	int slot = cap_insert(&task->caps, &t->obj, CAP_RIGHT_CONTROL, 0);

	if (slot > 0) {
		int err = task_add_thread(task, t);

		if (err) {
			cap_delete(&task->caps, slot);
			slot = err;
		}
	}
	thread_put(t);
	return slot;
}

int32_t sys_thread_exit(struct trap_frame *tf)
{
	thread_exit((int)SYSCALL_ARG1(tf));
}

/* (thread cap, int *status): waits for the thread, then drops the cap. */
int32_t sys_thread_join(struct trap_frame *tf)
{
	struct task *task = current_thread()->task;
	int slot = (int)SYSCALL_ARG1(tf);
	uintptr_t status_ptr = SYSCALL_ARG2(tf);
	struct cap cap;
	int status = 0;
	int err = cap_get(&task->caps, slot, KOBJ_THREAD, CAP_RIGHT_CONTROL, &cap);

	if (err)
		return err;
	struct thread *t = container_of(cap.object, struct thread, obj);

	err = thread_join(t, &status);
	if (!err && status_ptr && copy_to_user(status_ptr, &status, sizeof(status)))
		err = -EFAULT;
	/* While the join blocked, another thread may have reused the slot. */
	if (!err)
		cap_delete_object(&task->caps, slot, &t->obj);
	thread_put(t);
	return err;
}

int32_t sys_thread_self(struct trap_frame *tf)
{
	(void)tf;
	return (int32_t)current_thread()->tid;
}

int32_t sys_yield(struct trap_frame *tf)
{
	(void)tf;
	sched_yield();
	return 0;
}

int32_t sys_sleep(struct trap_frame *tf)
{
	return sched_sleep_ms(SYSCALL_ARG1(tf));
}

/* (tcb): this thread's TLS base from now on. */
int32_t sys_set_tls(struct trap_frame *tf)
{
	uintptr_t tcb = SYSCALL_ARG1(tf);

	if (tcb >= USER_TOP)
		return -EINVAL;
	if (tcb && copy_to_user(tcb + TCB_UTCB_WORD * sizeof(uint32_t),
				&current_thread()->utcb_user, sizeof(uint32_t)))
		return -EFAULT;
	current_thread()->user_tls = tcb;
	gdt_set_utls_base(tcb);
	/* trap_return reloads %gs from here, refreshing its descriptor. */
	tf->gs = SEL_UTLS;
	return 0;
}

int32_t sys_futex_wait(struct trap_frame *tf)
{
	return futex_wait(SYSCALL_ARG1(tf), SYSCALL_ARG2(tf), SYSCALL_ARG3(tf));
}

int32_t sys_futex_wake(struct trap_frame *tf)
{
	return futex_wake(SYSCALL_ARG1(tf), SYSCALL_ARG2(tf));
}
