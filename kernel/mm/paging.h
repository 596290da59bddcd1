/*
 * Address spaces and the paging API: map, unmap, query, switch. The
 * kernel half (0xC0000000 and up) is the same in every address space: the
 * direct map uses 4 MiB pages, and the page tables of the kernel virtual
 * area are allocated once at boot, so kernel mappings never have to be
 * copied between page directories.
 */
#ifndef LOCUS_MM_PAGING_H
#define LOCUS_MM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/frame.h"
#include "smp/spinlock.h"

/* Mapping flags. */
#define MAP_WRITE (1u << 0)
#define MAP_USER (1u << 1)
#define MAP_NOCACHE (1u << 2)

struct address_space {
	uint32_t *page_directory;	/* through the direct map */
	paddr_t page_directory_phys;
	/* Protects the user half of this space's page tables. */
	struct spinlock lock;
	/* Cores that have this space loaded in CR3 (for TLB shootdowns). */
	uint32_t active_cpus;
};

/* The kernel's own space: the boot page directory, kernel half only. */
extern struct address_space kernel_space;

/* Physical address of the master page directory (valid from boot on). */
paddr_t kernel_page_directory_phys(void);

/* Drops the boot identity map and builds the kernel virtual area. */
void paging_init(void);

/* A new space: empty user half, shared kernel half. 0 or -ENOMEM. */
int address_space_create(struct address_space *as);
/*
 * Frees every user page table of a space that no core runs any more;
 * release is called for each still-mapped user page (to free its frame).
 */
void address_space_destroy(struct address_space *as,
			   void (*release)(paddr_t pa, void *ctx), void *ctx);
/* Loads a space into CR3 on this core. */
void address_space_switch(struct address_space *as);
/* The space currently loaded on this core. */
struct address_space *address_space_current(void);

/*
 * Maps one page. va and pa page-aligned; a user mapping must lie below
 * USER_TOP and a kernel one in the kernel virtual area.
 * Returns 0, -EINVAL, -EEXIST (already mapped) or -ENOMEM.
 */
int paging_map(struct address_space *as, uintptr_t va, paddr_t pa, unsigned flags);
/* Unmaps one page and invalidates it in every TLB that may hold it.
 * Returns 0 (*pa = the frame it mapped) or -ENOENT. */
int paging_unmap(struct address_space *as, uintptr_t va, paddr_t *pa);
/* Looks a page up: 0 with *pa and *flags filled in, or -ENOENT. */
int paging_query(struct address_space *as, uintptr_t va, paddr_t *pa, unsigned *flags);

/*
 * The part of the above that expects as->lock held (or the kernel area),
 * for callers that must check and map under one lock. paging_unmap_locked
 * only clears the entry: after releasing the lock, and before reusing the
 * frame, the caller must call tlb_invalidate_page (mm/tlb.h).
 */
int paging_map_locked(struct address_space *as, uintptr_t va, paddr_t pa, unsigned flags);
int paging_unmap_locked(struct address_space *as, uintptr_t va, paddr_t *pa);
int paging_query_locked(struct address_space *as, uintptr_t va, paddr_t *pa, unsigned *flags);
/*
 * The lowest mapped page in [va, end) of a space's user half, or end when
 * there is none. Skips a missing page table in one step, so a search
 * through empty space costs one look per 4 MiB.
 */
uintptr_t paging_first_mapped_locked(struct address_space *as, uintptr_t va, uintptr_t end);

#endif
