/*
 * Notifications: asynchronous signals as a word of bits. A signal never
 * blocks and never fails; bits signalled while nobody waits accumulate
 * in the word until the next wait or poll takes them.
 */
#include "ipc/ipc.h"

#include "lib/compiler.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "uapi/errno.h"

static void notification_release(struct kobject *o)
{
	kfree(container_of(o, struct notification, obj));
}

static const struct kobject_ops notification_ops = { .release = notification_release };

struct notification *notification_create(void)
{
	struct notification *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	kobject_init(&n->obj, KOBJ_NOTIFICATION, &notification_ops);
	spin_init(&n->lock, "notification");
	list_init(&n->waiters);
	return n;
}

void notification_signal(struct notification *n, uint32_t bits)
{
	spin_lock(&n->lock);
	n->word |= bits;
	/* The first waiter takes the whole word with it. One already woken
	 * by something else (a kill) is still queued until it runs: it could
	 * not take the word, so the next one gets it, or it stays. */
	while (n->word && !list_empty(&n->waiters)) {
		struct thread *t =
		    list_entry(list_pop_front(&n->waiters), struct thread, wait_node);

		if (sched_wake(t, (int)n->word)) {
			n->word = 0;
			break;
		}
	}
	spin_unlock(&n->lock);
}

int notification_wait(struct notification *n, uint32_t *bits)
{
	struct thread *me = current_thread();

	spin_lock(&n->lock);
	if (n->word) {
		*bits = n->word;
		n->word = 0;
		spin_unlock(&n->lock);
		return 0;
	}
	list_push_back(&n->waiters, &me->wait_node);
	int result = sched_block(&n->lock);

	if (result > 0) {
		*bits = (uint32_t)result;
		return 0;
	}
	/* Woken by something else (a kill): leave the queue. */
	spin_lock(&n->lock);
	if (list_linked(&me->wait_node))
		list_remove(&me->wait_node);
	spin_unlock(&n->lock);
	return result ? result : -EINTR;
}

uint32_t notification_poll(struct notification *n)
{
	spin_lock(&n->lock);
	uint32_t word = n->word;

	n->word = 0;
	spin_unlock(&n->lock);
	return word;
}
