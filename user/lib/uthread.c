/*
 *   memory                                              memory + size
 *   | stack (grows down) ...        | TLS block | TCB  |
 *                                   ^ TLS region, aligned
 * The kernel starts the thread at uthread_entry with esp at a C call
 * frame built here: uthread_entry(fn, arg) then looks like any function.
 */
#include "locus/uthread.h"

#include <pthread.h>
#include <stdint.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/tcb.h"
#include "locus/tls.h"

static void uthread_entry(void (*fn)(void *arg), void *arg)
{
	fn(arg);
	/* A thread that called into pthreads was adopted (its TCB names its
	 * struct pthread): it ends as a pthread, so that a pthread_join of it
	 * returns and its key destructors run. */
	if (tcb_self()->thread)
		pthread_exit(NULL);
	thread_exit(0);
}

int uthread_create(struct uthread *t, void (*fn)(void *arg), void *arg, unsigned priority,
		   int cpu, size_t stack_size)
{
	size_t tls_size = ALIGN_UP(tls_region_size(), tls_region_align());
	int err = 0;

	if (!stack_size)
		stack_size = UTHREAD_STACK_SIZE;
	t->size = ALIGN_UP(stack_size + tls_size + tls_region_align(), 4096);
	t->memory = mem_map(NULL, t->size, PROT_READ | PROT_WRITE, &err);
	if (!t->memory)
		return err;
	uintptr_t tls = ALIGN_DOWN((uintptr_t)t->memory + t->size - tls_size, tls_region_align());

	t->tcb = tls_region_setup((void *)tls);

	/* i386 C calling convention: at entry, [esp] is the return address
	 * and esp + 4, where the first argument is, is 16-byte aligned. */
	uint32_t *args = (uint32_t *)(ALIGN_DOWN(tls, 16) - 16);

	args[0] = (uint32_t)fn;
	args[1] = (uint32_t)arg;
	args[-1] = 0;	/* uthread_entry never returns */
	uint32_t *sp = &args[-1];

	t->cap = thread_create((const void *)uthread_entry, sp, t->tcb, 0, priority, cpu);
	if (t->cap < 0) {
		err = t->cap;
		mem_unmap(t->memory, t->size);
		return err;
	}
	return 0;
}

int uthread_join(struct uthread *t, int *status)
{
	int err = thread_join(t->cap, status);

	if (!err)
		mem_unmap(t->memory, t->size);
	return err;
}
