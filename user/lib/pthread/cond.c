/*
 * Condition variables: a sequence number is the futex. A waiter reads it
 * while still holding the mutex and sleeps only while it is unchanged;
 * signal and broadcast bump it before waking, so a signal that falls
 * between the waiter's unlock and its sleep makes the sleep return at
 * once instead of being lost. cond_wait.c has the waiting side.
 */
#include "pthread_internal.h"

#include <errno.h>
#include <limits.h>

#include "locus.h"

static bool clock_valid(int clock)
{
	return clock == CLOCK_MONOTONIC || clock == CLOCK_REALTIME;
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
	int clock = attr ? attr->clock : CLOCK_MONOTONIC;

	if (!cond || !clock_valid(clock))
		return EINVAL;
	*cond = (pthread_cond_t){ .clock = clock };
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
	if (!cond)
		return EINVAL;
	if (__atomic_load_n(&cond->waiters, __ATOMIC_RELAXED))
		return EBUSY;
	return 0;
}

/* Only when someone is inside a wait does it cost a system call. The
 * waiter counts itself before reading seq, and we bump seq before
 * reading the count (both sequentially consistent): either we see it
 * or it sees our new seq. */
static int wake(pthread_cond_t *cond, unsigned count)
{
	if (!cond)
		return EINVAL;
	__atomic_add_fetch(&cond->seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&cond->waiters, __ATOMIC_SEQ_CST))
		futex_wake(&cond->seq, count);
	return 0;
}

int pthread_cond_signal(pthread_cond_t *cond)
{
	return wake(cond, 1);
}

/* Wakes them all; they then queue up on the mutex one after the other. */
int pthread_cond_broadcast(pthread_cond_t *cond)
{
	return wake(cond, INT_MAX);
}
