/*
 * Bookkeeping of physical page frames: one bit per frame (1 = free) over
 * a contiguous range of frame numbers. Pure logic, no locking: the kernel
 * wraps it in mm/frame.c, the host unit tests drive it directly.
 */
#ifndef LOCUS_MM_FRAME_POOL_H
#define LOCUS_MM_FRAME_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct frame_pool {
	uint32_t *bitmap;	/* bit set = frame free */
	uint32_t base_pfn;	/* first frame number covered */
	uint32_t count;		/* frames covered */
	uint32_t free;		/* frames free */
	uint32_t hint;		/* bitmap word where the next search starts */
};

/* Words of bitmap storage needed for count frames. */
static inline size_t frame_pool_bitmap_words(uint32_t count)
{
	return (count + 31) / 32;
}

/* Covers [base_pfn, base_pfn + count) with every frame in use. */
void frame_pool_init(struct frame_pool *pool, uint32_t *bitmap, uint32_t base_pfn,
		     uint32_t count);

/* Marks the frames of [start, end) free / in use (clipped to the pool);
 * returns how many changed state. */
uint32_t frame_pool_release_range(struct frame_pool *pool, uint32_t start, uint32_t end);
uint32_t frame_pool_reserve_range(struct frame_pool *pool, uint32_t start, uint32_t end);

/* Takes a free frame; false when none is left. */
bool frame_pool_alloc(struct frame_pool *pool, uint32_t *pfn);

/* Returns a frame: 0, -ERANGE if not in the pool, -EINVAL if already free. */
int frame_pool_free(struct frame_pool *pool, uint32_t pfn);

bool frame_pool_is_free(const struct frame_pool *pool, uint32_t pfn);

#endif
