/*
 * The kernel virtual area (VMAP_BASE .. VMAP_END): virtually contiguous
 * kernel memory built from scattered frames, kernel stacks with unmapped
 * guard pages below them, and device (MMIO) windows.
 */
#ifndef LOCUS_MM_VMAP_H
#define LOCUS_MM_VMAP_H

#include <stddef.h>
#include <stdint.h>

#include "mm/frame.h"

void vmap_init(void);

/*
 * npages of zeroed memory preceded by guard_pages unmapped pages; returns
 * the address of the first mapped page, or NULL without memory or space.
 */
void *vmap_alloc(size_t npages, size_t guard_pages);

/* Frees a vmap_alloc allocation (addr as returned) and its frames;
 * returns how many mapped pages it had. */
size_t vmap_free(void *addr);

/* Maps size bytes of device memory at pa uncached; never freed. */
void *vmap_map_mmio(paddr_t pa, size_t size);

/* Reserves npages of address space with nothing mapped (for tests). */
uintptr_t vmap_reserve(size_t npages);
void vmap_release(uintptr_t va);

/* Pages of the area in use (allocations and their guards). */
uint32_t vmap_pages_used(void);

#endif
