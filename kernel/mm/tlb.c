/*
 * TLB invalidation. The kernel area is mapped in every space with global
 * pages, so a change there concerns every core; a user page concerns the
 * cores whose CR3 holds its space (address_space.active_cpus).
 */
#include "mm/tlb.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/cpu_i386.h"
#include "mm/paging.h"

void tlb_invalidate_page(struct address_space *as, uintptr_t va)
{
	if (as == &kernel_space || (READ_ONCE(as->active_cpus) & (1u << cpu_id())))
		invlpg(va);
}
