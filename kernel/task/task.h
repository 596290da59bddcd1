/*
 * Tasks: an address space (the kernel half shared by all) plus a
 * capability table, and the threads that run in it. A task ends when its
 * last thread has exited and been switched out: then its memory returns
 * to the frame allocator, its capabilities are dropped, and those waiting
 * for it learn its exit status.
 */
#ifndef LOCUS_TASK_TASK_H
#define LOCUS_TASK_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "cap/cap_table.h"
#include "ipc/utcb.h"
#include "lib/list.h"
#include "mm/paging.h"
#include "smp/spinlock.h"
#include "trap/trap_frame_i386.h"

#define TASK_NAME_MAX 32
#define TASK_EXIT_FAULT_BASE 128	/* a task killed by exception v exits with 128 + v */
#define TASK_EXIT_KILLED 137		/* killed by another task (like SIGKILL) */

struct thread;

/* The task's UTCB area (ipc/utcb.c). */
struct task_utcbs {
	/* Protects the fields below; taken before the address space's lock. */
	struct spinlock lock;
	uint32_t used[UTCB_TASK_SLOTS / 32];
	uint8_t page_users[UTCB_TASK_SLOTS / UTCBS_PER_PAGE];
	uint32_t frames[UTCB_TASK_SLOTS / UTCBS_PER_PAGE];
	unsigned count;
	bool gone;			/* the address space is being destroyed */
};

enum task_state {
	TASK_RUNNING,
	TASK_DYING,	/* exiting or killed: its threads leave at their next chance */
	TASK_DEAD,	/* every thread is gone and its resources are freed */
};

struct task {
	struct kobject obj;
	uint32_t id;
	char name[TASK_NAME_MAX];
	struct address_space space;
	struct cap_table caps;
	struct task_utcbs utcbs;

	/* Protects the fields below. */
	struct spinlock lock;
	enum task_state state;
	int exit_status;
	struct list_node threads;	/* not yet reaped */
	unsigned live_threads;		/* not yet exited */
	unsigned unreleased_threads;	/* whose memory is not yet freed */
	bool torn_down;			/* memory and capabilities released */
	struct list_node waiters;	/* threads in task_wait, by wait_node */
	uint32_t pages_mapped;		/* user pages it holds (for its quota) */
	uint32_t page_quota;
	uintptr_t map_hint;		/* where mem_map looks first */

	struct list_node all_node;	/* in the list of all tasks */
};

/*
 * Starts the boot module `name` as a new task: its ELF image loaded, a
 * main thread with a stack holding argc/argv (argv[0] = name, then the
 * space-separated words of args), and copies of caps[0 .. ncaps) in its
 * capability slots dest[0 ..) (dest NULL: slots 1 .. ncaps). Returns the
 * task (with a reference for the caller) or NULL with *err = -ENOENT (no
 * such module), -ENOEXEC (malformed; the kernel prints why), -ENOMEM, or
 * -EBADF / -EEXIST for a bad destination slot.
 */
struct task *task_spawn(const char *name, const char *args, int cpu, const struct cap *caps,
			const int *dest, unsigned ncaps, int *err);

/* Ends every thread of the task with this status (the first status set
 * wins). */
void task_kill(struct task *task, int status);

/* Waits until the task is dead; returns 0 with its exit status, or
 * -EINTR if the waiting thread's own task is dying. */
int task_wait(struct task *task, int *status);

/* Called by a thread of the task as it exits, and once it is reaped:
 * task_thread_reaped says whether it was the task's last thread, after
 * which the caller must call task_teardown. */
void task_thread_exiting(struct thread *t);
bool task_thread_reaped(struct thread *t);

/*
 * Frees what a task holds (memory, capabilities). The task is dead, and
 * its waiters wake, once that is done and every one of its threads has
 * been freed too (task_thread_released), whichever comes last: a waiter
 * then finds all of the task's memory returned.
 */
void task_teardown(struct task *task);

/* A thread object of the task was created / has been freed. */
void task_thread_created(struct task *task);
void task_thread_released(struct task *task);

/* Adds a new thread to the task and starts it; -EAGAIN if the task is
 * dying. */
int task_add_thread(struct task *task, struct thread *t);

static inline void task_get(struct task *task)
{
	kobject_get(&task->obj);
}

static inline void task_put(struct task *task)
{
	kobject_put(&task->obj);
}

/* Calls fn for every task (for listings); fn must not block. */
void task_for_each(void (*fn)(struct task *task, void *ctx), void *ctx);

#endif
