/*
 * Kernel stacks: KSTACK_PAGES pages in the kernel virtual area above an
 * unmapped guard page (thread.h shows the layout).
 *
 * The kernel area is mapped in every address space, so unmapping a stack
 * means a TLB shootdown on every core, although the thread ran on one.
 * Each core therefore keeps the last few stacks freed on it, still
 * mapped, for the next threads created there: creating and reaping
 * threads in a loop then maps and unmaps nothing. A reused stack is not
 * zeroed (only the kernel ever sees it); thread_alloc clears the struct
 * at its top.
 */
#include "sched/kstack.h"

#include "cpu_locals/cpu_locals.h"
#include "mm/vmap.h"
#include "smp/smp.h"
#include "smp/spinlock.h"

#define KSTACK_CACHE_MAX 4

struct kstack_cache {
	/* Guards count and stacks. Taken by this core, and by another one
	 * only to count them (kstack_cached). */
	struct spinlock lock;
	unsigned count;
	void *stacks[KSTACK_CACHE_MAX];
};

static CPU_LOCAL struct kstack_cache cache = { .lock = SPINLOCK_INIT("kstack cache") };

void *kstack_alloc(void)
{
	void *stack = NULL;

	spin_lock(&cache.lock);
	if (cache.count)
		stack = cache.stacks[--cache.count];
	spin_unlock(&cache.lock);
	return stack ? stack : vmap_alloc(KSTACK_PAGES, KSTACK_GUARD_PAGES);
}

void kstack_free(void *stack)
{
	spin_lock(&cache.lock);
	if (cache.count < KSTACK_CACHE_MAX) {
		cache.stacks[cache.count++] = stack;
		stack = NULL;
	}
	spin_unlock(&cache.lock);
	/* After the lock: unmapping waits for the other cores. */
	if (stack)
		vmap_free(stack);
}

unsigned kstack_cached(void)
{
	unsigned stacks = 0;

	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		struct kstack_cache *c = cpu_local_of(&cache, cpu);

		spin_lock(&c->lock);
		stacks += c->count;
		spin_unlock(&c->lock);
	}
	return stacks;
}
