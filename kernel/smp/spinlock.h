/*
 * Ticket spinlocks. Taking one disables interrupts on this core and
 * releasing it restores the interrupt flag as it was, so a lock shared with
 * an interrupt handler cannot deadlock its own core. Waiters are served in
 * arrival order.
 *
 * Debug checks (always on in this teaching kernel): the owner core is
 * recorded, and taking a lock this core already holds, or releasing one it
 * does not hold, panics with the lock's name. The owner's id and the count
 * of locks held are cpu-locals, so no lock may be taken before they are
 * live (the console, the only thing used that early, writes unlocked
 * then): one taken too early faults on the boot GDT's KTLS and panics
 * saying so.
 *
 * Taking and releasing a free lock are inline: they sit on every hot path
 * (IPC takes four pairs a call), and a call with its frame cost as much as
 * the lock itself. The checks stay: the owner id is one %gs-relative load.
 * Only waiting and the panics are out of line.
 */
#ifndef LOCUS_SMP_SPINLOCK_H
#define LOCUS_SMP_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/cpu_i386.h"

struct spinlock {
	uint32_t next_ticket;	/* taken by each arriving core */
	uint32_t now_serving;	/* the ticket that may enter */
	int owner_cpu;		/* -1 when free */
	bool irq_was_on;	/* interrupt flag before the holder took it */
	const char *name;
};

#define SPINLOCK_INIT(lock_name) { .owner_cpu = -1, .name = (lock_name) }

/* Spinlocks this core holds (see spin_assert_none_held). */
extern CPU_LOCAL unsigned spin_locks_held;

void spin_init(struct spinlock *lock, const char *name);
/*
 * Panics if this core holds any spinlock: what must not happen then (for
 * example waiting for another core, which may be spinning on that lock
 * with interrupts off).
 */
void spin_assert_none_held(const char *what);

/* The out-of-line halves of spin_lock and spin_unlock (spinlock.c). */
void spin_lock_wait(struct spinlock *lock, uint32_t ticket);
__noreturn void spin_lock_taken_again(const struct spinlock *lock, int me);
__noreturn void spin_unlock_not_held(const struct spinlock *lock, int me);

static inline void spin_lock(struct spinlock *lock)
{
	bool was_on = irq_save();
	int me = (int)cpu_id();

	if (unlikely(READ_ONCE(lock->owner_cpu) == me))
		spin_lock_taken_again(lock, me);

	uint32_t ticket = __atomic_fetch_add(&lock->next_ticket, 1, __ATOMIC_RELAXED);

	if (unlikely(__atomic_load_n(&lock->now_serving, __ATOMIC_ACQUIRE) != ticket))
		spin_lock_wait(lock, ticket);
	spin_locks_held++;
	lock->owner_cpu = me;
	lock->irq_was_on = was_on;
}

static inline void spin_unlock(struct spinlock *lock)
{
	int me = (int)cpu_id();

	if (unlikely(lock->owner_cpu != me))
		spin_unlock_not_held(lock, me);

	bool was_on = lock->irq_was_on;

	spin_locks_held--;
	lock->owner_cpu = -1;
	__atomic_store_n(&lock->now_serving, lock->now_serving + 1, __ATOMIC_RELEASE);
	irq_restore(was_on);
}

#endif
