/*
 * pthread_join and pthread_detach. A thread is named by its struct
 * pthread, which goes away with its memory: both look it up in the list
 * of threads first, so a thread already joined (or a detached one that has
 * ended) gives ESRCH instead of a fault. Joining a thread another is
 * already joining gives EINVAL, as does joining a detached thread.
 */
#include "pthread_internal.h"

#include <errno.h>

#include "locus.h"

/* Lock held: may t be claimed by a joiner or a detacher? */
static int claimable(const struct pthread *t)
{
	if (!pthread_list_has(t))
		return ESRCH;
	if (t->detached || t->joining)
		return EINVAL;
	return 0;
}

/* Waits until t is off its stack for good. */
static int wait_for_end(struct pthread *t)
{
	if (t->memory)
		return -thread_join(t->cap, NULL);
	while (!__atomic_load_n(&t->exit_word, __ATOMIC_ACQUIRE))
		futex_wait(&t->exit_word, 0, 0);
	return 0;
}

int pthread_join(pthread_t t, void **value)
{
	int err;

	if (!t)
		return EINVAL;
	if (t == pthread_self())
		return EDEADLK;
	pthread_reap();

	pthread_mutex_lock(&pthread_threads_lock);
	err = claimable(t);
	if (!err)
		t->joining = true;
	pthread_mutex_unlock(&pthread_threads_lock);
	if (err)
		return err;

	err = wait_for_end(t);
	pthread_mutex_lock(&pthread_threads_lock);
	if (err)
		t->joining = false;	/* we are being killed: leave it be */
	else
		pthread_list_remove(t);
	pthread_mutex_unlock(&pthread_threads_lock);
	if (err)
		return err;

	void *result = t->result;

	if (t->memory)
		mem_unmap(t->memory, t->size);
	if (value)
		*value = result;
	return 0;
}

int pthread_detach(pthread_t t)
{
	int err;

	if (!t)
		return EINVAL;
	pthread_mutex_lock(&pthread_threads_lock);
	err = claimable(t);
	if (!err) {
		t->detached = true;
		/* Already finished (it ran pthread_exit while joinable): it
		 * will not look at its flags again, so free it from here. */
		if (t->exited) {
			pthread_list_remove(t);
			if (t->memory)
				pthread_zombie_add(t);
		}
	}
	pthread_mutex_unlock(&pthread_threads_lock);
	pthread_reap();
	return err;
}
