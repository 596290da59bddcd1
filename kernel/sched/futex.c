/*
 * Waiters sleep in a hash table of queues keyed by (task, user address),
 * each queue with its own lock: futexes of different tasks or different
 * words rarely share a lock, and there is no global one.
 */
#include "sched/futex.h"

#include "lib/compiler.h"
#include "lib/list.h"
#include "mm/layout.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "smp/spinlock.h"
#include "task/uaccess.h"
#include "uapi/errno.h"

#define FUTEX_BUCKETS 64

struct futex_bucket {
	/* Protects waiters, and the futex fields of the threads on it. */
	struct spinlock lock;
	struct list_node waiters;	/* by thread->wait_node */
};

static struct futex_bucket buckets[FUTEX_BUCKETS];

static struct futex_bucket *bucket_of(const struct task *task, uintptr_t addr)
{
	uint32_t h = (uint32_t)(uintptr_t)task * 2654435761u ^ (uint32_t)addr * 40503u;

	return &buckets[(h >> 7) % FUTEX_BUCKETS];
}

void futex_init(void)
{
	for (unsigned i = 0; i < FUTEX_BUCKETS; i++) {
		spin_init(&buckets[i].lock, "futex bucket");
		list_init(&buckets[i].waiters);
	}
}

int futex_wait(uintptr_t addr, uint32_t expected, uint32_t timeout_ms)
{
	struct thread *me = current_thread();
	struct futex_bucket *b = bucket_of(me->task, addr);
	uint32_t value;

	if (addr % sizeof(uint32_t) || addr >= USER_TOP)
		return -EINVAL;
	spin_lock(&b->lock);
	if (copy_from_user(&value, addr, sizeof(value))) {
		spin_unlock(&b->lock);
		return -EFAULT;
	}
	if (value != expected) {
		spin_unlock(&b->lock);
		return -EAGAIN;
	}
	me->futex_task = me->task;
	me->futex_addr = addr;
	list_push_back(&b->waiters, &me->wait_node);
	int result = timeout_ms ? sched_block_timeout(&b->lock, timeout_ms) : sched_block(&b->lock);

	if (result) {
		/* Timed out or interrupted: still queued, unless a wake came too. */
		spin_lock(&b->lock);
		if (list_linked(&me->wait_node))
			list_remove(&me->wait_node);
		spin_unlock(&b->lock);
	}
	return result;
}

int futex_wake(uintptr_t addr, uint32_t count)
{
	struct task *task = current_thread()->task;
	struct futex_bucket *b = bucket_of(task, addr);
	struct list_node *pos, *next;
	int woken = 0;

	if (addr % sizeof(uint32_t) || addr >= USER_TOP)
		return -EINVAL;
	spin_lock(&b->lock);
	for (pos = b->waiters.next; pos != &b->waiters && (uint32_t)woken < count; pos = next) {
		struct thread *t = list_entry(pos, struct thread, wait_node);

		next = pos->next;
		if (t->futex_task != task || t->futex_addr != addr)
			continue;
		list_remove(&t->wait_node);
		/* One whose timeout already woke it counts for nothing. */
		if (sched_wake(t, 0))
			woken++;
	}
	spin_unlock(&b->lock);
	return woken;
}
