/*
 * pthread_self: one %gs-relative load of the TCB's thread word, which
 * pthread_create fills in before the thread starts. The main thread (and
 * any thread started with uthread_create) finds 0 there and is adopted:
 * it gets a struct pthread of its own on its first pthread call.
 */
#include "pthread_internal.h"

#include <stddef.h>
#include <stdlib.h>

#include "locus/tcb.h"

_Static_assert(offsetof(struct user_tcb, thread) == TCB_THREAD_OFFSET, "the TCB's thread word");

static struct pthread main_thread;
static int main_thread_taken;

static __attribute__((noinline)) struct pthread *adopt(void)
{
	struct pthread *t = NULL;

	/* The first to come is the main thread almost always, and gets the
	 * static object; the others (rare: uthreads using pthreads) get one
	 * from malloc, which they keep until the task ends. */
	if (!__atomic_exchange_n(&main_thread_taken, 1, __ATOMIC_RELAXED))
		t = &main_thread;
	else
		t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	/* Set before the lock below: locking asks pthread_self again. */
	tcb_self()->thread = t;
	pthread_mutex_lock(&pthread_threads_lock);
	pthread_list_add(t);
	pthread_mutex_unlock(&pthread_threads_lock);
	return t;
}

pthread_t pthread_self(void)
{
	struct pthread *self;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(self) : "i"(TCB_THREAD_OFFSET));
	if (__builtin_expect(!self, 0))
		self = adopt();
	return self;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}
