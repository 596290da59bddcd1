/*
 * POSIX threads over Locus kernel threads and futexes (docs/pthreads.md).
 *
 * Every function returns 0 or a POSIX error number (EINVAL, EBUSY, ...);
 * none sets errno. The object types are thin typedefs of structs whose
 * layout is visible only so that they can live on the stack or in static
 * memory and have static initialisers: use them through the functions.
 */
#ifndef LOCUS_USER_PTHREAD_H
#define LOCUS_USER_PTHREAD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "uapi/syscall.h"	/* CPU_ANY */

/* Limits (POSIX puts them in limits.h, which only has the C ones here). */
#define PTHREAD_KEYS_MAX 128
#define PTHREAD_DESTRUCTOR_ITERATIONS 4
#define PTHREAD_STACK_MIN (16 * 1024)
#define PTHREAD_STACK_DEFAULT (64 * 1024)	/* Locus: when no attribute says */

/* ---- Threads ---- */

struct pthread;
typedef struct pthread *pthread_t;

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

struct pthread_attr {
	size_t stacksize;
	int detachstate;
	int cpu;		/* a core, or CPU_ANY */
};
typedef struct pthread_attr pthread_attr_t;

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg);
int pthread_join(pthread_t thread, void **value);
int pthread_detach(pthread_t thread);
__attribute__((noreturn)) void pthread_exit(void *value);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
/* Locus extension: run the thread on one core only (CPU_ANY: anywhere). */
int pthread_attr_setcpu(pthread_attr_t *attr, int cpu);
int pthread_attr_getcpu(const pthread_attr_t *attr, int *cpu);

/* ---- Mutexes ---- */

#define PTHREAD_MUTEX_NORMAL 0
#define PTHREAD_MUTEX_RECURSIVE 1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT PTHREAD_MUTEX_NORMAL

struct pthread_mutex {
	uint32_t word;		/* 0 free, 1 locked, 2 locked and maybe waiters */
	int type;
	struct pthread *owner;
	unsigned count;		/* times the owner holds it (recursive) */
};
typedef struct pthread_mutex pthread_mutex_t;

#define PTHREAD_MUTEX_INITIALIZER { 0, PTHREAD_MUTEX_NORMAL, NULL, 0 }

struct pthread_mutexattr {
	int type;
};
typedef struct pthread_mutexattr pthread_mutexattr_t;

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *mutex);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_trylock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);

int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);

/* ---- Condition variables ---- */

struct pthread_cond {
	uint32_t seq;		/* the futex: bumped by every signal */
	uint32_t waiters;	/* threads inside wait, so signal can skip the kernel */
	int clock;
};
typedef struct pthread_cond pthread_cond_t;

#define PTHREAD_COND_INITIALIZER { 0, 0, CLOCK_MONOTONIC }

struct pthread_condattr {
	int clock;
};
typedef struct pthread_condattr pthread_condattr_t;

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *cond);
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex);
/* abstime: a deadline on the condition's clock (clock_gettime). */
int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
			   const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *cond);
int pthread_cond_broadcast(pthread_cond_t *cond);

int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock);

/* ---- Once ---- */

struct pthread_once {
	uint32_t state;
};
typedef struct pthread_once pthread_once_t;

#define PTHREAD_ONCE_INIT { 0 }

int pthread_once(pthread_once_t *once, void (*routine)(void));

/* ---- Thread-specific data ---- */

typedef unsigned int pthread_key_t;

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

/* ---- Barriers ---- */

#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

struct pthread_barrier {
	uint32_t cycle;		/* the futex: bumped when a round completes */
	uint32_t arrived;
	unsigned count;
};
typedef struct pthread_barrier pthread_barrier_t;

struct pthread_barrierattr {
	int unused;
};
typedef struct pthread_barrierattr pthread_barrierattr_t;

int pthread_barrier_init(pthread_barrier_t *barrier, const pthread_barrierattr_t *attr,
			 unsigned count);
int pthread_barrier_destroy(pthread_barrier_t *barrier);
int pthread_barrier_wait(pthread_barrier_t *barrier);

int pthread_barrierattr_init(pthread_barrierattr_t *attr);
int pthread_barrierattr_destroy(pthread_barrierattr_t *attr);

#endif
