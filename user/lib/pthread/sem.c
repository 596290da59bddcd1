/*
 * Semaphores: the value itself is the futex; waiters sleep while it is 0.
 * A waiter counts itself in waiters before sleeping and sem_post bumps
 * the value before reading waiters (both sequentially consistent), so
 * either post sees the waiter and wakes it, or the waiter's futex_wait
 * sees a non-zero value and returns at once. A post with no one waiting
 * and a wait with a non-zero value make no system call.
 */
#include <errno.h>
#include <semaphore.h>
#include <stdbool.h>

#include "locus.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

int sem_init(sem_t *sem, int pshared, unsigned value)
{
	if (!sem || value > SEM_VALUE_MAX)
		return fail(EINVAL);
	if (pshared)
		return fail(ENOTSUP);
	*sem = (sem_t){ .value = value };
	return 0;
}

int sem_destroy(sem_t *sem)
{
	if (!sem)
		return fail(EINVAL);
	if (__atomic_load_n(&sem->waiters, __ATOMIC_RELAXED))
		return fail(EBUSY);
	return 0;
}

/* Takes one if the value is not 0. */
static bool take(sem_t *sem)
{
	uint32_t v = __atomic_load_n(&sem->value, __ATOMIC_RELAXED);

	while (v > 0)
		if (__atomic_compare_exchange_n(&sem->value, &v, v - 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

int sem_wait(sem_t *sem)
{
	if (!sem)
		return fail(EINVAL);
	while (!take(sem)) {
		__atomic_add_fetch(&sem->waiters, 1, __ATOMIC_SEQ_CST);
		futex_wait(&sem->value, 0, 0);
		__atomic_sub_fetch(&sem->waiters, 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

int sem_trywait(sem_t *sem)
{
	if (!sem)
		return fail(EINVAL);
	return take(sem) ? 0 : fail(EAGAIN);
}

int sem_post(sem_t *sem)
{
	if (!sem)
		return fail(EINVAL);
	uint32_t v = __atomic_load_n(&sem->value, __ATOMIC_RELAXED);

	do {
		if (v >= SEM_VALUE_MAX)
			return fail(ERANGE);	/* POSIX says EOVERFLOW, which Locus lacks */
	} while (!__atomic_compare_exchange_n(&sem->value, &v, v + 1, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	if (__atomic_load_n(&sem->waiters, __ATOMIC_SEQ_CST))
		futex_wake(&sem->value, 1);
	return 0;
}

int sem_getvalue(sem_t *sem, int *value)
{
	if (!sem || !value)
		return fail(EINVAL);
	*value = (int)__atomic_load_n(&sem->value, __ATOMIC_RELAXED);
	return 0;
}
