/* Keeping TLBs coherent with page-table changes. */
#ifndef LOCUS_MM_TLB_H
#define LOCUS_MM_TLB_H

#include <stdint.h>

struct address_space;

/*
 * Invalidates va of address space as in every TLB that may cache it:
 * this core's if the space is loaded here (or it is the kernel space),
 * and those of other cores running it. Returns after all are done, so it
 * waits for other cores: never call it holding a spinlock.
 */
void tlb_invalidate_page(struct address_space *as, uintptr_t va);

#endif
