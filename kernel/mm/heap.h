/*
 * The kernel heap for objects: kmalloc/kfree. Small objects come from
 * slabs of one frame per size class; anything larger than the largest
 * class gets whole pages (one frame, or vmap for more).
 */
#ifndef LOCUS_MM_HEAP_H
#define LOCUS_MM_HEAP_H

#include <stddef.h>
#include <stdint.h>

/* At least 16-byte aligned; NULL when memory is exhausted. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* align must be a power of two up to 4096. */
void *kmalloc_aligned(size_t size, size_t align);
void kfree(void *p);

struct heap_stats {
	uint32_t live_objects;	/* allocated and not freed */
	uint32_t slab_pages;	/* frames holding slabs */
	uint32_t large_pages;	/* frames of large allocations */
};

void heap_get_stats(struct heap_stats *stats);

#endif
