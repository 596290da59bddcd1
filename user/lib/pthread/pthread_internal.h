/*
 * What the pthread files share: the thread object, the list of all
 * threads, and the futex-word lock the mutexes are built on.
 */
#ifndef LOCUS_USER_PTHREAD_INTERNAL_H
#define LOCUS_USER_PTHREAD_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* The kernel's THREAD_PRIORITY_DEFAULT: pthreads run at the main thread's. */
#define PTHREAD_PRIORITY 10

struct pthread_specific {
	unsigned seq;		/* the key's seq when value was set */
	void *value;
};

/*
 * A thread made by pthread_create lives in one mem_map allocation:
 *
 *   memory                                                memory + size
 *   | stack (grows down) ...    | struct pthread | TLS block | TCB |
 *
 * with the TCB's thread word (%gs:8) pointing at the struct pthread.
 * Threads not made here (the main thread, threads from uthread_create)
 * are adopted on first use: memory is NULL and cap 0 for them.
 */
struct pthread {
	struct pthread *next, *prev;	/* all threads, under pthread_threads_lock */
	struct pthread *next_zombie;	/* finished detached threads to free */
	void *(*start)(void *arg);
	void *arg;
	void *result;			/* pthread_exit's value, for the joiner */
	int cap;			/* the kernel's thread capability */
	void *memory;
	size_t size;
	/* Under pthread_threads_lock: */
	bool detached;
	bool joining;			/* a pthread_join has claimed it */
	bool exited;
	uint32_t exit_word;		/* futex: 1 once exited (joiners of adopted threads) */
	struct pthread_specific specific[PTHREAD_KEYS_MAX];
};

/* ---- The list of threads (threads.c) ---- */

/* Guards the list, the zombie list and the flags above. */
extern pthread_mutex_t pthread_threads_lock;

/* Lock held for all three. */
void pthread_list_add(struct pthread *t);
void pthread_list_remove(struct pthread *t);
bool pthread_list_has(const struct pthread *t);
/* Lock held: t has finished and is detached; the next reap frees it. */
void pthread_zombie_add(struct pthread *t);

/* Frees the memory of every finished detached thread (never the caller's). */
void pthread_reap(void);

/* ---- Keys (key.c) ---- */

/* At thread exit: calls the destructors as POSIX says. */
void pthread_keys_run_destructors(struct pthread *self);

/* ---- The mutex word (mutex_word.c): 0 free, 1 locked, 2 locked with
 * waiters. No system call unless someone has to wait. ---- */

static inline bool mutex_word_trylock(uint32_t *word)
{
	uint32_t expected = 0;

	return __atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

void mutex_word_lock_slow(uint32_t *word);
void mutex_word_wake(uint32_t *word);

static inline void mutex_word_lock(uint32_t *word)
{
	if (!mutex_word_trylock(word))
		mutex_word_lock_slow(word);
}

static inline void mutex_word_unlock(uint32_t *word)
{
	if (__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2)
		mutex_word_wake(word);
}

/* For condition variables: release a held mutex entirely and take it back,
 * keeping its owner and recursion count straight. */
unsigned pthread_mutex_release(pthread_mutex_t *m);
void pthread_mutex_reacquire(pthread_mutex_t *m, unsigned count);

#endif
