/*
 * The simplest user threads: a kernel thread with its stack, its TLS
 * block and its TCB in one mem_map allocation. pthread_create lays its
 * threads out the same way but cannot use this (user/lib/pthread/create.c
 * says why); a uthread that calls into pthreads is adopted by them, and
 * when fn returns it ends through pthread_exit, so pthread_join works on
 * it too.
 */
#ifndef LOCUS_USER_UTHREAD_H
#define LOCUS_USER_UTHREAD_H

#include <stddef.h>

#define UTHREAD_STACK_SIZE (32 * 1024)

struct uthread {
	int cap;			/* the kernel's thread capability */
	void *memory;			/* stack + TLS, one allocation */
	size_t size;
	struct user_tcb *tcb;
};

/* Starts fn(arg) on a new thread (priority, cpu as for thread_create;
 * stack_size 0 means UTHREAD_STACK_SIZE). 0 or -errno. */
int uthread_create(struct uthread *t, void (*fn)(void *arg), void *arg, unsigned priority,
		   int cpu, size_t stack_size);

/* Waits for it to end and frees its memory; *status gets what fn's
 * thread passed to thread_exit (0 if fn returned). */
int uthread_join(struct uthread *t, int *status);

#endif
