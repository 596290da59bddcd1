/*
 * The scheduler: one run queue per core, a cpu-local, with fixed
 * priorities (a bitmap of non-empty levels, the highest first) and round
 * robin within a level. An idle core takes work from a busy one; waking a
 * thread that belongs to another core sends that core a reschedule IPI.
 * There is no global scheduler lock.
 *
 * The kernel is not preemptible: a thread switches only when it blocks,
 * yields or exits, or when it is about to return to user mode and its
 * time slice is over or a more important thread became runnable.
 */
#ifndef LOCUS_SCHED_SCHED_H
#define LOCUS_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "sched/thread.h"
#include "smp/spinlock.h"

#define SLICE_TICKS 2	/* 20 ms at TIMER_HZ = 100 */

/* Boot core, then each application core: this core's run queue, with the
 * code running now becoming its idle thread. */
void sched_init_this_cpu(void);

/* The idle thread's loop: run what there is, steal, or halt. */
__noreturn void sched_idle_loop(void);

/* Picks a core for a new thread (its affinity, else the least loaded). */
unsigned sched_choose_cpu(int affinity);

/* Puts a new or woken thread on its core's run queue. */
void sched_enqueue_new(struct thread *t);

/*
 * Blocks the current thread. The caller has recorded it as a waiter under
 * `held` (a spinlock it holds, interrupts off) so that a waker can find
 * it; sched_block marks it blocked, releases `held` and switches away.
 * Returns the result passed to sched_wake, or -EINTR at once if the
 * thread's task is being killed (as every way of blocking does): the
 * caller then still is on its wait queue and takes itself off.
 */
int sched_block(struct spinlock *held);

/* sched_block that also ends, with -ETIMEDOUT, after ms milliseconds. */
int sched_block_timeout(struct spinlock *held, uint32_t ms);

/*
 * The two halves of sched_block, for callers registered as waiters under
 * more than one lock: sched_prepare_block marks the current thread
 * blocked (call it under the lock the waker will take); sched_wait, once
 * every lock is released (interrupts still off), switches away and
 * returns the wake-up result.
 */
void sched_prepare_block(void);
int sched_wait(void);

/* Wakes t if it is blocked, with a result for sched_block to return.
 * Returns whether it did. */
bool sched_wake(struct thread *t, int result);

/*
 * The IPC fast path's direct switch, in two steps, so that the caller can
 * check everything before it changes anything. sched_direct_lock takes
 * this core's run-queue lock and checks that next is blocked on this core,
 * that nothing more important waits here, that no switch is due, and that
 * the current thread's task is not being killed (it must not sleep then:
 * the full path's sched_wait returns -EINTR at once). It returns false
 * with the lock released, or true with it held (interrupts off). The
 * caller, its other locks released and the current thread marked blocked
 * (sched_prepare_block), then calls sched_direct_switch, which runs next
 * on what is left of the current thread's time slice, with wake-up result
 * 0, and returns the current thread's own wake-up result once it runs
 * again. No reference passes: next, blocked on this core, cannot exit and
 * go away while the run-queue lock is held.
 */
bool sched_direct_lock(const struct thread *next);
int sched_direct_switch(struct thread *next);
/* Marks the current thread dead and switches away for good (thread_exit). */
__noreturn void sched_exit_current(void);

/* Gives the core to another runnable thread of at least equal priority. */
void sched_yield(void);

/* Sleeps for at least ms milliseconds (to the next tick boundary).
 * Returns 0, or the result of an earlier wake (-EINTR when killed). */
int sched_sleep_ms(uint32_t ms);

/* Called by each core's timer tick: time slices and sleepers. */
void sched_tick(void);

/* The reschedule IPI arrived: switch at the next chance. */
void sched_reschedule_requested(void);

/* Set when this core should switch threads before returning to user
 * mode; read on every return (sched_need_resched), so not behind a call. */
extern CPU_LOCAL bool sched_resched_due;

static inline bool sched_need_resched(void)
{
	return sched_resched_due;
}
/* Switches if sched_need_resched (interrupts off, no lock held). */
void sched_preempt(void);

/* Statistics of one core's scheduler (read without its lock). */
struct sched_stats {
	uint32_t queued;
	uint32_t running_tid;	/* the idle thread's tid when idle */
	uint32_t switches;
	uint32_t steals;	/* threads it took from other cores */
	uint32_t idle_ticks;
};

void sched_cpu_stats(unsigned cpu, struct sched_stats *stats);

#endif
