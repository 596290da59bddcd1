/*
 * The list of all threads, so that a pthread_t can be checked before it
 * is used: a joined thread's memory is gone, and joining or detaching it
 * again must return ESRCH, not fault. And the zombies: detached threads
 * that have finished, whose memory another thread must give back, since
 * no thread can unmap the stack it is running on.
 */
#include "pthread_internal.h"

#include "locus.h"

pthread_mutex_t pthread_threads_lock = PTHREAD_MUTEX_INITIALIZER;

static struct pthread *threads;
static struct pthread *zombies;

void pthread_list_add(struct pthread *t)
{
	t->prev = NULL;
	t->next = threads;
	if (threads)
		threads->prev = t;
	threads = t;
}

void pthread_list_remove(struct pthread *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		threads = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->next = t->prev = NULL;
}

bool pthread_list_has(const struct pthread *t)
{
	for (const struct pthread *p = threads; p; p = p->next)
		if (p == t)
			return true;
	return false;
}

void pthread_zombie_add(struct pthread *t)
{
	t->next_zombie = zombies;
	/* Atomic: pthread_reap peeks at the list without the lock. */
	__atomic_store_n(&zombies, t, __ATOMIC_RELAXED);
}

/*
 * A zombie has set its exited flag but may not have reached thread_exit
 * yet: thread_join on its capability waits (asleep) until the kernel has
 * taken it off its stack for good; only then is the stack unmapped.
 */
void pthread_reap(void)
{
	struct pthread *list;

	if (!__atomic_load_n(&zombies, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&pthread_threads_lock);
	list = zombies;
	__atomic_store_n(&zombies, NULL, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&pthread_threads_lock);

	while (list) {
		struct pthread *z = list;

		list = z->next_zombie;		/* before its memory goes */
		thread_join(z->cap, NULL);
		mem_unmap(z->memory, z->size);
	}
}
