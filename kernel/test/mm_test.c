/* Tests of physical frames, paging, the kernel virtual area and the heap. */
#include "cpu_locals/cpu_locals.h"
#include "lib/cpu_i386.h"
#include "lib/string.h"
#include "lib/xorshift.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/vmap.h"
#include "test/ktest.h"
#include "trap/probe.h"
#include "trap/vectors.h"
#include "uapi/errno.h"

#define FRAME_MARK 0xF4A3E5A1u
#define PF_ERROR_PRESENT 0x1
#define PF_ERROR_WRITE 0x2
#define PF_ERROR_USER 0x4

/*
 * Every free frame, allocated and chained through the frames themselves;
 * a frame already carrying this run's mark was handed out twice.
 */
KTEST(mm, frame_alloc_all)
{
	uint32_t baseline = frames_free();
	uint32_t nonce = (uint32_t)rdtsc() | 1;
	paddr_t chain = 0;
	uint32_t count = 0, duplicates = 0;

	for (;;) {
		paddr_t pa = frame_alloc();

		if (!pa)
			break;
		uint32_t *words = phys_to_virt(pa);

		if (words[0] == FRAME_MARK && words[1] == nonce)
			duplicates++;
		words[0] = FRAME_MARK;
		words[1] = nonce;
		words[2] = chain;
		chain = pa;
		count++;
	}
	while (chain) {
		uint32_t *words = phys_to_virt(chain);
		paddr_t next = words[2];

		words[0] = 0;
		frame_free(chain);
		chain = next;
	}
	KT_ASSERT_EQ(duplicates, 0);
	KT_ASSERT_EQ(count, baseline);
	KT_ASSERT_EQ(frames_free(), baseline);
}

KTEST(mm, frame_alloc_zeroed)
{
	paddr_t pa = frame_alloc();

	KT_ASSERT(pa != 0);
	memset(phys_to_virt(pa), 0xA5, PAGE_SIZE);
	frame_free(pa);
	/* The per-core cache hands the same frame straight back. */
	paddr_t again = frame_alloc_zeroed();
	const uint8_t *bytes = phys_to_virt(again);
	unsigned nonzero = 0;

	for (unsigned i = 0; i < PAGE_SIZE; i++)
		nonzero += bytes[i] != 0;
	frame_free(again);
	KT_ASSERT_EQ(again, pa);
	KT_ASSERT_EQ(nonzero, 0);
}

/* Writes through one mapping of a frame and reads through another. */
KTEST(mm, map_two_aliases)
{
	paddr_t pa = frame_alloc_zeroed();
	uintptr_t va = vmap_reserve(2);

	KT_ASSERT(pa && va);
	KT_ASSERT_EQ(paging_map(&kernel_space, va, pa, MAP_WRITE), 0);
	KT_ASSERT_EQ(paging_map(&kernel_space, va + PAGE_SIZE, pa, MAP_WRITE), 0);
	*(volatile uint32_t *)(va + 0x10) = 0xDEADBEEF;
	uint32_t through_alias = *(volatile uint32_t *)(va + PAGE_SIZE + 0x10);
	uint32_t through_direct = *(volatile uint32_t *)((uintptr_t)phys_to_virt(pa) + 0x10);

	paging_unmap(&kernel_space, va, NULL);
	paging_unmap(&kernel_space, va + PAGE_SIZE, NULL);
	vmap_release(va);
	frame_free(pa);
	KT_ASSERT_EQ(through_alias, 0xDEADBEEF);
	KT_ASSERT_EQ(through_direct, 0xDEADBEEF);
}

/* After unmap the access must fault, with CR2 = the address. */
KTEST(mm, unmap_then_access_faults)
{
	paddr_t pa = frame_alloc_zeroed();
	uintptr_t va = vmap_reserve(1);
	uint32_t value = 0;

	KT_ASSERT(pa && va);
	KT_ASSERT_EQ(paging_map(&kernel_space, va, pa, MAP_WRITE), 0);
	KT_ASSERT_EQ(probe_write32(va + 8, 77), 0);
	KT_ASSERT_EQ(probe_read32(va + 8, &value), 0);
	KT_ASSERT_EQ(value, 77);

	paddr_t unmapped = 0;

	KT_ASSERT_EQ(paging_unmap(&kernel_space, va, &unmapped), 0);
	KT_ASSERT_EQ(unmapped, pa);
	uint32_t faults = probe_last_fault().count;
	int r = probe_read32(va + 8, &value);
	struct probe_fault f = probe_last_fault();

	vmap_release(va);
	frame_free(pa);
	KT_ASSERT_EQ(r, -1);
	KT_ASSERT_EQ(f.count, faults + 1);
	KT_ASSERT_EQ(f.vector, VEC_PAGE_FAULT);
	KT_ASSERT_EQ(f.cr2, va + 8);
	/* Not present, a read, from the kernel. */
	KT_ASSERT_EQ(f.error & (PF_ERROR_PRESENT | PF_ERROR_WRITE | PF_ERROR_USER), 0);
}

KTEST(mm, query_reports_mappings)
{
	paddr_t pa = frame_alloc_zeroed();
	uintptr_t va = vmap_reserve(1);
	paddr_t got = 0;
	unsigned flags = 0;

	KT_ASSERT(pa && va);
	KT_ASSERT_EQ(paging_query(&kernel_space, va, &got, &flags), -ENOENT);
	KT_ASSERT_EQ(paging_map(&kernel_space, va, pa, MAP_WRITE), 0);
	KT_ASSERT_EQ(paging_query(&kernel_space, va, &got, &flags), 0);
	KT_ASSERT_EQ(got, pa);
	KT_ASSERT_EQ(flags, MAP_WRITE);
	/* The direct map answers too, through its 4 MiB pages. */
	KT_ASSERT_EQ(paging_query(&kernel_space, (uintptr_t)phys_to_virt(pa), &got, NULL), 0);
	KT_ASSERT_EQ(got, pa);
	paging_unmap(&kernel_space, va, NULL);
	vmap_release(va);
	frame_free(pa);
}

KTEST(mm, map_rejects_bad_requests)
{
	struct address_space as;
	paddr_t pa = frame_alloc_zeroed();
	uintptr_t va = vmap_reserve(1);

	KT_ASSERT(pa && va);
	KT_ASSERT_EQ(address_space_create(&as), 0);
	KT_CHECK_EQ(paging_map(&kernel_space, va + 4, pa, MAP_WRITE), -EINVAL);
	KT_CHECK_EQ(paging_map(&kernel_space, va, pa + 4, MAP_WRITE), -EINVAL);
	KT_CHECK_EQ(paging_map(&kernel_space, 0x400000, pa, MAP_WRITE), -EINVAL);
	KT_CHECK_EQ(paging_map(&as, VMAP_BASE, pa, MAP_WRITE | MAP_USER), -EINVAL);
	KT_CHECK_EQ(paging_map(&as, 0x400000, pa, MAP_WRITE), -EINVAL);
	KT_CHECK_EQ(paging_map(&kernel_space, va, pa, MAP_WRITE), 0);
	KT_CHECK_EQ(paging_map(&kernel_space, va, pa, MAP_WRITE), -EEXIST);
	KT_CHECK_EQ(paging_unmap(&kernel_space, va, NULL), 0);
	KT_CHECK_EQ(paging_unmap(&kernel_space, va, NULL), -ENOENT);
	address_space_destroy(&as, NULL, NULL);
	vmap_release(va);
	frame_free(pa);
}

static void count_release(paddr_t pa, void *ctx)
{
	frame_free(pa);
	(*(unsigned *)ctx)++;
}

/* A user mapping in a new space, seen through the direct map; destroying
 * the space gives every frame back. */
KTEST(mm, address_space_user_mapping)
{
	uint32_t baseline = frames_free();
	struct address_space as;
	const uintptr_t user_va = 0x00800000;

	KT_ASSERT_EQ(address_space_create(&as), 0);
	paddr_t pa = frame_alloc_zeroed();

	KT_ASSERT(pa);
	KT_ASSERT_EQ(paging_map(&as, user_va, pa, MAP_WRITE | MAP_USER), 0);

	struct address_space *old = address_space_current();

	address_space_switch(&as);
	*(volatile uint32_t *)(user_va + 0x20) = 0x1234ABCD;
	address_space_switch(old);

	unsigned flags = 0;

	KT_CHECK_EQ(paging_query(&as, user_va, NULL, &flags), 0);
	KT_CHECK_EQ(flags, MAP_WRITE | MAP_USER);
	KT_CHECK_EQ(*(uint32_t *)((uintptr_t)phys_to_virt(pa) + 0x20), 0x1234ABCD);
	KT_CHECK_EQ(as.active_cpus, 0);
	unsigned released = 0;

	address_space_destroy(&as, count_release, &released);
	KT_ASSERT_EQ(released, 1);
	KT_ASSERT_EQ(frames_free(), baseline);
}

/* vmap allocations are zeroed, and the guard page below them faults. */
KTEST(mm, vmap_guard_page)
{
	uint32_t used = vmap_pages_used();
	uint8_t *p = vmap_alloc(2, 1);
	uint32_t value;

	KT_ASSERT(p != NULL);
	KT_CHECK_EQ(vmap_pages_used(), used + 3);
	KT_CHECK_EQ(p[0] | p[PAGE_SIZE * 2 - 1], 0);
	KT_CHECK_EQ(probe_write32((uintptr_t)p + PAGE_SIZE, 5), 0);
	KT_CHECK_EQ(probe_read32((uintptr_t)p - 4, &value), -1);
	KT_CHECK_EQ(probe_last_fault().cr2, (uintptr_t)p - 4);
	KT_CHECK_EQ(vmap_free(p), 2);
	KT_CHECK_EQ(vmap_pages_used(), used);
	KT_CHECK_EQ(probe_read32((uintptr_t)p, &value), -1);
}

/* Random sizes, contents checked on free, nothing left over at the end. */
KTEST(mm, heap_stress)
{
	enum { SLOTS = 256, ROUNDS = 6000 };
	static uint8_t *slot[SLOTS];
	static uint32_t size[SLOTS];
	struct heap_stats before, after;
	uint32_t seed = 0x2545F491;
	unsigned corrupt = 0, failed = 0;

	heap_get_stats(&before);
	for (unsigned round = 0; round < ROUNDS; round++) {
		unsigned i = xorshift32(&seed) % SLOTS;

		if (slot[i]) {
			for (uint32_t b = 0; b < size[i]; b++)
				corrupt += slot[i][b] != (uint8_t)(i + b);
			kfree(slot[i]);
			slot[i] = NULL;
			continue;
		}
		/* Mostly small objects, some large ones. */
		uint32_t r = xorshift32(&seed);

		size[i] = r % 8 == 0 ? 1 + r % 9000 : 1 + r % 1024;
		slot[i] = kmalloc(size[i]);
		if (!slot[i]) {
			failed++;
			continue;
		}
		if ((uintptr_t)slot[i] % 16)
			corrupt++;
		for (uint32_t b = 0; b < size[i]; b++)
			slot[i][b] = (uint8_t)(i + b);
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		if (slot[i]) {
			for (uint32_t b = 0; b < size[i]; b++)
				corrupt += slot[i][b] != (uint8_t)(i + b);
			kfree(slot[i]);
			slot[i] = NULL;
		}
	}
	heap_get_stats(&after);
	KT_ASSERT_EQ(failed, 0);
	KT_ASSERT_EQ(corrupt, 0);
	KT_ASSERT_EQ(after.live_objects, before.live_objects);
	KT_ASSERT_EQ(after.large_pages, before.large_pages);
}

KTEST(mm, heap_alignment)
{
	void *a = kmalloc_aligned(100, 64);
	void *b = kmalloc_aligned(5000, 4096);
	void *c = kmalloc(24);

	KT_CHECK(a && b && c);
	KT_CHECK_EQ((uintptr_t)a % 64, 0);
	KT_CHECK_EQ((uintptr_t)b % 4096, 0);
	KT_CHECK_EQ((uintptr_t)c % 16, 0);
	kfree(a);
	kfree(b);
	kfree(c);
}
