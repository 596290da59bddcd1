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

void spin_assert_none_held(const char *what)
{
	if (cpu_locals_ready() && spin_locks_held)
		panic("%s with %u spinlock(s) held on cpu %u", what, spin_locks_held, cpu_id());
}
