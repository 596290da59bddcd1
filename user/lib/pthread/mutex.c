/*
 * Mutexes: the futex word of pthread_internal.h plus an owner, so that
 * relocking and unlocking by the wrong thread are caught. The owner is
 * only ever set to a thread by that thread itself, so a thread that reads
 * itself there really holds the mutex. Uncontended lock and unlock are a
 * %gs load and one atomic instruction each: no system call.
 */
#include "pthread_internal.h"

#include <errno.h>
#include <limits.h>

/* A destroyed mutex's type: locking it again gives EINVAL. */
#define MUTEX_DESTROYED 0x64656164

static bool type_valid(int type)
{
	return type == PTHREAD_MUTEX_NORMAL || type == PTHREAD_MUTEX_RECURSIVE ||
	       type == PTHREAD_MUTEX_ERRORCHECK;
}

static struct pthread *owner_of(pthread_mutex_t *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED);
}

static void take(pthread_mutex_t *m, struct pthread *self, unsigned count)
{
	__atomic_store_n(&m->owner, self, __ATOMIC_RELAXED);
	m->count = count;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	int type = attr ? attr->type : PTHREAD_MUTEX_DEFAULT;

	if (!m || !type_valid(type))
		return EINVAL;
	*m = (pthread_mutex_t){ .type = type };
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (!m || !type_valid(m->type))
		return EINVAL;
	if (__atomic_load_n(&m->word, __ATOMIC_RELAXED))
		return EBUSY;
	m->type = MUTEX_DESTROYED;
	return 0;
}

/* The owner locks again: a recursive mutex counts, an error-checking one
 * refuses (a normal one never gets here: it deadlocks, as POSIX says). */
static int relock(pthread_mutex_t *m)
{
	if (m->type != PTHREAD_MUTEX_RECURSIVE)
		return EDEADLK;
	if (m->count == UINT_MAX)
		return EAGAIN;
	m->count++;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (!m || !type_valid(m->type))
		return EINVAL;
	struct pthread *self = pthread_self();

	if (m->type != PTHREAD_MUTEX_NORMAL && owner_of(m) == self)
		return relock(m);
	mutex_word_lock(&m->word);
	take(m, self, 1);
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (!m || !type_valid(m->type))
		return EINVAL;
	struct pthread *self = pthread_self();

	if (m->type == PTHREAD_MUTEX_RECURSIVE && owner_of(m) == self)
		return relock(m);
	if (!mutex_word_trylock(&m->word))
		return EBUSY;
	take(m, self, 1);
	return 0;
}

/* Every type refuses an unlock by a thread that does not hold it (POSIX
 * leaves it undefined for normal mutexes; EPERM is the kind answer). */
int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (!m || !type_valid(m->type))
		return EINVAL;
	if (owner_of(m) != pthread_self())
		return EPERM;
	if (m->count > 1) {
		m->count--;
		return 0;
	}
	pthread_mutex_release(m);
	return 0;
}

unsigned pthread_mutex_release(pthread_mutex_t *m)
{
	unsigned count = m->count;

	take(m, NULL, 0);
	mutex_word_unlock(&m->word);
	return count;
}

void pthread_mutex_reacquire(pthread_mutex_t *m, unsigned count)
{
	mutex_word_lock(&m->word);
	take(m, pthread_self(), count);
}
