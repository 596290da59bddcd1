/*
 * Allocation of the kernel virtual area. Two bitmaps over its pages: one
 * says which pages are reserved, the other marks the first page of each
 * reservation, so an allocation's length need not be stored anywhere.
 * The page tables of the area exist from boot (paging_init), so mapping
 * here never allocates a page table.
 */
#include "mm/vmap.h"

#include "lib/compiler.h"
#include "lib/panic.h"
#include "mm/paging.h"
#include "smp/spinlock.h"

#define VMAP_PAGES ((VMAP_END - VMAP_BASE) / PAGE_SIZE)

static uint32_t used[VMAP_PAGES / 32];
static uint32_t starts[VMAP_PAGES / 32];
static uint32_t pages_used;
static uint32_t search_hint;
/* Protects used, starts, pages_used and search_hint (not the mappings). */
static struct spinlock vmap_lock = SPINLOCK_INIT("vmap");

static bool test_bit(const uint32_t *map, uint32_t i)
{
	return map[i / 32] & (1u << (i % 32));
}

static void set_bit(uint32_t *map, uint32_t i, bool on)
{
	if (on)
		map[i / 32] |= 1u << (i % 32);
	else
		map[i / 32] &= ~(1u << (i % 32));
}

static uintptr_t page_va(uint32_t i)
{
	return VMAP_BASE + (uintptr_t)i * PAGE_SIZE;
}

void vmap_init(void)
{
	search_hint = 0;
	pages_used = 0;
}

uintptr_t vmap_reserve(size_t npages)
{
	if (npages == 0 || npages > VMAP_PAGES)
		return 0;
	spin_lock(&vmap_lock);
	uint32_t run = 0;
	uint32_t found = UINT32_MAX;

	/* First fit from the hint; wrapping restarts the run. */
	for (uint32_t n = 0; n < VMAP_PAGES + npages && found == UINT32_MAX; n++) {
		uint32_t i = (search_hint + n) % VMAP_PAGES;

		if (i == 0)
			run = 0;
		run = test_bit(used, i) ? 0 : run + 1;
		if (run == npages)
			found = i + 1 - (uint32_t)npages;
	}
	if (found != UINT32_MAX) {
		for (uint32_t i = found; i < found + npages; i++)
			set_bit(used, i, true);
		set_bit(starts, found, true);
		pages_used += (uint32_t)npages;
		search_hint = (found + (uint32_t)npages) % VMAP_PAGES;
	}
	spin_unlock(&vmap_lock);
	return found == UINT32_MAX ? 0 : page_va(found);
}

/* First page and length of the reservation containing va. */
static void find_reservation(uintptr_t va, uint32_t *first, uint32_t *count)
{
	if (va < VMAP_BASE || va >= VMAP_END)
		panic("vmap: 0x%x is not in the kernel virtual area", va);
	uint32_t i = (uint32_t)((va - VMAP_BASE) / PAGE_SIZE);

	if (!test_bit(used, i))
		panic("vmap: 0x%x is not allocated", va);
	while (!test_bit(starts, i))
		i--;
	uint32_t n = 1;

	while (i + n < VMAP_PAGES && test_bit(used, i + n) && !test_bit(starts, i + n))
		n++;
	*first = i;
	*count = n;
}

void vmap_release(uintptr_t va)
{
	uint32_t first, count;

	spin_lock(&vmap_lock);
	find_reservation(va, &first, &count);
	for (uint32_t i = first; i < first + count; i++)
		set_bit(used, i, false);
	set_bit(starts, first, false);
	pages_used -= count;
	spin_unlock(&vmap_lock);
}

/* Unmaps every mapped page of [first, first + count) and frees its
 * frame; returns how many there were. */
static size_t unmap_pages(uint32_t first, uint32_t count)
{
	size_t mapped = 0;

	for (uint32_t i = first; i < first + count; i++) {
		paddr_t pa;

		if (paging_unmap(&kernel_space, page_va(i), &pa) == 0) {
			frame_free(pa);
			mapped++;
		}
	}
	return mapped;
}

void *vmap_alloc(size_t npages, size_t guard_pages)
{
	uintptr_t va = vmap_reserve(npages + guard_pages);

	if (!va)
		return NULL;
	uintptr_t first = va + guard_pages * PAGE_SIZE;

	for (size_t i = 0; i < npages; i++) {
		paddr_t pa = frame_alloc_zeroed();

		if (!pa || paging_map(&kernel_space, first + i * PAGE_SIZE, pa, MAP_WRITE) < 0) {
			if (pa)
				frame_free(pa);
			unmap_pages((uint32_t)((va - VMAP_BASE) / PAGE_SIZE),
				    (uint32_t)(npages + guard_pages));
			vmap_release(va);
			return NULL;
		}
	}
	return (void *)first;
}

size_t vmap_free(void *addr)
{
	uint32_t first, count;

	spin_lock(&vmap_lock);
	find_reservation((uintptr_t)addr, &first, &count);
	spin_unlock(&vmap_lock);
	/* The range stays reserved while it is unmapped: nobody else uses it. */
	size_t mapped = unmap_pages(first, count);

	vmap_release(page_va(first));
	return mapped;
}

void *vmap_map_mmio(paddr_t pa, size_t size)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t npages = (ALIGN_UP(pa + size, PAGE_SIZE) - base) / PAGE_SIZE;
	uintptr_t va = vmap_reserve(npages);

	if (!va)
		panic("vmap: no room for a %zu-page device window", npages);
	for (size_t i = 0; i < npages; i++)
		if (paging_map(&kernel_space, va + i * PAGE_SIZE, base + i * PAGE_SIZE,
			       MAP_WRITE | MAP_NOCACHE) < 0)
			panic("vmap: cannot map device memory at 0x%x", base);
	return (void *)(va + (pa - base));
}

uint32_t vmap_pages_used(void)
{
	return READ_ONCE(pages_used);
}
