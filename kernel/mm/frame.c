/*
 * The kernel's frame allocator: a frame_pool under one lock, with a small
 * per-core cache in front of it so that most allocations and frees touch
 * only their own core's state. Frames move between a cache and the pool
 * in batches. When the pool runs dry, an allocation takes a frame from
 * another core's cache: no free frame is out of reach.
 */
#include "mm/frame.h"

#include "boot/boot_info.h"
#include "boot/multiboot.h"
#include "cpu_locals/cpu_locals.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/frame_pool.h"
#include "smp/spinlock.h"

#define FIRST_MANAGED_PFN (0x100000 / PAGE_SIZE)	/* below 1 MiB: BIOS, trampoline */
#define MAX_PFN (DIRECT_MAP_SIZE / PAGE_SIZE)
#define FRAME_CACHE_SIZE 32
#define FRAME_CACHE_BATCH 16

extern char __kernel_phys_start[];
extern char __kernel_phys_end[];

static uint32_t pool_bitmap[(MAX_PFN + 31) / 32];
static struct frame_pool pool;
static uint32_t managed_frames;
/* Protects pool; held for one batch move at most. */
static struct spinlock pool_lock = SPINLOCK_INIT("frame pool");

struct frame_cache {
	/* Taken by its own core (uncontended), and by another core only when
	 * the pool is empty. Lock order: a cache, then pool_lock. */
	struct spinlock lock;
	uint32_t count;
	uint32_t pfn[FRAME_CACHE_SIZE];
};
static CPU_LOCAL struct frame_cache frame_cache = { .lock = SPINLOCK_INIT("frame cache") };

static uint32_t mib(uint64_t bytes)
{
	return (uint32_t)(bytes >> 20);
}

void frame_init(void)
{
	uint64_t available = 0, beyond = 0;
	uint32_t top = FIRST_MANAGED_PFN;

	for (unsigned i = 0; i < boot_info.memory_range_count; i++) {
		const struct boot_memory_range *r = &boot_info.memory[i];

		if (r->type != MULTIBOOT_MEMORY_AVAILABLE)
			continue;
		available += r->end - r->start;
		if (r->end > DIRECT_MAP_SIZE)
			beyond += r->end - MAX(r->start, (uint64_t)DIRECT_MAP_SIZE);
		uint64_t end = MIN(r->end, (uint64_t)DIRECT_MAP_SIZE) / PAGE_SIZE;

		if (end > top)
			top = (uint32_t)end;
	}
	frame_pool_init(&pool, pool_bitmap, FIRST_MANAGED_PFN, top - FIRST_MANAGED_PFN);
	for (unsigned i = 0; i < boot_info.memory_range_count; i++) {
		const struct boot_memory_range *r = &boot_info.memory[i];

		if (r->type != MULTIBOOT_MEMORY_AVAILABLE || r->start >= DIRECT_MAP_SIZE)
			continue;
		uint32_t start = (uint32_t)((r->start + PAGE_SIZE - 1) / PAGE_SIZE);
		uint32_t end = (uint32_t)(MIN(r->end, (uint64_t)DIRECT_MAP_SIZE) / PAGE_SIZE);

		if (start < end)
			frame_pool_release_range(&pool, start, end);
	}
	/* What must survive: the kernel image (with .bss) and the modules. */
	uint32_t kernel = frame_pool_reserve_range(&pool,
		(uint32_t)__kernel_phys_start / PAGE_SIZE,
		((uint32_t)__kernel_phys_end + PAGE_SIZE - 1) / PAGE_SIZE);
	uint32_t modules = 0;

	for (unsigned i = 0; i < boot_info.module_count; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		modules += frame_pool_reserve_range(&pool, m->phys_start / PAGE_SIZE,
						    (m->phys_end + PAGE_SIZE - 1) / PAGE_SIZE);
	}
	if (pool.free == 0)
		panic("no usable memory above 1 MiB in the memory map");
	managed_frames = pool.free;

	kprintf("memory: %u MiB available in the map; managing %u MiB (%u frames)\n",
		mib(available), mib((uint64_t)pool.free * PAGE_SIZE), pool.free);
	kprintf("memory: kernel image %u KiB, %u boot modules %u KiB reserved\n",
		kernel * 4, boot_info.module_count, modules * 4);
	if (beyond)
		kprintf("memory: %u MiB above the %u MiB direct map is not managed\n",
			mib(beyond), mib(DIRECT_MAP_SIZE));
}

/* Moves up to n frames from the pool into this core's cache. */
static void cache_refill(struct frame_cache *c, unsigned n)
{
	spin_lock(&pool_lock);
	while (n-- && c->count < FRAME_CACHE_SIZE) {
		uint32_t pfn;

		if (!frame_pool_alloc(&pool, &pfn))
			break;
		c->pfn[c->count++] = pfn;
	}
	spin_unlock(&pool_lock);
}

/* Returns the n most recently cached frames to the pool. */
static void cache_drain(struct frame_cache *c, unsigned n)
{
	spin_lock(&pool_lock);
	while (n-- && c->count) {
		uint32_t pfn = c->pfn[--c->count];

		if (frame_pool_free(&pool, pfn) < 0)
			panic("frame 0x%x freed twice or not from the pool", pfn * PAGE_SIZE);
	}
	spin_unlock(&pool_lock);
}

/* The pool is empty: take a frame from another core's cache. */
static paddr_t steal_from_other_caches(void)
{
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (cpu == cpu_id() || !cpu_local_tp_of(cpu))
			continue;
		struct frame_cache *c = cpu_local_of(&frame_cache, cpu);
		paddr_t pa = 0;

		if (!READ_ONCE(c->count))
			continue;
		spin_lock(&c->lock);
		if (c->count)
			pa = c->pfn[--c->count] * PAGE_SIZE;
		spin_unlock(&c->lock);
		if (pa)
			return pa;
	}
	return 0;
}

paddr_t frame_alloc(void)
{
	paddr_t pa = 0;

	spin_lock(&frame_cache.lock);
	if (frame_cache.count == 0)
		cache_refill(&frame_cache, FRAME_CACHE_BATCH);
	if (frame_cache.count)
		pa = frame_cache.pfn[--frame_cache.count] * PAGE_SIZE;
	spin_unlock(&frame_cache.lock);
	return pa ? pa : steal_from_other_caches();
}

paddr_t frame_alloc_zeroed(void)
{
	paddr_t pa = frame_alloc();

	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void frame_free(paddr_t pa)
{
	uint32_t pfn = pa / PAGE_SIZE;

	if (pa % PAGE_SIZE || pfn < pool.base_pfn || pfn - pool.base_pfn >= pool.count)
		panic("frame_free(0x%x): not a frame of the pool", pa);
	spin_lock(&frame_cache.lock);
	if (frame_pool_is_free(&pool, pfn))
		panic("frame 0x%x freed twice", pa);
	for (uint32_t i = 0; i < frame_cache.count; i++)
		if (frame_cache.pfn[i] == pfn)
			panic("frame 0x%x freed twice", pa);
	if (frame_cache.count == FRAME_CACHE_SIZE)
		cache_drain(&frame_cache, FRAME_CACHE_BATCH);
	frame_cache.pfn[frame_cache.count++] = pfn;
	spin_unlock(&frame_cache.lock);
}

uint32_t frames_free(void)
{
	uint32_t n = READ_ONCE(pool.free);

	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu_local_tp_of(cpu))
			n += READ_ONCE(cpu_local_of(&frame_cache, cpu)->count);
	return n;
}

uint32_t frames_managed(void)
{
	return managed_frames;
}
