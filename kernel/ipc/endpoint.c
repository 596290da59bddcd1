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
 * Copies the words of from's message, whose tag the caller read once, into
 * to's UTCB (both held in place by the caller's lock), with the tag saying
 * that `moved` capabilities made it. The words are copied one by one, not
 * with memcpy: messages are short, and rep movsb costs an emulated
 * instruction per byte.
 */
static void deliver(struct thread *from, struct thread *to, uint32_t tag, unsigned moved,
		    uint32_t badge)
{
	const struct utcb *src = from->utcb;
	struct utcb *dst = to->utcb;
	unsigned length = MIN(IPC_TAG_LENGTH(tag), (unsigned)UTCB_MESSAGE_REGISTERS);

	for (unsigned i = 0; i < length; i++)
		dst->mr[i] = src->mr[i];
	dst->tag = IPC_TAG(IPC_TAG_LABEL(tag), length, moved);
	dst->badge = badge;
	dst->sender = from->tid;
	trace_ipc_send(from, to);
}

/*
 * Copies from's message into to's UTCB. Capabilities land in to's
 * receive window in order; the delivered tag says how many made it. They
 * move only with `grant`, the right check_message was given when the
 * message was sent: the tag is read again here, and another thread of
 * the sender's task may have rewritten it since (even while the sender
 * sat in a queue).
 */
static void transfer(struct thread *from, struct thread *to, uint32_t badge, bool grant)
{
	uint32_t tag = READ_ONCE(from->utcb->tag);
	unsigned caps = grant ? MIN(IPC_TAG_CAPS(tag), (unsigned)UTCB_CAPS_MAX) : 0;

	deliver(from, to, tag, unlikely(caps) ? transfer_caps(from, to, caps) : 0, badge);
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

/* The thread a pop_waiter would take, left on the queue. */
static struct thread *first_waiter(struct list_node *queue)
{
	return list_empty(queue) ? NULL : list_entry(queue->next, struct thread, wait_node);
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
 * link_reply_locked: the same, server->ipc_lock held.
 */
static struct thread *link_reply_locked(struct thread *server, struct thread *caller)
{
	struct thread *old = unlink_reply(server, NULL);

	thread_get(caller);
	thread_get(server);
	server->reply_to = caller;
	caller->reply_from = server;
	caller->reply_server = server;
	return old;
}

static struct thread *link_reply(struct thread *server, struct thread *caller)
{
	spin_lock(&server->ipc_lock);
	struct thread *old = link_reply_locked(server, caller);

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

/* Woken while waiting on ep: a thread woken by anything but its partner
 * (killed) leaves the queue and the reply link first. */
static int wait_finish(struct thread *me, struct endpoint *ep, int err)
{
	if (err)
		cancel(me, ep);
	return err;
}

/* The same for a call, which then drops its reference on the server. */
static int call_finish(struct thread *me, struct endpoint *ep, int err)
{
	wait_finish(me, ep, err);
	call_done(me);
	return err;
}

/*
 * May me's message with this tag go to partner by the fast path? Also a
 * first look at the partner's core, without its run-queue lock: partner
 * cannot move while it is blocked, and sched_direct_lock checks again.
 */
static bool fastpath_possible(const struct thread *me, const struct thread *partner,
			      uint32_t tag)
{
	return READ_ONCE(ipc_fastpath_enabled) && me->task != partner->task &&
	       IPC_TAG_LENGTH(tag) <= IPC_FASTPATH_WORDS && IPC_TAG_CAPS(tag) == 0 &&
	       READ_ONCE(partner->cpu) == cpu_id();
}

/*
 * The current thread, already marked blocked, wakes partner and waits for
 * its own wake-up, whose result it returns. Takes over the caller's
 * reference on partner and drops it before blocking: a thread parked in a
 * server must not keep a finished caller alive.
 */
static int switch_to_partner(struct thread *partner)
{
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
		transfer(me, r, badge, grant);
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
	return wait_finish(me, ep, sched_block(&ep->lock));
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
	transfer(s, me, s->ipc_badge, s->ipc_flags & IPC_GRANT);
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
		int err = ep->dead ? -EPIPE : -EAGAIN;

		spin_unlock(&ep->lock);
		return err;
	}
	enqueue_waiter(ep, &ep->receivers, me);
	return wait_finish(me, ep, sched_block(&ep->lock));
}

/*
 * The fast path of call (ep->lock held, r the first receiver): r runs at
 * once, on this core, in place of the caller. Every condition is checked,
 * under r's ipc_lock and the run-queue lock too, before anything changes:
 * declining leaves nothing to undo. r must owe no reply (the full path
 * fails that lost caller). r cannot go away: it is queued under ep->lock,
 * then blocked on this core under the run-queue lock. Returns true with
 * the message delivered, the reply linked, ep->lock released and the
 * run-queue lock held for sched_direct_switch.
 */
static bool call_fast(struct thread *me, struct endpoint *ep, struct thread *r, uint32_t tag,
		      uint32_t badge)
{
	if (!fastpath_possible(me, r, tag))
		return false;
	spin_lock(&r->ipc_lock);
	if (r->reply_to || !sched_direct_lock(r)) {
		spin_unlock(&r->ipc_lock);
		return false;
	}
	pop_waiter(&ep->receivers);
	deliver(me, r, tag, 0, badge);
	link_reply_locked(r, me);
	spin_unlock(&r->ipc_lock);
	sched_prepare_block();
	spin_unlock(&ep->lock);
	fastpath_taken++;
	return true;
}

int ipc_call(struct endpoint *ep, uint32_t badge, bool grant)
{
	struct thread *me = current_thread();
	/* Read once for the fast path: another thread of the task may be
	 * rewriting it, and a message checked must be the one delivered. */
	uint32_t tag = READ_ONCE(me->utcb->tag);
	int err = check_message(me, grant);

	if (err)
		return err;
	spin_lock(&ep->lock);
	if (ep->dead) {
		spin_unlock(&ep->lock);
		return -EPIPE;
	}
	struct thread *r = first_waiter(&ep->receivers);

	if (r && call_fast(me, ep, r, tag, badge))
		return call_finish(me, ep, sched_direct_switch(r));
	r = pop_waiter(&ep->receivers);
	if (r) {
		transfer(me, r, badge, grant);
		sched_prepare_block();
		struct thread *lost = link_reply(r, me);

		thread_get(r);
		spin_unlock(&ep->lock);
		release_thread(lost, -EPIPE);
		err = switch_to_partner(r);
	} else {
		me->ipc_badge = badge;
		me->ipc_flags = IPC_CALL | (grant ? IPC_GRANT : 0);
		enqueue_waiter(ep, &ep->senders, me);
		err = sched_block(&ep->lock);
	}
	return call_finish(me, ep, err);
}

/*
 * The reply half of reply and reply_recv, me->ipc_lock held: copies the
 * reply to the caller and unlinks it. Returns the caller (with a
 * reference), or NULL when there is nobody to answer (no call, or the
 * caller is gone).
 */
static struct thread *answer_caller_locked(struct thread *me)
{
	struct thread *c = unlink_reply(me, NULL);

	if (c)
		transfer(me, c, 0, true);
	return c;
}

int ipc_reply(void)
{
	struct thread *me = current_thread();
	int err = check_message(me, true);

	if (err)
		return err;
	spin_lock(&me->ipc_lock);
	struct thread *c = answer_caller_locked(me);

	spin_unlock(&me->ipc_lock);
	release_thread(c, 0);
	return c ? 0 : -EPIPE;
}

/*
 * The fast path of reply_recv (ep->lock and me->ipc_lock held, c the
 * caller owed a reply, no sender waiting): c runs at once, on this core,
 * with the reply, and me waits on ep as a receiver. Checked as for call
 * before anything changes; c cannot go away: it is linked under
 * me->ipc_lock, then blocked on this core under the run-queue lock.
 * Returns true with both locks released and the run-queue lock held for
 * sched_direct_switch.
 */
static bool reply_recv_fast(struct thread *me, struct endpoint *ep, struct thread *c,
			    uint32_t tag)
{
	if (!fastpath_possible(me, c, tag) || !sched_direct_lock(c))
		return false;
	unlink_reply(me, c);
	deliver(me, c, tag, 0, 0);
	spin_unlock(&me->ipc_lock);
	/* The link's reference: c is blocked, not dead, so it still holds
	 * its own and this one is never the last (which would free it here,
	 * locks held). */
	thread_put(c);
	enqueue_waiter(ep, &ep->receivers, me);
	sched_prepare_block();
	spin_unlock(&ep->lock);
	fastpath_taken++;
	return true;
}

/*
 * The reply is made under ep->lock as well as me->ipc_lock (the lock
 * order allows it), so that the fast path can check the endpoint and the
 * caller together, and the full path goes on without taking them again.
 */
int ipc_reply_recv(struct endpoint *ep)
{
	struct thread *me = current_thread();
	uint32_t tag = READ_ONCE(me->utcb->tag);
	int err = check_message(me, true);

	if (err)
		return err;
	spin_lock(&ep->lock);
	spin_lock(&me->ipc_lock);
	struct thread *c = me->reply_to;

	if (c && !ep->dead && list_empty(&ep->senders) && reply_recv_fast(me, ep, c, tag))
		return wait_finish(me, ep, sched_direct_switch(c));
	c = answer_caller_locked(me);
	spin_unlock(&me->ipc_lock);

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
	return wait_finish(me, ep, c ? switch_to_partner(c) : sched_wait());
}

void ipc_thread_exit(struct thread *t)
{
	spin_lock(&t->ipc_lock);
	struct thread *c = unlink_reply(t, NULL);

	spin_unlock(&t->ipc_lock);
	release_thread(c, -EPIPE);
}
