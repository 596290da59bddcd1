/*
 * The thread control block of a user thread: the word %gs:0 reads (ELF
 * TLS variant II, as in the kernel), with the thread's TLS block just
 * below it. Fixed words after it let a thread find its own state with
 * one %gs-relative load.
 */
#ifndef LOCUS_USER_TCB_H
#define LOCUS_USER_TCB_H

#include <stdint.h>

struct user_tcb {
	struct user_tcb *self;	/* %gs:0 */
	void *utcb;		/* %gs:4: this thread's UTCB (IPC) */
	void *thread;		/* %gs:8: the pthread running here */
	uint32_t reserved;
};

#define TCB_UTCB_OFFSET 4
#define TCB_THREAD_OFFSET 8

static inline struct user_tcb *tcb_self(void)
{
	struct user_tcb *t;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(t));
	return t;
}

#endif
