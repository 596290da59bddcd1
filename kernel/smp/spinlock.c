#include "smp/spinlock.h"

#include "lib/panic.h"

CPU_LOCAL unsigned spin_locks_held;

void spin_init(struct spinlock *lock, const char *name)
{
	*lock = (struct spinlock)SPINLOCK_INIT(name);
}

void spin_lock_wait(struct spinlock *lock, uint32_t ticket)
{
	while (__atomic_load_n(&lock->now_serving, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

void spin_lock_taken_again(const struct spinlock *lock, int me)
{
	panic("spinlock %s: taken again by cpu %d, which holds it", lock->name, me);
}

void spin_unlock_not_held(const struct spinlock *lock, int me)
{
	panic("spinlock %s: released by cpu %d, but held by %d", lock->name, me,
	      lock->owner_cpu);
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

	bool ready = cpu_locals_ready();

	if (ready)
		spin_locks_held++;
	lock->owner_cpu = spin_owner_id(ready);
	lock->irq_was_on = was_on;
	return true;
}

bool spin_held_by_me(const struct spinlock *lock)
{
	return READ_ONCE(lock->owner_cpu) == spin_owner_id(cpu_locals_ready());
}

void spin_assert_none_held(const char *what)
{
	if (cpu_locals_ready() && spin_locks_held)
		panic("%s with %u spinlock(s) held on cpu %u", what, spin_locks_held, cpu_id());
}
