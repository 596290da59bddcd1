/*
 * Physical frames for the whole kernel: page tables, heap slabs, kernel
 * stacks, user memory. Frames come from the multiboot memory map below
 * the direct-map limit (mm/layout.h); physical address 0 is never handed
 * out, so 0 means "no frame".
 */
#ifndef LOCUS_MM_FRAME_H
#define LOCUS_MM_FRAME_H

#include <stdint.h>

#include "mm/layout.h"

typedef uint32_t paddr_t;

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
	return (paddr_t)((uintptr_t)va - DIRECT_MAP_BASE);
}

/* Sets up the pool from the memory map and prints the memory report. */
void frame_init(void);

/* A frame (contents undefined), or 0 when memory is exhausted. */
paddr_t frame_alloc(void);
/* A zero-filled frame, or 0. */
paddr_t frame_alloc_zeroed(void);
void frame_free(paddr_t pa);

/* Frames free right now, including those in per-core caches. */
uint32_t frames_free(void);
/* Frames the allocator manages in all. */
uint32_t frames_managed(void);

#endif
