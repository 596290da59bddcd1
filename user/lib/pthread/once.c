/*
 * pthread_once: a futex word with four states.
 *
 *	NEW --first caller (cmpxchg)--> RUNNING --routine done--> DONE
 *	                                   |                        ^
 *	                 a second caller   v                        |
 *	                 (cmpxchg)      WAITERS --routine done, ----+
 *	                                           wake them all
 *
 * Later callers see DONE with one load and return. Those that come while
 * the routine runs sleep until it is DONE: it runs exactly once, and no
 * caller returns before it has finished.
 */
#include "pthread_internal.h"

#include <errno.h>
#include <limits.h>

#include "locus.h"

enum { ONCE_NEW, ONCE_RUNNING, ONCE_WAITERS, ONCE_DONE };

int pthread_once(pthread_once_t *once, void (*routine)(void))
{
	uint32_t state;

	if (!once || !routine)
		return EINVAL;
	state = __atomic_load_n(&once->state, __ATOMIC_ACQUIRE);
	if (state == ONCE_DONE)
		return 0;
	if (state == ONCE_NEW &&
	    __atomic_compare_exchange_n(&once->state, &state, ONCE_RUNNING, false,
					__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		routine();
		if (__atomic_exchange_n(&once->state, ONCE_DONE, __ATOMIC_RELEASE) == ONCE_WAITERS)
			futex_wake(&once->state, INT_MAX);
		return 0;
	}
	/* state: what the word held when we lost. */
	while (state != ONCE_DONE) {
		if (state == ONCE_RUNNING &&
		    !__atomic_compare_exchange_n(&once->state, &state, ONCE_WAITERS, false,
						 __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			continue;
		futex_wait(&once->state, ONCE_WAITERS, 0);
		state = __atomic_load_n(&once->state, __ATOMIC_ACQUIRE);
	}
	return 0;
}
