/*
 * Ticket spinlocks. Taking one disables interrupts on this core and
 * releasing it restores the interrupt flag as it was, so a lock shared with
 * an interrupt handler cannot deadlock its own core. Waiters are served in
 * arrival order.
 *
 * Debug checks (always on in this teaching kernel): the owner core is
 * recorded, and taking a lock this core already holds, or releasing one it
 * does not hold, panics with the lock's name.
 */
#ifndef LOCUS_SMP_SPINLOCK_H
#define LOCUS_SMP_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t next_ticket;	/* taken by each arriving core */
	uint32_t now_serving;	/* the ticket that may enter */
	int owner_cpu;		/* -1 when free */
	bool irq_was_on;	/* interrupt flag before the holder took it */
	const char *name;
};

#define SPINLOCK_INIT(lock_name) { .owner_cpu = -1, .name = (lock_name) }

void spin_init(struct spinlock *lock, const char *name);
void spin_lock(struct spinlock *lock);
/* Takes the lock if it is free right now; returns whether it did. */
bool spin_trylock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);
bool spin_held_by_me(const struct spinlock *lock);
/*
 * Panics if this core holds any spinlock: what must not happen then (for
 * example waiting for another core, which may be spinning on that lock
 * with interrupts off).
 */
void spin_assert_none_held(const char *what);

#endif
