/* Keeping TLBs coherent with page-table changes. */
#ifndef LOCUS_MM_TLB_H
#define LOCUS_MM_TLB_H

#include <stddef.h>
#include <stdint.h>

struct address_space;

/*
 * Invalidates va of address space as in every TLB that may cache it:
 * this core's if the space is loaded here (or it is the kernel space),
 * and those of other cores running it. Returns after all are done, so it
 * waits for other cores: never call it holding a spinlock.
 */
void tlb_invalidate_page(struct address_space *as, uintptr_t va);
/* The same for npages pages from va, in one round of IPIs. (A kernel-area
 * range larger than INVLPG_MAX pages is invalidated page by page too,
 * since a CR3 reload keeps global pages.) */
void tlb_invalidate_range(struct address_space *as, uintptr_t va, size_t npages);

#endif
