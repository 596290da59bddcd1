// host-test-sources: kernel/mm/frame_pool.c
/* The frame allocator's bookkeeping. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm/frame_pool.h"
#include "uapi/errno.h"

#define BASE 256
#define COUNT 1000

static uint32_t bitmap[(COUNT + 31) / 32];

static void fresh(struct frame_pool *p)
{
	frame_pool_init(p, bitmap, BASE, COUNT);
}

HOST_TEST(starts_all_used)
{
	struct frame_pool p;
	uint32_t pfn;

	fresh(&p);
	CHECK_EQ(p.free, 0);
	CHECK(!frame_pool_alloc(&p, &pfn));
}

HOST_TEST(release_reserve_clip_to_pool)
{
	struct frame_pool p;

	fresh(&p);
	CHECK_EQ(frame_pool_release_range(&p, 0, BASE + 10), 10);
	CHECK_EQ(frame_pool_release_range(&p, BASE + COUNT - 5, BASE + COUNT + 100), 5);
	CHECK_EQ(frame_pool_release_range(&p, BASE, BASE + 10), 0);
	CHECK_EQ(p.free, 15);
	CHECK_EQ(frame_pool_reserve_range(&p, BASE + 5, BASE + 20), 5);
	CHECK_EQ(p.free, 10);
}

HOST_TEST(alloc_all_then_free_all)
{
	struct frame_pool p;
	static bool seen[COUNT];
	static uint32_t got[COUNT];
	uint32_t n = 0, pfn;

	fresh(&p);
	memset(seen, 0, sizeof(seen));
	frame_pool_release_range(&p, BASE, BASE + COUNT);
	frame_pool_reserve_range(&p, BASE + 100, BASE + 200);
	while (frame_pool_alloc(&p, &pfn)) {
		CHECK(pfn >= BASE && pfn < BASE + COUNT);
		CHECK(pfn < BASE + 100 || pfn >= BASE + 200);
		CHECK(!seen[pfn - BASE]);
		seen[pfn - BASE] = true;
		got[n++] = pfn;
	}
	CHECK_EQ(n, COUNT - 100);
	CHECK_EQ(p.free, 0);
	for (uint32_t i = 0; i < n; i++)
		CHECK_EQ(frame_pool_free(&p, got[i]), 0);
	CHECK_EQ(p.free, COUNT - 100);
}

HOST_TEST(double_free_and_foreign_frames_refused)
{
	struct frame_pool p;
	uint32_t pfn;

	fresh(&p);
	frame_pool_release_range(&p, BASE, BASE + 3);
	CHECK(frame_pool_alloc(&p, &pfn));
	CHECK_EQ(frame_pool_free(&p, pfn), 0);
	CHECK_EQ(frame_pool_free(&p, pfn), -EINVAL);
	CHECK_EQ(frame_pool_free(&p, BASE - 1), -ERANGE);
	CHECK_EQ(frame_pool_free(&p, BASE + COUNT), -ERANGE);
	CHECK_EQ(p.free, 3);
}

HOST_TEST(random_alloc_free_keeps_count)
{
	struct frame_pool p;
	static uint32_t held[COUNT];
	uint32_t nheld = 0;
	unsigned seed = 12345;

	fresh(&p);
	frame_pool_release_range(&p, BASE, BASE + COUNT);
	for (int i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		if ((seed >> 16) % 3 && nheld < COUNT) {
			uint32_t pfn;

			if (frame_pool_alloc(&p, &pfn))
				held[nheld++] = pfn;
		} else if (nheld) {
			uint32_t k = (seed >> 8) % nheld;

			CHECK_EQ(frame_pool_free(&p, held[k]), 0);
			held[k] = held[--nheld];
		}
		if (p.free + nheld != COUNT) {
			CHECK_EQ(p.free + nheld, COUNT);
			return;
		}
	}
}
