/*
 * Barriers: count threads arrive; the last of each round resets the
 * count, bumps cycle (the futex) and wakes the others, who sleep while
 * cycle still has the value it had when they arrived.
 *
 *	arrive: c = cycle; n = ++arrived
 *	  n < count:  sleep while cycle == c                 -> 0
 *	  n == count: arrived = 0; cycle++; wake all         -> SERIAL
 *
 * The reset comes before the bump, so a thread released by the bump and
 * arriving again at once counts in the next round. A barrier must not be
 * destroyed or reused until every thread has returned from its wait.
 */
#include "pthread_internal.h"

#include <errno.h>
#include <limits.h>

#include "locus.h"

int pthread_barrier_init(pthread_barrier_t *barrier, const pthread_barrierattr_t *attr,
			 unsigned count)
{
	(void)attr;
	if (!barrier || count == 0)
		return EINVAL;
	*barrier = (pthread_barrier_t){ .count = count };
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *barrier)
{
	if (!barrier || !barrier->count)
		return EINVAL;
	if (__atomic_load_n(&barrier->arrived, __ATOMIC_RELAXED))
		return EBUSY;
	barrier->count = 0;
	return 0;
}

int pthread_barrier_wait(pthread_barrier_t *barrier)
{
	if (!barrier || !barrier->count)
		return EINVAL;
	uint32_t cycle = __atomic_load_n(&barrier->cycle, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(&barrier->arrived, 1, __ATOMIC_ACQ_REL) == barrier->count) {
		__atomic_store_n(&barrier->arrived, 0, __ATOMIC_RELAXED);
		__atomic_add_fetch(&barrier->cycle, 1, __ATOMIC_RELEASE);
		futex_wake(&barrier->cycle, INT_MAX);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	while (__atomic_load_n(&barrier->cycle, __ATOMIC_ACQUIRE) == cycle)
		futex_wait(&barrier->cycle, cycle, 0);
	return 0;
}

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
	return attr ? 0 : EINVAL;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
	return attr ? 0 : EINVAL;
}
