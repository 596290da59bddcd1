/*
 * POSIX unnamed semaphores over a futex (docs/pthreads.md). As POSIX
 * says, these return 0, or -1 with the error in errno.
 */
#ifndef LOCUS_USER_SEMAPHORE_H
#define LOCUS_USER_SEMAPHORE_H

#include <stdint.h>

#define SEM_VALUE_MAX 0x7FFFFFFF

struct semaphore {
	uint32_t value;		/* the futex: waiters sleep while it is 0 */
	uint32_t waiters;	/* threads in sem_wait, so post can skip the kernel */
};
typedef struct semaphore sem_t;

/* pshared must be 0 (else ENOTSUP): tasks share no memory to put a
 * semaphore in. sem_post past SEM_VALUE_MAX fails with ERANGE. */
int sem_init(sem_t *sem, int pshared, unsigned value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);		/* EAGAIN when the value is 0 */
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *value);

#endif
