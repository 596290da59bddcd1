/*
 * The slow halves of the mutex word (pthread_internal.h): the fast halves
 * are one atomic instruction each and inline.
 *
 *	lock:	0 -> 1 with cmpxchg: done, no system call.
 *		otherwise swap in 2 ("locked, maybe waiters"); if the old
 *		value was 0 the lock is ours (marked 2: one wake may be
 *		needless), else sleep while the word is 2 and try again.
 *	unlock:	swap in 0; only if the old value was 2 wake one sleeper.
 */
#include "pthread_internal.h"

#include <limits.h>

#include "locus.h"

void mutex_word_lock_slow(uint32_t *word)
{
	/* The kernel checks *word == 2 under its queue lock before sleeping,
	 * so an unlock between our swap and our sleep is never missed: it
	 * leaves 0 there and futex_wait returns at once. */
	while (__atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE) != 0)
		futex_wait(word, 2, 0);
}

void mutex_word_wake(uint32_t *word)
{
	futex_wake(word, 1);
}
