#include "smp/spinlock.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"

/* Spinlocks this core holds (see spin_assert_none_held). */
static CPU_LOCAL unsigned locks_held;

/* Before cpu-locals are live only the boot core runs: call it core 0. */
static inline int lock_owner_id(void)
{
	return cpu_locals_ready() ? (int)cpu_id() : 0;
}

/* Counts a lock taken on this core; returns the owner id to record. */
static inline int note_taken(void)
{
	if (!cpu_locals_ready())
		return 0;
	locks_held++;
	return (int)cpu_id();
}

void spin_init(struct spinlock *lock, const char *name)
{
	*lock = (struct spinlock)SPINLOCK_INIT(name);
}

void spin_lock(struct spinlock *lock)
{
	bool was_on = irq_save();
	int me = lock_owner_id();

	if (unlikely(READ_ONCE(lock->owner_cpu) == me))
		panic("spinlock %s: taken again by cpu %d, which holds it", lock->name, me);

	uint32_t ticket = __atomic_fetch_add(&lock->next_ticket, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->now_serving, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
	lock->owner_cpu = note_taken();
	lock->irq_was_on = was_on;
}

bool spin_trylock(struct spinlock *lock)
{
	bool was_on = irq_save();
	uint32_t serving = __atomic_load_n(&lock->now_serving, __ATOMIC_RELAXED);
	uint32_t expected = serving;

	if (!__atomic_compare_exchange_n(&lock->next_ticket, &expected, serving + 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		irq_restore(was_on);
		return false;
	}
	lock->owner_cpu = note_taken();
	lock->irq_was_on = was_on;
	return true;
}

void spin_unlock(struct spinlock *lock)
{
	bool ready = cpu_locals_ready();
	int me = ready ? (int)cpu_id() : 0;

	if (unlikely(lock->owner_cpu != me))
		panic("spinlock %s: released by cpu %d, but held by %d", lock->name, me,
		      lock->owner_cpu);

	bool was_on = lock->irq_was_on;

	if (ready)
		locks_held--;
	lock->owner_cpu = -1;
	__atomic_store_n(&lock->now_serving, lock->now_serving + 1, __ATOMIC_RELEASE);
	irq_restore(was_on);
}

bool spin_held_by_me(const struct spinlock *lock)
{
	return READ_ONCE(lock->owner_cpu) == lock_owner_id();
}

void spin_assert_none_held(const char *what)
{
	if (cpu_locals_ready() && locks_held)
		panic("%s with %u spinlock(s) held on cpu %u", what, locks_held, cpu_id());
}
