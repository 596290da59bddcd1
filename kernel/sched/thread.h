/*
 * Threads. A thread's struct and its kernel stack come from one
 * allocation in the kernel virtual area, with an unmapped guard page
 * below the stack:
 *
 *   guard page | kernel stack (grows down)  ...  | struct thread
 *   (unmapped) |<------------- KSTACK_PAGES pages --------------->|
 *
 * so a kernel stack overflow hits the guard page (a double fault, which
 * panics naming the thread) instead of corrupting a neighbour. Freed
 * stacks are kept for reuse (sched/kstack.c).
 */
#ifndef LOCUS_SCHED_THREAD_H
#define LOCUS_SCHED_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "cap/object.h"
#include "cpu_locals/cpu_locals.h"
#include "lib/list.h"
#include "sched/kstack.h"
#include "smp/spinlock.h"
#include "trap/trap_frame_i386.h"

#define THREAD_NAME_MAX 24
#define THREAD_PRIORITIES 32
#define THREAD_PRIORITY_DEFAULT 10
#define THREAD_PRIORITY_MAX (THREAD_PRIORITIES - 1)
#define THREAD_ANY_CPU (-1)

struct task;

enum thread_state {
	THREAD_NEW,		/* created, never run */
	THREAD_RUNNABLE,	/* waiting in a run queue */
	THREAD_RUNNING,		/* on a core */
	THREAD_BLOCKED,		/* waiting for an event (sched_block) */
	THREAD_DEAD,		/* exited; freed when the last reference goes */
};

struct thread {
	struct kobject obj;
	uint32_t tid;
	char name[THREAD_NAME_MAX];

	/* Scheduling: protected by the run-queue lock of the core `cpu`. */
	enum thread_state state;
	uint8_t priority;
	int8_t affinity;		/* a core, or THREAD_ANY_CPU */
	uint8_t cpu;			/* the core whose run queue it belongs to */
	bool on_cpu;			/* executing, or not yet switched out */
	struct list_node rq_node;	/* in a run-queue level */
	struct list_node sleep_node;	/* in its core's sleepers, while sleeping */
	uint64_t wake_tick;
	int timeout_result;		/* wait_result when the tick wakes it */
	uint32_t slice_left;		/* ticks before it yields its core */
	int wait_result;		/* what woke it (sched_wake) */

	/* Saved context while switched out (switch_i386.asm). */
	uint32_t esp;
	uintptr_t kstack_top;

	/* User threads: the task, and the TCB its UTLS segment points at. */
	struct task *task;
	struct list_node task_node;	/* in task->threads */
	struct list_node wait_node;	/* in a wait list (task_wait, IPC queues) */
	uintptr_t user_tls;
	struct trap_frame *user_frame;	/* at the top of its kernel stack */
	struct utcb *utcb;		/* kernel view of its UTCB (IPC) */
	uintptr_t utcb_user;		/* user address of its UTCB */

	/* Futex waits (sched/futex.c): the word waited on, protected by its
	 * bucket's lock while queued there. */
	struct task *futex_task;
	uintptr_t futex_addr;

	/* IPC (ipc/endpoint.c). While queued on an endpoint: protected by
	 * that endpoint's lock. */
	struct endpoint *ipc_endpoint;
	uint32_t ipc_badge;
	uint8_t ipc_flags;
	/* The reply link between a server and the caller it must answer:
	 * both fields are protected by the server's ipc_lock; the server
	 * holds a reference on the caller while reply_to is set, and the
	 * caller one on the server (reply_server) for the whole call. */
	struct spinlock ipc_lock;
	struct thread *reply_to;
	struct thread *reply_from;
	struct thread *reply_server;

	/* Exit and join: protected by join_lock. */
	struct spinlock join_lock;
	int exit_status;
	bool exited;
	struct thread *joiner;

	/* Statistics. */
	uint64_t ticks_run;
	uint32_t switches;
};

/* The thread running on this core. */
extern CPU_LOCAL struct thread *current_thread_slot;

static inline struct thread *current_thread(void)
{
	return current_thread_slot;
}

/*
 * A kernel thread running entry(arg); it exits with entry's return value.
 * The caller holds one reference (for thread_join or thread_put). cpu is
 * a core or THREAD_ANY_CPU. NULL without memory.
 */
struct thread *thread_create_kernel(const char *name, int (*entry)(void *arg), void *arg,
				    unsigned priority, int cpu);

/*
 * A user thread of task, entering ring 3 at eip with stack esp, eax = arg
 * and its UTLS base = tls, with a UTCB of its own. Not yet runnable:
 * start it with thread_start. NULL with *err = -ENOMEM or -ENOSPC (no
 * UTCB slot left).
 */
struct thread *thread_create_user(struct task *task, const char *name, uintptr_t eip,
				  uintptr_t esp, uintptr_t arg, uintptr_t tls, unsigned priority,
				  int cpu, int *err);

/* Makes a new thread runnable on its chosen core. */
void thread_start(struct thread *t);

/* Ends the calling thread. */
__noreturn void thread_exit(int status);

/* Waits until t has exited (its UTCB slot is free again); returns its
 * status. One joiner at a time: -EBUSY if another is joining, -EDEADLK
 * for the caller itself. */
int thread_join(struct thread *t, int *status);

/* Drops the reference a dead thread held on itself, once it is switched
 * out for good (the scheduler calls it); tells its task. */
void thread_reap(struct thread *t);

static inline void thread_get(struct thread *t)
{
	kobject_get(&t->obj);
}

static inline void thread_put(struct thread *t)
{
	kobject_put(&t->obj);
}

/* Threads created and not yet freed. */
uint32_t threads_live(void);

#endif
