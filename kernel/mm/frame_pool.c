#include "mm/frame_pool.h"

#include "uapi/errno.h"

static bool in_pool(const struct frame_pool *pool, uint32_t pfn)
{
	return pfn >= pool->base_pfn && pfn - pool->base_pfn < pool->count;
}

void frame_pool_init(struct frame_pool *pool, uint32_t *bitmap, uint32_t base_pfn,
		     uint32_t count)
{
	pool->bitmap = bitmap;
	pool->base_pfn = base_pfn;
	pool->count = count;
	pool->free = 0;
	pool->hint = 0;
	for (size_t i = 0; i < frame_pool_bitmap_words(count); i++)
		bitmap[i] = 0;
}

bool frame_pool_is_free(const struct frame_pool *pool, uint32_t pfn)
{
	if (!in_pool(pool, pfn))
		return false;
	uint32_t i = pfn - pool->base_pfn;

	return pool->bitmap[i / 32] & (1u << (i % 32));
}

/* Sets frame pfn's bit to free_state; returns whether it changed. */
static bool set_state(struct frame_pool *pool, uint32_t pfn, bool free_state)
{
	uint32_t i = pfn - pool->base_pfn;
	uint32_t bit = 1u << (i % 32);
	uint32_t *word = &pool->bitmap[i / 32];

	if (!!(*word & bit) == free_state)
		return false;
	if (free_state) {
		*word |= bit;
		pool->free++;
	} else {
		*word &= ~bit;
		pool->free--;
	}
	return true;
}

static uint32_t set_range(struct frame_pool *pool, uint32_t start, uint32_t end, bool free_state)
{
	uint32_t changed = 0;

	if (start < pool->base_pfn)
		start = pool->base_pfn;
	if (end > pool->base_pfn + pool->count)
		end = pool->base_pfn + pool->count;
	for (uint32_t pfn = start; pfn < end; pfn++)
		changed += set_state(pool, pfn, free_state);
	return changed;
}

uint32_t frame_pool_release_range(struct frame_pool *pool, uint32_t start, uint32_t end)
{
	return set_range(pool, start, end, true);
}

uint32_t frame_pool_reserve_range(struct frame_pool *pool, uint32_t start, uint32_t end)
{
	return set_range(pool, start, end, false);
}

bool frame_pool_alloc(struct frame_pool *pool, uint32_t *pfn)
{
	size_t words = frame_pool_bitmap_words(pool->count);

	if (pool->free == 0)
		return false;
	for (size_t n = 0; n < words; n++) {
		size_t w = (pool->hint + n) % words;

		if (!pool->bitmap[w])
			continue;
		uint32_t i = (uint32_t)w * 32 + (uint32_t)__builtin_ctz(pool->bitmap[w]);

		pool->hint = (uint32_t)w;
		set_state(pool, pool->base_pfn + i, false);
		*pfn = pool->base_pfn + i;
		return true;
	}
	return false;
}

int frame_pool_free(struct frame_pool *pool, uint32_t pfn)
{
	if (!in_pool(pool, pfn))
		return -ERANGE;
	if (!set_state(pool, pfn, true))
		return -EINVAL;
	return 0;
}
