/*
 * pthread_cond_wait and pthread_cond_timedwait. futex_wait takes a
 * relative timeout in milliseconds which the kernel rounds to its 10 ms
 * ticks, and may end a little early: the deadline is checked against the
 * clock again, and the wait resumed until it has really passed.
 */
#include "pthread_internal.h"

#include <errno.h>

#include "locus.h"

#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_MSEC 1000000ull
/* Longer waits are done in pieces (the remainder is recomputed). */
#define WAIT_PIECE_MS (3600u * 1000)

/* Milliseconds from now to the deadline, rounded up; 0 once it passed. */
static unsigned ms_until(const struct timespec *deadline)
{
	uint64_t now = clock_ns(), end;

	if (deadline->tv_sec < 0)
		return 0;
	if ((uint64_t)deadline->tv_sec >= UINT64_MAX / NSEC_PER_SEC - 1)
		return WAIT_PIECE_MS;		/* practically never */
	end = (uint64_t)deadline->tv_sec * NSEC_PER_SEC + (uint64_t)deadline->tv_nsec;
	if (end <= now)
		return 0;
	uint64_t ms = (end - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;

	return ms > WAIT_PIECE_MS ? WAIT_PIECE_MS : (unsigned)ms;
}

static int cond_wait(pthread_cond_t *cond, pthread_mutex_t *m, const struct timespec *deadline)
{
	int err = 0;

	if (!cond || !m)
		return EINVAL;
	if (deadline && (deadline->tv_nsec < 0 || (uint64_t)deadline->tv_nsec >= NSEC_PER_SEC))
		return EINVAL;
	if (__atomic_load_n(&m->owner, __ATOMIC_RELAXED) != pthread_self())
		return EPERM;

	/* Counted and seq read while the mutex is held: any signal that
	 * matters comes after (its sender needed the mutex to change the
	 * predicate we just found false). */
	__atomic_add_fetch(&cond->waiters, 1, __ATOMIC_SEQ_CST);
	uint32_t seq = __atomic_load_n(&cond->seq, __ATOMIC_SEQ_CST);
	unsigned count = pthread_mutex_release(m);

	for (;;) {
		unsigned ms = 0;

		if (deadline) {
			ms = ms_until(deadline);
			if (!ms) {
				err = ETIMEDOUT;
				break;
			}
		}
		/* 0: woken; -EAGAIN: seq moved on before we slept; -EINTR:
		 * the task is being killed. All end the wait. */
		if (futex_wait(&cond->seq, seq, ms) != -ETIMEDOUT)
			break;
	}
	/* A signal that came as the time ran out may have picked us: report
	 * a wake-up (spurious ones are allowed) rather than lose it. */
	if (err == ETIMEDOUT && __atomic_load_n(&cond->seq, __ATOMIC_SEQ_CST) != seq)
		err = 0;
	__atomic_sub_fetch(&cond->waiters, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_reacquire(m, count);
	return err;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
	return cond_wait(cond, mutex, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
			   const struct timespec *abstime)
{
	if (!abstime)
		return EINVAL;
	return cond_wait(cond, mutex, abstime);
}
