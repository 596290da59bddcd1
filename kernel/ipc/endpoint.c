/*
 * Endpoints and the IPC operations on them (see ipc.h).
 *
 * Locks: an endpoint's lock guards its queues and the threads on them; a
 * server's ipc_lock guards the reply link to its caller. Lock order:
 * endpoint, then a thread's ipc_lock, then capability tables, then run
 * queues. A message is copied only while the partner cannot go away:
 * while it is on a queue under the endpoint's lock, or linked under the
 * server's ipc_lock (a thread leaving a queue or a link takes that lock).
 */
#include "ipc/ipc.h"

#include "cap/cap_table.h"
#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "task/task.h"
#include "trace/trace.h"
#include "uapi/cap.h"
#include "uapi/errno.h"
#include "uapi/utcb.h"

#define IPC_CALL 0x1
#define IPC_GRANT 0x2

bool ipc_fastpath_enabled = true;
static CPU_LOCAL uint32_t fastpath_taken;

uint32_t ipc_fastpath_count(unsigned cpu)
{
	return READ_ONCE(*cpu_local_of(&fastpath_taken, cpu));
}

/* Endpoint lifetime. */

static void endpoint_release(struct kobject *o)
{
	kfree(container_of(o, struct endpoint, obj));
}

static void wake_all(struct list_node *queue, int result)
{
	while (!list_empty(queue)) {
		struct thread *t = list_entry(list_pop_front(queue), struct thread, wait_node);

		t->ipc_endpoint = NULL;
		sched_wake(t, result);
	}
}

static void endpoint_cap_added(struct kobject *o, uint32_t rights)
{
	if (rights & CAP_RIGHT_RECEIVE)
		__atomic_add_fetch(&container_of(o, struct endpoint, obj)->receive_caps, 1,
				   __ATOMIC_RELAXED);
}

/* The last capability able to receive is gone: nobody will ever answer. */
static void endpoint_cap_removed(struct kobject *o, uint32_t rights)
{
	struct endpoint *ep = container_of(o, struct endpoint, obj);

	if (!(rights & CAP_RIGHT_RECEIVE) ||
	    __atomic_sub_fetch(&ep->receive_caps, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	spin_lock(&ep->lock);
	ep->dead = true;
	wake_all(&ep->senders, -EPIPE);
	wake_all(&ep->receivers, -EPIPE);
	spin_unlock(&ep->lock);
}

static const struct kobject_ops endpoint_ops = {
	.release = endpoint_release,
	.cap_added = endpoint_cap_added,
	.cap_removed = endpoint_cap_removed,
};

struct endpoint *endpoint_create(void)
{
	struct endpoint *ep = kzalloc(sizeof(*ep));

	if (!ep)
		return NULL;
	kobject_init(&ep->obj, KOBJ_ENDPOINT, &endpoint_ops);
	spin_init(&ep->lock, "endpoint");
	list_init(&ep->senders);
	list_init(&ep->receivers);
	return ep;
}

/* Messages. */

/* The sender's side of the checks, before anything else happens. */
static int check_message(const struct thread *t, bool grant)
{
	uint32_t tag = READ_ONCE(t->utcb->tag);

	if (IPC_TAG_LENGTH(tag) > UTCB_MESSAGE_REGISTERS || IPC_TAG_CAPS(tag) > UTCB_CAPS_MAX)
		return -E2BIG;
	if (IPC_TAG_CAPS(tag) && !grant)
		return -EPERM;
	return 0;
}

/* Only endpoints and notifications travel in messages. */
static int transfer_cap(struct thread *from, struct thread *to, uint32_t from_slot,
			uint32_t to_slot)
{
	struct cap c;
	int err = cap_get(&from->task->caps, (int)from_slot, KOBJ_NONE, 0, &c);

	if (err)
		return err;
	if (c.object->type == KOBJ_ENDPOINT || c.object->type == KOBJ_NOTIFICATION)
		err = cap_insert_at(&to->task->caps, (int)to_slot, c.object, c.rights, c.badge);
	else
		err = -EINVAL;
	kobject_put(c.object);
	return err < 0 ? err : 0;
}

/* Moves up to caps capabilities into to's receive window, in order,
 * until one fails; returns how many made it. */
static __noinline unsigned transfer_caps(struct thread *from, struct thread *to, unsigned caps)
{
	const struct utcb *src = from->utcb;
	const struct utcb *dst = to->utcb;
	unsigned moved = 0;

	while (moved < caps &&
	       transfer_cap(from, to, src->send_caps[moved], dst->recv_window[moved]) == 0)
		moved++;
	return moved;
}

/*
 * Copies from's message into to's UTCB (both held in place by the
 * caller's lock). Capabilities land in to's receive window in order; the
 * delivered tag says how many made it. The words are copied one by one,
 * not with memcpy: messages are short, and rep movsb costs an emulated
 * instruction per byte.
 */
static void transfer(struct thread *from, struct thread *to, uint32_t badge)
{
	const struct utcb *src = from->utcb;
	struct utcb *dst = to->utcb;
	uint32_t tag = READ_ONCE(src->tag);
	unsigned length = MIN(IPC_TAG_LENGTH(tag), (unsigned)UTCB_MESSAGE_REGISTERS);
	unsigned caps = MIN(IPC_TAG_CAPS(tag), (unsigned)UTCB_CAPS_MAX);
	unsigned moved = 0;

	for (unsigned i = 0; i < length; i++)
		dst->mr[i] = src->mr[i];
	if (unlikely(caps))
		moved = transfer_caps(from, to, caps);
	dst->tag = IPC_TAG(IPC_TAG_LABEL(tag), length, moved);
	dst->badge = badge;
	dst->sender = from->tid;
	trace_ipc_send(from, to);
}

static struct thread *pop_waiter(struct list_node *queue)
{
	struct list_node *n = list_pop_front(queue);

	if (!n)
		return NULL;
	struct thread *t = list_entry(n, struct thread, wait_node);

	t->ipc_endpoint = NULL;
	return t;
}

static void enqueue_waiter(struct endpoint *ep, struct list_node *queue, struct thread *t)
{
	t->ipc_endpoint = ep;
	list_push_back(queue, &t->wait_node);
}

/* Reply links. */

/* Breaks server's link to its caller if it still points at caller (or at
 * anyone, when caller is NULL); returns the caller it unlinked, whose
 * reference passes to the caller of this function. server->ipc_lock held. */
static struct thread *unlink_reply(struct thread *server, struct thread *caller)
{
	struct thread *c = server->reply_to;

	if (!c || (caller && c != caller))
		return NULL;
	server->reply_to = NULL;
	c->reply_from = NULL;
	return c;
}

/*
 * Links a server to the caller it now owes a reply, and marks nothing
 * else: the caller is already blocked. Returns a caller the server still
 * owed a reply to (with its reference), which the caller of link_reply
 * must fail with -EPIPE (release_thread) once its locks are released.
 */
static struct thread *link_reply(struct thread *server, struct thread *caller)
{
	spin_lock(&server->ipc_lock);
	struct thread *old = unlink_reply(server, NULL);

	thread_get(caller);
	thread_get(server);
	server->reply_to = caller;
	caller->reply_from = server;
	caller->reply_server = server;
	spin_unlock(&server->ipc_lock);
	return old;
}

/*
 * Wakes t with result and drops a reference on it. Never with a lock
 * held: the reference may be the last, and freeing a thread waits for
 * other cores (a TLB shootdown).
 */
static void release_thread(struct thread *t, int result)
{
	if (t) {
		sched_wake(t, result);
		thread_put(t);
	}
}

/* After a call returned: drop the caller's reference on its server. */
static void call_done(struct thread *me)
{
	struct thread *server = me->reply_server;

	me->reply_server = NULL;
	if (server)
		thread_put(server);
}

/* Woken by something else than the partner (killed): leave the queue
 * and the reply link, so that no one uses this thread's UTCB again. */
static void cancel(struct thread *me, struct endpoint *ep)
{
	spin_lock(&ep->lock);
	if (list_linked(&me->wait_node)) {
		list_remove(&me->wait_node);
		me->ipc_endpoint = NULL;
	}
	spin_unlock(&ep->lock);

	struct thread *server = READ_ONCE(me->reply_server);

	if (server) {
		spin_lock(&server->ipc_lock);
		struct thread *c = unlink_reply(server, me);

		spin_unlock(&server->ipc_lock);
		if (c)
			thread_put(c);
	}
}

static bool fastpath_possible(const struct thread *me, const struct thread *partner)
{
	uint32_t tag = READ_ONCE(me->utcb->tag);

	return READ_ONCE(ipc_fastpath_enabled) && me->task != partner->task &&
	       IPC_TAG_LENGTH(tag) <= IPC_FASTPATH_WORDS && IPC_TAG_CAPS(tag) == 0;
}

/*
 * The current thread, already marked blocked, lets partner run: straight
 * away on this core when the fast path allows it, or through a normal
 * wake-up. Returns the current thread's own wake-up result. Takes over
 * the caller's reference on partner and drops it before blocking: a
 * thread parked in a server must not keep a finished caller alive.
 */
static int switch_to_partner(struct thread *me, struct thread *partner, bool fast)
{
	if (fast && sched_handoff(partner, 0)) {
		fastpath_taken++;
		return me->wait_result;
	}
	sched_wake(partner, 0);
	thread_put(partner);
	return sched_wait();
}

/* The operations. */

int ipc_send(struct endpoint *ep, uint32_t badge, bool grant, bool block)
{
	struct thread *me = current_thread();
	int err = check_message(me, grant);

	if (err)
		return err;
	spin_lock(&ep->lock);
	if (ep->dead) {
		spin_unlock(&ep->lock);
		return -EPIPE;
	}
	struct thread *r = pop_waiter(&ep->receivers);

	if (r) {
		transfer(me, r, badge);
		thread_get(r);
		spin_unlock(&ep->lock);
		release_thread(r, 0);
		return 0;
	}
	if (!block) {
		spin_unlock(&ep->lock);
		return -EAGAIN;
	}
	me->ipc_badge = badge;
	me->ipc_flags = grant ? IPC_GRANT : 0;
	enqueue_waiter(ep, &ep->senders, me);
	err = sched_block(&ep->lock);
	if (err)
		cancel(me, ep);
	return err;
}

/*
 * Takes a queued sender's message (ep->lock held). A plain sender is
 * returned, with a reference, to be woken with 0; a caller now waits for
 * our reply, and what is returned then is a caller we could no longer
 * answer, to be woken with -EPIPE. Either way: release_thread after the
 * lock is released.
 */
static struct thread *receive_from(struct thread *me, struct thread *s, int *wake_result)
{
	transfer(s, me, s->ipc_badge);
	if (s->ipc_flags & IPC_CALL) {
		*wake_result = -EPIPE;
		return link_reply(me, s);
	}
	*wake_result = 0;
	thread_get(s);
	return s;
}

int ipc_recv(struct endpoint *ep, bool block)
{
	struct thread *me = current_thread();

	spin_lock(&ep->lock);
	struct thread *s = pop_waiter(&ep->senders);

	if (s) {
		int result;
		struct thread *wake = receive_from(me, s, &result);

		spin_unlock(&ep->lock);
		release_thread(wake, result);
		return 0;
	}
	if (ep->dead || !block) {
		spin_unlock(&ep->lock);
		return ep->dead ? -EPIPE : -EAGAIN;
	}
	enqueue_waiter(ep, &ep->receivers, me);
	int err = sched_block(&ep->lock);

	if (err)
		cancel(me, ep);
	return err;
}

int ipc_call(struct endpoint *ep, uint32_t badge, bool grant)
{
	struct thread *me = current_thread();
	int err = check_message(me, grant);

	if (err)
		return err;
	spin_lock(&ep->lock);
	if (ep->dead) {
		spin_unlock(&ep->lock);
		return -EPIPE;
	}
	struct thread *r = pop_waiter(&ep->receivers);

	if (r) {
		transfer(me, r, badge);
		sched_prepare_block();
		struct thread *lost = link_reply(r, me);

		thread_get(r);
		spin_unlock(&ep->lock);
		release_thread(lost, -EPIPE);
		err = switch_to_partner(me, r, fastpath_possible(me, r));
	} else {
		me->ipc_badge = badge;
		me->ipc_flags = IPC_CALL | (grant ? IPC_GRANT : 0);
		enqueue_waiter(ep, &ep->senders, me);
		err = sched_block(&ep->lock);
	}
	if (err)
		cancel(me, ep);
	call_done(me);
	return err;
}

/*
 * The reply half of reply and reply_recv: copies the reply to the caller
 * and unlinks it. Returns the caller (with a reference), or NULL with
 * *err: -EPIPE when there is nobody to answer (no call, or the caller is
 * gone), or the message's error.
 */
static struct thread *answer_caller(struct thread *me, int *err)
{
	*err = check_message(me, true);
	if (*err)
		return NULL;
	spin_lock(&me->ipc_lock);
	struct thread *c = unlink_reply(me, NULL);

	if (c)
		transfer(me, c, 0);
	spin_unlock(&me->ipc_lock);
	*err = c ? 0 : -EPIPE;
	return c;
}

int ipc_reply(void)
{
	int err;

	release_thread(answer_caller(current_thread(), &err), 0);
	return err;
}

int ipc_reply_recv(struct endpoint *ep)
{
	struct thread *me = current_thread();
	int err;
	struct thread *c = answer_caller(me, &err);

	if (err && err != -EPIPE)
		return err;
	spin_lock(&ep->lock);
	struct thread *s = pop_waiter(&ep->senders);

	if (s || ep->dead) {
		int result = 0;
		struct thread *wake = s ? receive_from(me, s, &result) : NULL;

		spin_unlock(&ep->lock);
		release_thread(wake, result);
		release_thread(c, 0);
		return s ? 0 : -EPIPE;
	}
	enqueue_waiter(ep, &ep->receivers, me);
	sched_prepare_block();
	spin_unlock(&ep->lock);
	if (c)
		err = switch_to_partner(me, c, fastpath_possible(me, c));
	else
		err = sched_wait();
	if (err)
		cancel(me, ep);
	return err;
}

void ipc_thread_exit(struct thread *t)
{
	spin_lock(&t->ipc_lock);
	struct thread *c = unlink_reply(t, NULL);

	spin_unlock(&t->ipc_lock);
	release_thread(c, -EPIPE);
}
