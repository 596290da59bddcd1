/*
 * Synchronous IPC through endpoints, L4/seL4 style. A message is the
 * sender's UTCB (tag, message registers, capabilities to pass); the
 * kernel copies it into the receiver's UTCB through its own mappings of
 * both, without switching page tables. Every operation is made by the
 * current thread, which must be a user thread.
 *
 *   send        deliver to a waiting receiver, or wait for one
 *   recv        take a waiting sender's message, or wait for one
 *   call        send, then wait for the reply (the receiver may answer once)
 *   reply       answer the last caller (never blocks)
 *   reply_recv  reply, then receive the next message
 *
 * call and reply_recv between threads of different tasks, when the
 * partner is already waiting on this core, the message has at most
 * IPC_FASTPATH_WORDS words and no capabilities, switch straight to the
 * partner (sched_direct_switch) instead of waking it through the run
 * queue: the fast path. Both paths give the same results.
 */
#ifndef LOCUS_IPC_IPC_H
#define LOCUS_IPC_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "cap/object.h"
#include "lib/list.h"
#include "smp/spinlock.h"

#define IPC_FASTPATH_WORDS 8

struct thread;

struct endpoint {
	struct kobject obj;
	/* Protects both queues, dead, and the queued threads' IPC fields. */
	struct spinlock lock;
	struct list_node senders;	/* blocked in send or call, by wait_node */
	struct list_node receivers;	/* blocked in recv */
	uint32_t receive_caps;		/* capabilities able to receive (atomic) */
	bool dead;			/* none left: senders get -EPIPE */
};

/* A new endpoint with one reference (the creator's), or NULL. */
struct endpoint *endpoint_create(void);

int ipc_send(struct endpoint *ep, uint32_t badge, bool grant, bool block);
int ipc_recv(struct endpoint *ep, bool block);
int ipc_call(struct endpoint *ep, uint32_t badge, bool grant);
int ipc_reply(void);
int ipc_reply_recv(struct endpoint *ep);

/* A thread is exiting: a caller still waiting for its reply gets -EPIPE. */
void ipc_thread_exit(struct thread *t);

/* The fast path can be turned off (tests compare both paths). */
extern bool ipc_fastpath_enabled;
/* Calls and replies that took the fast path on a core. */
uint32_t ipc_fastpath_count(unsigned cpu);

/* Asynchronous notifications: a word of bits; signal ORs bits in, wait
 * blocks until the word is non-zero and takes it (clearing it), poll
 * takes it without blocking. */
struct notification {
	struct kobject obj;
	/* Protects word and waiters. */
	struct spinlock lock;
	uint32_t word;
	struct list_node waiters;
};

struct notification *notification_create(void);
void notification_signal(struct notification *n, uint32_t bits);
int notification_wait(struct notification *n, uint32_t *bits);
uint32_t notification_poll(struct notification *n);

#endif
