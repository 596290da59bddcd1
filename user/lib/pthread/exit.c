/*
 * pthread_exit, also reached by returning from the start routine. The
 * value is kept in struct pthread for the joiner: the kernel's
 * thread_exit takes an int, used only for the join handshake.
 */
#include "pthread_internal.h"

#include <limits.h>

#include "locus.h"

void pthread_exit(void *value)
{
	struct pthread *self = pthread_self();

	pthread_keys_run_destructors(self);
	self->result = value;
	/* Give back finished detached threads now rather than at some later
	 * call: a program that only creates detached threads stays small. */
	pthread_reap();

	pthread_mutex_lock(&pthread_threads_lock);
	self->exited = true;
	if (self->detached) {
		/* No one may name it any more; an adopted thread has no
		 * memory of ours to free. */
		pthread_list_remove(self);
		if (self->memory)
			pthread_zombie_add(self);
	}
	pthread_mutex_unlock(&pthread_threads_lock);

	/* Our memory stays until we are off this stack: reapers and joiners
	 * of pthread_create's threads wait in the kernel's thread_join.
	 * Adopted threads have no capability: their joiners wait here. */
	if (!self->memory) {
		__atomic_store_n(&self->exit_word, 1, __ATOMIC_RELEASE);
		futex_wake(&self->exit_word, INT_MAX);
	}
	thread_exit(0);
}
