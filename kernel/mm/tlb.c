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

static void invalidate_here(void *va)
{
	invlpg((uintptr_t)va);
}

void tlb_invalidate_page(struct address_space *as, uintptr_t va)
{
	uint32_t me = 1u << cpu_id();

	/* The page-table entry is already cleared; order that before reading
	 * which cores run the space (address_space_switch orders its side). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint32_t targets = as == &kernel_space ? cpu_online_mask() : READ_ONCE(as->active_cpus);

	if (targets & ~me)
		smp_call_many(targets, invalidate_here, (void *)va);
	else if (targets & me)
		invlpg(va);
}
