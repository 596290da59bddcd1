/*
 * Thread objects: creation (one allocation for the struct and its kernel
 * stack, with a guard page), the initial stack each kind of thread starts
 * from, exit, join, and freeing the memory once nothing refers to it.
 *
 * References: the creator gets one; a started thread holds one on itself
 * until it is dead and switched out (sched_finish_switch drops it through
 * thread_reap); each capability naming it holds one.
 */
#include "sched/thread.h"

#include "gdt/selectors.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "ipc/ipc.h"
#include "ipc/utcb.h"
#include "sched/sched.h"
#include "task/task.h"
#include "uapi/errno.h"

extern void thread_first_run(void);

#define EFLAGS_RESERVED 0x2

static uint32_t next_tid = 1;

/* The struct sits in the last page of its stack (thread_alloc). */
_Static_assert(sizeof(struct thread) + 16 <= PAGE_SIZE, "struct thread outgrew its page");

static void *stack_of(struct thread *t)
{
	return (void *)(ALIGN_DOWN((uintptr_t)t, PAGE_SIZE) - (KSTACK_PAGES - 1) * PAGE_SIZE);
}

static void thread_release(struct kobject *o)
{
	struct thread *t = container_of(o, struct thread, obj);

	struct task *task = t->task;

	KASSERT(t->state == THREAD_DEAD || t->state == THREAD_NEW);
	KASSERT(!t->on_cpu);
	/* A thread that ran gave its UTCB back in thread_exit. */
	if (task && t->state == THREAD_NEW)
		utcb_free(task, t->utcb_user);
	kstack_free(stack_of(t));
	if (task) {
		task_thread_released(task);
		task_put(task);
	}
}

static const struct kobject_ops thread_ops = { .release = thread_release };

uint32_t threads_live(void)
{
	return kobject_live(KOBJ_THREAD);
}

/* The allocation: guard page, stack, and the struct at the very top (a
 * reused stack is not zeroed: the struct is, below). */
static struct thread *thread_alloc(const char *name, unsigned priority, int cpu)
{
	uint8_t *stack = kstack_alloc();

	if (!stack)
		return NULL;
	uintptr_t top = (uintptr_t)stack + KSTACK_PAGES * PAGE_SIZE;
	struct thread *t = (struct thread *)ALIGN_DOWN(top - sizeof(struct thread), 16);

	memset(t, 0, sizeof(*t));
	kobject_init(&t->obj, KOBJ_THREAD, &thread_ops);
	t->tid = __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED);
	strlcpy(t->name, name, sizeof(t->name));
	t->state = THREAD_NEW;
	t->priority = (uint8_t)MIN(priority, (unsigned)THREAD_PRIORITY_MAX);
	t->affinity = (int8_t)(cpu >= 0 && cpu < MAX_CPUS ? cpu : THREAD_ANY_CPU);
	t->cpu = (uint8_t)sched_choose_cpu(t->affinity);
	t->kstack_top = (uintptr_t)t;
	list_init(&t->rq_node);
	list_init(&t->sleep_node);
	list_init(&t->task_node);
	list_init(&t->wait_node);
	spin_init(&t->join_lock, "thread join");
	spin_init(&t->ipc_lock, "thread ipc");
	return t;
}

/* What context_switch pops the first time: see thread_first_run. */
static void push_first_switch_frame(struct thread *t, uint32_t *sp, uint32_t ebx, uint32_t esi)
{
	*--sp = (uint32_t)thread_first_run;	/* return address */
	*--sp = 0;				/* ebp: ends backtraces */
	*--sp = ebx;
	*--sp = esi;
	*--sp = 0;				/* edi */
	t->esp = (uint32_t)sp;
}

struct thread *thread_create_kernel(const char *name, int (*entry)(void *arg), void *arg,
				    unsigned priority, int cpu)
{
	struct thread *t = thread_alloc(name, priority, cpu);

	if (!t)
		return NULL;
	push_first_switch_frame(t, (uint32_t *)t->kstack_top, (uint32_t)entry, (uint32_t)arg);
	return t;
}

struct thread *thread_create_user(struct task *task, const char *name, uintptr_t eip,
				  uintptr_t esp, uintptr_t arg, uintptr_t tls, unsigned priority,
				  int cpu, int *err)
{
	struct thread *t = thread_alloc(name, priority, cpu);

	*err = -ENOMEM;
	if (!t)
		return NULL;
	*err = utcb_alloc(task, &t->utcb, &t->utcb_user);
	if (*err) {
		thread_put(t);
		return NULL;
	}
	struct trap_frame *tf = (struct trap_frame *)(t->kstack_top - sizeof(*tf));

	*tf = (struct trap_frame){
		.eax = arg,
		.gs = tls ? SEL_UTLS : 0,
		.fs = 0,
		.es = SEL_USER_DATA,
		.ds = SEL_USER_DATA,
		.eip = eip,
		.cs = SEL_USER_CODE,
		.eflags = EFLAGS_IF | EFLAGS_RESERVED,
		.user_esp = esp,
		.user_ss = SEL_USER_DATA,
	};
	t->task = task;
	task_thread_created(task);
	t->user_tls = tls;
	t->user_frame = tf;
	push_first_switch_frame(t, (uint32_t *)tf, 0, 0);
	return t;
}

void thread_start(struct thread *t)
{
	KASSERT(t->state == THREAD_NEW);
	thread_get(t);	/* the running thread's own reference */
	sched_enqueue_new(t);
}

void thread_exit(int status)
{
	struct thread *t = current_thread();

	cli();
	t->exit_status = status;
	if (t->task) {
		ipc_thread_exit(t);
		/* Out of every IPC now, so no one writes the UTCB again. Its
		 * slot is free before the thread stops counting against the
		 * task's limit and before the joiner wakes: a thread joined
		 * can be replaced at once. */
		utcb_free(t->task, t->utcb_user);
		task_thread_exiting(t);
	}
	spin_lock(&t->join_lock);
	t->exited = true;
	struct thread *joiner = t->joiner;

	t->joiner = NULL;
	spin_unlock(&t->join_lock);
	if (joiner)
		sched_wake(joiner, 0);
	sched_exit_current();
}

int thread_join(struct thread *t, int *status)
{
	if (t == current_thread())
		return -EDEADLK;
	bool irq = irq_save();
	int err = 0;

	spin_lock(&t->join_lock);
	if (!t->exited) {
		if (t->joiner) {
			spin_unlock(&t->join_lock);
			irq_restore(irq);
			return -EBUSY;
		}
		t->joiner = current_thread();
		sched_block(&t->join_lock);
		spin_lock(&t->join_lock);
		if (!t->exited) {
			/* Woken for another reason: the joiner is being killed. */
			t->joiner = NULL;
			err = -EINTR;
		}
	}
	if (!err && status)
		*status = t->exit_status;
	spin_unlock(&t->join_lock);
	irq_restore(irq);
	return err;
}

void thread_reap(struct thread *t)
{
	struct task *task = t->task;
	bool last = task && task_thread_reaped(t);

	/* Free the thread first: those waiting for the task must find all
	 * its memory returned when they wake. */
	if (last)
		task_get(task);
	thread_put(t);
	if (last) {
		task_teardown(task);
		task_put(task);
	}
}
