/*
 * Slab heap. A slab is one frame (reached through the direct map) that
 * starts with a struct slab and holds equal-sized objects after it. A
 * pointer's slab is found by rounding it down to its page, so objects carry
 * no header; a page-aligned pointer is never a slab object (the header is
 * there), which is how kfree recognises large allocations.
 *
 * Each size class has its own lock, so cores allocating different sizes
 * never contend. A class keeps slabs with free objects on a list; a slab
 * that becomes empty is returned to the frame allocator unless it is the
 * class's only one.
 */
#include "mm/heap.h"

#include "lib/compiler.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/vmap.h"
#include "smp/spinlock.h"

#define SLAB_MAGIC 0x51AB51ABu
#define SLAB_FIRST_OBJECT 32	/* header size, rounded for 16-byte alignment */
#define FREE_POISON 0x6B

struct slab {
	uint32_t magic;
	uint16_t class_index;
	uint16_t in_use;
	void *free_list;	/* first word of each free object: next */
	struct slab *next;	/* in the class's list of slabs with free objects */
	struct slab *prev;
	uint16_t capacity;
};
_Static_assert(sizeof(struct slab) <= SLAB_FIRST_OBJECT, "slab header too large");

struct size_class {
	/* Protects every field below and the slabs of this class. */
	struct spinlock lock;
	uint32_t object_size;
	struct slab *partial;	/* slabs with at least one free object */
	uint32_t slabs;
	uint32_t live;
};

static struct size_class classes[] = {
	{ SPINLOCK_INIT("heap 16"), 16, NULL, 0, 0 },
	{ SPINLOCK_INIT("heap 32"), 32, NULL, 0, 0 },
	{ SPINLOCK_INIT("heap 64"), 64, NULL, 0, 0 },
	{ SPINLOCK_INIT("heap 128"), 128, NULL, 0, 0 },
	{ SPINLOCK_INIT("heap 256"), 256, NULL, 0, 0 },
	{ SPINLOCK_INIT("heap 512"), 512, NULL, 0, 0 },
	{ SPINLOCK_INIT("heap 1024"), 1024, NULL, 0, 0 },
};

static uint32_t large_live;
static uint32_t large_pages;

static struct size_class *class_for(size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
		if (size <= classes[i].object_size)
			return &classes[i];
	return NULL;
}

static void list_remove(struct size_class *c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void list_push(struct size_class *c, struct slab *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static struct slab *slab_create(struct size_class *c)
{
	paddr_t pa = frame_alloc();

	if (!pa)
		return NULL;
	struct slab *s = phys_to_virt(pa);
	char *obj = (char *)s + SLAB_FIRST_OBJECT;

	*s = (struct slab){
		.magic = SLAB_MAGIC,
		.class_index = (uint16_t)(c - classes),
		.capacity = (uint16_t)((PAGE_SIZE - SLAB_FIRST_OBJECT) / c->object_size),
	};
	for (unsigned i = 0; i < s->capacity; i++) {
		void *o = obj + i * c->object_size;

		*(void **)o = s->free_list;
		s->free_list = o;
	}
	c->slabs++;
	return s;
}

static void *large_alloc(size_t size)
{
	size_t npages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	void *p;

	if (npages == 1) {
		paddr_t pa = frame_alloc();

		p = pa ? phys_to_virt(pa) : NULL;
	} else {
		p = vmap_alloc(npages, 0);
	}
	if (p) {
		__atomic_add_fetch(&large_live, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&large_pages, npages, __ATOMIC_RELAXED);
	}
	return p;
}

void *kmalloc(size_t size)
{
	struct size_class *c = class_for(size ? size : 1);

	if (!c)
		return size < SIZE_MAX - PAGE_SIZE ? large_alloc(size) : NULL;
	spin_lock(&c->lock);
	struct slab *s = c->partial;

	if (!s) {
		s = slab_create(c);
		if (!s) {
			spin_unlock(&c->lock);
			return NULL;
		}
		list_push(c, s);
	}
	void *o = s->free_list;

	s->free_list = *(void **)o;
	s->in_use++;
	if (!s->free_list)
		list_remove(c, s);
	c->live++;
	spin_unlock(&c->lock);
	return o;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kmalloc_aligned(size_t size, size_t align)
{
	KASSERT(IS_POWER_OF_TWO(align) && align <= PAGE_SIZE);
	if (align <= 16)
		return kmalloc(size);
	/* Whole pages are aligned to anything up to a page. */
	return large_alloc(MAX(size, (size_t)PAGE_SIZE));
}

static void large_free(void *p)
{
	uintptr_t va = (uintptr_t)p;
	size_t npages = 1;

	if (va >= VMAP_BASE && va < VMAP_END) {
		npages = vmap_free(p);
	} else if (va >= DIRECT_MAP_BASE && va < DIRECT_MAP_BASE + DIRECT_MAP_SIZE) {
		frame_free(virt_to_phys(p));
	} else {
		panic("kfree(%p): not a heap address", p);
	}
	__atomic_sub_fetch(&large_live, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&large_pages, npages, __ATOMIC_RELAXED);
}

void kfree(void *p)
{
	if (!p)
		return;
	if ((uintptr_t)p % PAGE_SIZE == 0) {
		large_free(p);
		return;
	}
	struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);

	if ((uintptr_t)p < DIRECT_MAP_BASE || s->magic != SLAB_MAGIC ||
	    s->class_index >= ARRAY_SIZE(classes))
		panic("kfree(%p): not a heap object", p);
	struct size_class *c = &classes[s->class_index];
	uintptr_t off = (uintptr_t)p - (uintptr_t)s - SLAB_FIRST_OBJECT;

	if (off % c->object_size || off / c->object_size >= s->capacity)
		panic("kfree(%p): not the start of a %u-byte object", p, c->object_size);

	spin_lock(&c->lock);
	for (void *f = s->free_list; f; f = *(void **)f)
		if (f == p)
			panic("kfree(%p): freed twice", p);
	memset(p, FREE_POISON, c->object_size);
	if (!s->free_list)
		list_push(c, s);
	*(void **)p = s->free_list;
	s->free_list = p;
	s->in_use--;
	c->live--;
	bool release = s->in_use == 0 && c->slabs > 1;

	if (release) {
		list_remove(c, s);
		c->slabs--;
		s->magic = 0;
	}
	spin_unlock(&c->lock);
	if (release)
		frame_free(virt_to_phys(s));
}

void heap_get_stats(struct heap_stats *stats)
{
	*stats = (struct heap_stats){ 0 };
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		stats->live_objects += READ_ONCE(classes[i].live);
		stats->slab_pages += READ_ONCE(classes[i].slabs);
	}
	stats->live_objects += READ_ONCE(large_live);
	stats->large_pages = READ_ONCE(large_pages);
}
