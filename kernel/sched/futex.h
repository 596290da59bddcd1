/*
 * Futexes: the sleeping half of user-level locks. A user thread that
 * finds a lock word busy asks the kernel to sleep while the word still
 * has the value it saw; the thread that releases the lock wakes sleepers
 * on that word. An uncontended lock never enters the kernel.
 */
#ifndef LOCUS_SCHED_FUTEX_H
#define LOCUS_SCHED_FUTEX_H

#include <stdint.h>

/* Boot core: sets up the wait queues. */
void futex_init(void);

/* Sleeps while the caller's word at addr equals expected (checked under
 * the queue's lock, so a wake cannot slip in between). timeout_ms 0 means
 * none. 0 when woken, -EAGAIN if the word differed, -ETIMEDOUT, -EINTR,
 * -EFAULT, or -EINVAL for a misaligned address. */
int futex_wait(uintptr_t addr, uint32_t expected, uint32_t timeout_ms);

/* Wakes up to count threads of the caller's task sleeping on addr;
 * returns how many. */
int futex_wake(uintptr_t addr, uint32_t count);

#endif
