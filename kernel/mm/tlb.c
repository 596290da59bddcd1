/*
 * TLB invalidation. The kernel area is mapped in every space with global
 * pages, so a change there concerns every core; a user page concerns the
 * cores whose CR3 holds its space (address_space.active_cpus). Other cores
 * invalidate in an IPI, and the caller waits for all of them: after
 * paging_unmap returns, no core can still reach the old frame.
 *
 * A core that loads the space after the mask was read gets a fresh TLB
 * from the CR3 load (user pages are not global), so it cannot miss out.
 */
#include "mm/tlb.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/cpu_i386.h"
#include "mm/paging.h"
#include "smp/ipi.h"
#include "smp/smp.h"

struct range {
	uintptr_t va;
	size_t npages;
};

/* Beyond this many pages one CR3 reload is cheaper than invlpg each. */
#define INVLPG_MAX 32

static void invalidate_here(void *arg)
{
	const struct range *r = arg;

	/* A CR3 reload drops user translations, but not global (kernel) ones. */
	if (r->npages > INVLPG_MAX && r->va < USER_TOP) {
		write_cr3(read_cr3());
		return;
	}
	for (size_t i = 0; i < r->npages; i++)
		invlpg(r->va + i * PAGE_SIZE);
}

void tlb_invalidate_range(struct address_space *as, uintptr_t va, size_t npages)
{
	uint32_t me = 1u << cpu_id();
	struct range r = { va, npages };

	/* The page-table entries are already cleared; order that before
	 * reading which cores run the space (address_space_switch orders its
	 * side). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint32_t targets = as == &kernel_space ? cpu_online_mask() : READ_ONCE(as->active_cpus);

	if (targets & ~me)
		smp_call_many(targets, invalidate_here, &r);
	else if (targets & me)
		invalidate_here(&r);
}

void tlb_invalidate_page(struct address_space *as, uintptr_t va)
{
	tlb_invalidate_range(as, va, 1);
}
