/*
 * Capability rules: only a capability with the right rights reaches an
 * endpoint; derived capabilities never gain rights; capabilities move
 * only with the grant right; a deleted capability is dead. The helper
 * child ("utest_ipc_caps child") receives on slot 1 and checks what
 * arrived.
 */
#include <stdio.h>
#include <string.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/spawn.h"
#include "locus/uthread.h"
#include "locus/utest.h"

#define RECEIVED_SLOT 40
#define SMUGGLED_SLOT 41

struct queued_sender {
	int slot;			/* a send capability without grant */
	struct utcb *utcb;		/* the sender's, for its sibling */
	volatile int tid;		/* the sender's, once it has set utcb */
	int result;
	struct uthread thread;
};

/* Sends an empty message, capabilities none, and waits in the queue. */
static void send_and_wait(void *arg)
{
	struct queued_sender *q = arg;

	q->utcb = utcb();
	q->utcb->tag = IPC_TAG(9, 0, 0);
	q->tid = thread_self();
	q->result = ipc_send(q->slot, 0);
}

/*
 * The grant right is checked when a message is sent, but a queued
 * sender's UTCB stays writable by the other threads of its task until
 * the receiver takes the message. Rewriting the tag meanwhile to carry
 * a capability must not pass one.
 */
static void no_grant_by_rewriting_a_queued_tag(int ep, int send_only)
{
	/* Static: if the test gives up, the sender outlives this call. */
	static struct queued_sender q;
	struct utcb *u = utcb();

	q.slot = send_only;

	UCHECK_EQ(uthread_create(&q.thread, send_and_wait, &q, 10, CPU_ANY, 0), 0);
	/* Nobody receives yet: once the sender blocks, it is queued. (If it
	 * never does, give up: receiving would wait for ever.) */
	if (!utest_wait_until_blocked(&q.tid, 5000)) {
		UCHECK(!"the sender blocked in ipc_send");
		return;
	}
	q.utcb->send_caps[0] = (uint32_t)ep;
	q.utcb->tag = IPC_TAG(9, 0, 1);
	u->recv_window[0] = SMUGGLED_SLOT;
	UCHECK_EQ(ipc_recv(ep, 0), 0);
	UCHECK_EQ(IPC_TAG_LABEL(u->tag), 9);
	UCHECK_EQ(IPC_TAG_CAPS(u->tag), 0);
	UCHECK_EQ(cap_delete(SMUGGLED_SLOT), -EBADF);
	u->recv_window[0] = 0;
	UCHECK_EQ(uthread_join(&q.thread, NULL), 0);
	UCHECK_EQ(q.result, 0);
}

static int child(void)
{
	struct utcb *u = utcb();

	u->recv_window[0] = RECEIVED_SLOT;
	UCHECK_EQ(ipc_recv(1, 0), 0);
	/* A capability arrived in the window: use it to answer. */
	UCHECK_EQ(IPC_TAG_CAPS(u->tag), 1);
	UCHECK_EQ(u->mr[0], 77);
	u->mr[0] = 78;
	u->tag = IPC_TAG(0, 1, 0);
	UCHECK_EQ(ipc_send(RECEIVED_SLOT, 0), 0);
	return utest_failures;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child"))
		return child();
	struct utcb *u = utcb();
	int ep = endpoint_create();
	int note = notification_create();

	UCHECK(ep > 0 && note > 0);
	u->tag = IPC_TAG(0, 1, 0);

	/* No capability, or the wrong kind. */
	UCHECK_EQ(ipc_call(200), -EBADF);
	UCHECK_EQ(ipc_call(0), -EBADF);
	UCHECK_EQ(ipc_call(note), -EINVAL);
	UCHECK_EQ(notify_signal(ep, 1), -EINVAL);

	/* A receive-only capability cannot send; a send-only one cannot receive. */
	int recv_only = cap_derive(ep, CAP_RIGHT_RECEIVE, 0);
	int send_only = cap_derive(ep, CAP_RIGHT_SEND, 0);

	UCHECK_EQ(ipc_send(recv_only, IPC_NONBLOCK), -EPERM);
	UCHECK_EQ(ipc_call(recv_only), -EPERM);
	UCHECK_EQ(ipc_recv(send_only, IPC_NONBLOCK), -EPERM);
	UCHECK_EQ(ipc_reply_recv(send_only), -EPERM);
	/* Deriving cannot add rights back. */
	int again = cap_derive(send_only, CAP_RIGHTS_ALL, 0);

	UCHECK(again > 0);
	UCHECK_EQ(ipc_recv(again, IPC_NONBLOCK), -EPERM);
	/* A badge, once set, stays. */
	int badged = cap_derive(ep, CAP_RIGHT_SEND, 5);

	UCHECK(badged > 0);
	UCHECK_EQ(cap_derive(badged, CAP_RIGHT_SEND, 6), -EPERM);
	UCHECK(cap_derive(badged, CAP_RIGHT_SEND, 5) > 0);

	/* Non-blocking operations with nobody on the other side. */
	UCHECK_EQ(ipc_send(ep, IPC_NONBLOCK), -EAGAIN);
	UCHECK_EQ(ipc_recv(ep, IPC_NONBLOCK), -EAGAIN);
	/* Too long a message; a reply with nobody to answer. */
	u->tag = IPC_TAG(0, UTCB_MESSAGE_REGISTERS + 1, 0);
	UCHECK_EQ(ipc_send(ep, IPC_NONBLOCK), -E2BIG);
	u->tag = IPC_TAG(0, 0, 0);
	UCHECK_EQ(ipc_reply(), -EPIPE);

	/* Passing a capability needs the grant right. */
	int back = endpoint_create();
	int child_task = spawn_with_caps("utest_ipc_caps", "child", CPU_ANY, &ep, 1);

	UCHECK(child_task > 0);
	u->send_caps[0] = (uint32_t)back;
	u->mr[0] = 77;
	u->tag = IPC_TAG(0, 1, 1);
	UCHECK_EQ(ipc_send(send_only, 0), -EPERM);
	int granting = cap_derive(ep, CAP_RIGHT_SEND | CAP_RIGHT_GRANT, 0);

	UCHECK_EQ(ipc_send(granting, 0), 0);
	/* The child answers through the capability it received. */
	UCHECK_EQ(ipc_recv(back, 0), 0);
	UCHECK_EQ(u->mr[0], 78);
	int status = -1;

	UCHECK_EQ(task_wait(child_task, &status), 0);
	UCHECK_EQ(status, 0);

	no_grant_by_rewriting_a_queued_tag(ep, send_only);

	/* A deleted capability is dead. */
	UCHECK_EQ(cap_delete(send_only), 0);
	UCHECK_EQ(ipc_send(send_only, IPC_NONBLOCK), -EBADF);
	UCHECK_EQ(cap_delete(send_only), -EBADF);
	printf("utest_ipc_caps: %d failures\n", utest_failures);
	return utest_failures;
}
