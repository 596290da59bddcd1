/*
 * Task lifetime: spawn, threads coming and going, kill, wait, teardown.
 *
 * References to a task: the spawner's (usually turned into a capability),
 * one per thread of the task, and the task's own while it is not yet
 * dead, dropped by task_teardown.
 */
#include "task/task.h"

#include "boot/boot_info.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "ipc/utcb.h"
#include "sched/thread.h"
#include "smp/ipi.h"
#include "task/elf.h"
#include "task/loader.h"
#include "task/task_memory.h"
#include "uapi/errno.h"

/* Protects all_tasks and next_task_id (spawn, teardown, listings). */
static struct spinlock tasks_lock = SPINLOCK_INIT("task list");
static struct list_node all_tasks = LIST_HEAD_INIT(all_tasks);
static uint32_t next_task_id = 1;

static void task_release(struct kobject *o)
{
	kfree(container_of(o, struct task, obj));
}

static const struct kobject_ops task_ops = { .release = task_release };

static struct task *task_create(const char *name)
{
	struct task *task = kzalloc(sizeof(*task));

	if (!task)
		return NULL;
	if (address_space_create(&task->space) < 0) {
		kfree(task);
		return NULL;
	}
	kobject_init(&task->obj, KOBJ_TASK, &task_ops);
	strlcpy(task->name, name, sizeof(task->name));
	cap_table_init(&task->caps);
	spin_init(&task->lock, "task");
	spin_init(&task->utcbs.lock, "utcb area");
	list_init(&task->threads);
	list_init(&task->waiters);
	task_memory_init(task);

	spin_lock(&tasks_lock);
	task->id = next_task_id++;
	list_push_back(&all_tasks, &task->all_node);
	spin_unlock(&tasks_lock);
	task_get(task);	/* the task's own reference while alive */
	return task;
}

/* The end: dead, waiters woken, off the list, the own reference gone. */
static void task_finish(struct task *task)
{
	spin_lock(&task->lock);
	task->state = TASK_DEAD;
	while (!list_empty(&task->waiters)) {
		struct thread *w = list_entry(list_pop_front(&task->waiters), struct thread,
					      wait_node);

		sched_wake(w, 0);
	}
	spin_unlock(&task->lock);

	spin_lock(&tasks_lock);
	list_remove(&task->all_node);
	spin_unlock(&tasks_lock);
	task_put(task);
}

void task_teardown(struct task *task)
{
	utcb_area_release(task);
	task_memory_release(task);
	cap_table_clear(&task->caps);

	spin_lock(&task->lock);
	task->torn_down = true;
	bool finished = task->unreleased_threads == 0;

	spin_unlock(&task->lock);
	if (finished)
		task_finish(task);
}

void task_thread_created(struct task *task)
{
	spin_lock(&task->lock);
	task->unreleased_threads++;
	spin_unlock(&task->lock);
	task_get(task);	/* the thread's, dropped when the thread is freed */
}

void task_thread_released(struct task *task)
{
	spin_lock(&task->lock);
	bool finished = --task->unreleased_threads == 0 && task->torn_down;

	spin_unlock(&task->lock);
	if (finished)
		task_finish(task);
}

struct task *task_spawn(const char *name, const char *args, int cpu, const struct cap *caps,
			const int *dest, unsigned ncaps, int *err)
{
	const struct boot_module *m = boot_module_find(name);
	struct elf_image_info info;
	const char *why;

	if (!m) {
		*err = -ENOENT;
		return NULL;
	}
	const void *image = phys_to_virt(m->phys_start);
	size_t size = m->phys_end - m->phys_start;

	if (elf_check(image, size, USER_BASE, USER_STACK_TOP - USER_STACK_AREA_SIZE, &info,
		      &why) < 0) {
		kprintf("task: module '%s' refused: %s\n", name, why);
		*err = -ENOEXEC;
		return NULL;
	}
	struct task *task = task_create(name);

	if (!task) {
		*err = -ENOMEM;
		return NULL;
	}
	uintptr_t esp;
	struct thread *main_thread = NULL;

	*err = loader_load_image(task, image, &info);
	if (!*err)
		*err = loader_build_stack(task, name, args, &esp);
	for (unsigned i = 0; i < ncaps && !*err; i++) {
		int slot = cap_insert_at(&task->caps, dest ? dest[i] : (int)i + 1, caps[i].object,
					 caps[i].rights, caps[i].badge);

		if (slot < 0)
			*err = slot;
	}
	if (!*err) {
		main_thread = thread_create_user(task, name, info.entry, esp, 0, 0,
						 THREAD_PRIORITY_DEFAULT, cpu, err);
	}
	if (*err) {
		task->state = TASK_DYING;
		task_teardown(task);
		task_put(task);
		return NULL;
	}
	task_add_thread(task, main_thread);
	thread_put(main_thread);
	return task;
}

int task_add_thread(struct task *task, struct thread *t)
{
	spin_lock(&task->lock);
	if (task->state != TASK_RUNNING) {
		spin_unlock(&task->lock);
		return -EAGAIN;
	}
	list_push_back(&task->threads, &t->task_node);
	task->live_threads++;
	spin_unlock(&task->lock);
	thread_start(t);
	return 0;
}

void task_thread_exiting(struct thread *t)
{
	struct task *task = t->task;

	spin_lock(&task->lock);
	task->live_threads--;
	if (task->live_threads == 0 && task->state == TASK_RUNNING) {
		/* The last thread ending on its own gives the task its status. */
		task->state = TASK_DYING;
		task->exit_status = t->exit_status;
	}
	spin_unlock(&task->lock);
}

bool task_thread_reaped(struct thread *t)
{
	struct task *task = t->task;

	spin_lock(&task->lock);
	list_remove(&t->task_node);
	bool last = list_empty(&task->threads) && task->live_threads == 0;

	spin_unlock(&task->lock);
	return last;
}

void task_kill(struct task *task, int status)
{
	spin_lock(&task->lock);
	if (task->state != TASK_RUNNING) {
		spin_unlock(&task->lock);
		return;
	}
	task->state = TASK_DYING;
	task->exit_status = status;

	struct list_node *pos;

	/* Blocked threads wake with -EINTR and leave on their way out of the
	 * kernel; running ones are interrupted so that they notice, and the
	 * scheduler no longer lets them block (killed_while_blocking). */
	list_for_each(pos, &task->threads) {
		struct thread *t = list_entry(pos, struct thread, task_node);

		if (!sched_wake(t, -EINTR) && READ_ONCE(t->on_cpu))
			smp_send_reschedule(READ_ONCE(t->cpu));
	}
	spin_unlock(&task->lock);
}

int task_wait(struct task *task, int *status)
{
	struct thread *me = current_thread();

	if (me->task == task)
		return -EDEADLK;
	bool irq = irq_save();

	spin_lock(&task->lock);
	while (task->state != TASK_DEAD) {
		list_push_back(&task->waiters, &me->wait_node);
		int woke = sched_block(&task->lock);

		spin_lock(&task->lock);
		if (list_linked(&me->wait_node))
			list_remove(&me->wait_node);
		if (woke == -EINTR) {
			spin_unlock(&task->lock);
			irq_restore(irq);
			return -EINTR;
		}
	}
	*status = task->exit_status;
	spin_unlock(&task->lock);
	irq_restore(irq);
	return 0;
}

void task_for_each(void (*fn)(struct task *task, void *ctx), void *ctx)
{
	struct list_node *pos;

	spin_lock(&tasks_lock);
	list_for_each(pos, &all_tasks)
		fn(list_entry(pos, struct task, all_node), ctx);
	spin_unlock(&tasks_lock);
}
