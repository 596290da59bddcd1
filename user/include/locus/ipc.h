/*
 * IPC from user code: the message lives in this thread's UTCB
 * (uapi/utcb.h), found with one %gs-relative load from the TCB.
 */
#ifndef LOCUS_USER_IPC_H
#define LOCUS_USER_IPC_H

#include <stdint.h>

#include "locus/tcb.h"
#include "uapi/utcb.h"

/* This thread's UTCB: word TCB_UTCB_WORD of the TCB, one instruction. */
static inline struct utcb *utcb(void)
{
	struct utcb *u;

	__asm__ volatile("movl %%gs:4, %0" : "=r"(u));
	return u;
}

_Static_assert(TCB_UTCB_OFFSET == TCB_UTCB_WORD * 4, "the TCB's UTCB word");

int endpoint_create(void);
int notification_create(void);
/* A new capability to the same object with fewer rights and/or a badge,
 * in the lowest free slot, or in slot dest. */
int cap_derive(int slot, unsigned rights, uint32_t badge);
int cap_derive_to(int slot, unsigned rights, uint32_t badge, int dest);

int ipc_send(int endpoint, unsigned flags);
int ipc_recv(int endpoint, unsigned flags);
int ipc_call(int endpoint);
int ipc_reply(void);
int ipc_reply_recv(int endpoint);

int notify_signal(int notification, uint32_t bits);
/* The bits, or a negative -errno. */
int notify_wait(int notification);
int notify_poll(int notification);

int irq_bind(int irq, int notification, uint32_t bits);
int io_in(int ports, unsigned offset);
int io_out(int ports, unsigned offset, uint8_t value);

#endif
