/*
 * malloc, free, calloc and realloc over mem_map.
 *
 * Small requests (up to 2048 bytes) are rounded up to a size class, a
 * power of two from 16 to 2048. Each class keeps a list of its freed
 * blocks and carves new ones off 64 KiB chunks from mem_map. A freed
 * small block goes back on its class's list; chunks are never returned to
 * the kernel (the small heap only grows, which keeps free() a list push).
 * Larger requests get a mapping of their own, unmapped again by free(),
 * so big buffers do not pin memory after they are freed.
 *
 * Every block, small or large, starts with a 16-byte header:
 *
 *	block			block + 16: what malloc returns
 *	| state | class | size | payload ...
 *
 * Chunks and mappings are page-aligned and every block is a multiple of
 * 16 bytes long, so every payload is 16-byte aligned. state tells a small
 * block in use from a freed one (a second free() of the same pointer is
 * caught and aborts) and both from a large block. A buffer overrun tends
 * to land on the next block's header, and is caught when that is freed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/compiler.h"
#include "lib/string.h"
#include "libc_names.h"

#define PAGE_SIZE 4096
#define CHUNK_SIZE (64 * 1024)
#define MIN_CLASS_SHIFT 4		/* 16 bytes */
#define MAX_CLASS_SHIFT 11		/* 2048 bytes */
#define CLASS_COUNT (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define SMALL_MAX ((size_t)1 << MAX_CLASS_SHIFT)

/* Header states: words that are unlikely to be there by accident. */
#define BLOCK_USED 0x55534544u		/* "USED" */
#define BLOCK_FREE 0x46524545u		/* "FREE" */
#define BLOCK_LARGE 0x4c524745u		/* "LRGE" */

struct block {
	uint32_t state;
	uint32_t class;			/* small blocks: index into classes[] */
	size_t size;			/* bytes the payload holds */
} __aligned(16);

/* Large requests beyond this cannot have their header and page rounding
 * added without overflowing; mem_map could never satisfy them anyway. */
#define LARGE_MAX (SIZE_MAX - sizeof(struct block) - PAGE_SIZE)

struct size_class {
	struct block *free;		/* freed blocks, most recent first */
	char *cursor, *end;		/* the uncarved rest of the newest chunk */
};

static struct size_class classes[CLASS_COUNT];

/* ---- Where pages come from, and how a waiting thread gives way ---- */
#ifndef LOCUS_HOST_TEST
#include "locus.h"

static void *pages_map(size_t size)
{
	return mem_map(NULL, size, PROT_READ | PROT_WRITE, NULL);
}

static void pages_unmap(void *p, size_t size)
{
	mem_unmap(p, size);
}
#else
/* Host unit tests only: pages from mmap, with a quota the test may lower
 * to make mapping fail the way a Locus task's memory quota does. */
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

size_t locus_malloc_host_quota = SIZE_MAX;
static size_t host_mapped;

static void *pages_map(size_t size)
{
	if (__atomic_add_fetch(&host_mapped, size, __ATOMIC_RELAXED) > locus_malloc_host_quota) {
		__atomic_sub_fetch(&host_mapped, size, __ATOMIC_RELAXED);
		return NULL;
	}
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		return p;
	__atomic_sub_fetch(&host_mapped, size, __ATOMIC_RELAXED);
	return NULL;
}

static void pages_unmap(void *p, size_t size)
{
	munmap(p, size);
	__atomic_sub_fetch(&host_mapped, size, __ATOMIC_RELAXED);
}

#define yield() sched_yield()
#define sleep_ms(ms) usleep((ms) * 1000)
#endif

/*
 * One test-and-set spinlock guards all of the heap. That is enough for a
 * teaching runtime: what it guards is a few pointer moves per call (and,
 * once per 64 KiB, a mem_map), so a waiter rarely waits long. A waiter
 * spins a little, then yields its core in case the holder was preempted
 * on that same core; if yielding keeps handing the core back (the holder
 * has a lower priority), it sleeps a millisecond so anything can run.
 * A real allocator would add per-thread caches so threads rarely share.
 */
#define SPINS_BEFORE_YIELD 64
#define TRIES_BEFORE_SLEEP (SPINS_BEFORE_YIELD + 16)

static int heap_lock;

static void lock_heap(void)
{
	unsigned tries = 0;

	while (__atomic_exchange_n(&heap_lock, 1, __ATOMIC_ACQUIRE)) {
		/* Wait by reading: a plain load keeps the cache line shared. */
		while (__atomic_load_n(&heap_lock, __ATOMIC_RELAXED)) {
			if (++tries < SPINS_BEFORE_YIELD)
				__asm__ volatile("pause");
			else if (tries < TRIES_BEFORE_SLEEP)
				yield();
			else
				sleep_ms(1);
		}
	}
}

static void unlock_heap(void)
{
	__atomic_store_n(&heap_lock, 0, __ATOMIC_RELEASE);
}

/* ---- Blocks ---- */

static size_t class_size(unsigned c)
{
	return (size_t)1 << (c + MIN_CLASS_SHIFT);
}

/* The smallest class that holds size (<= SMALL_MAX) bytes. */
static unsigned class_of(size_t size)
{
	unsigned c = 0;

	while (class_size(c) < size)
		c++;
	return c;
}

/* A freed block's payload holds the free-list link. */
static struct block **next_free(struct block *b)
{
	return (struct block **)(b + 1);
}

static struct block *block_of(void *p)
{
	return (struct block *)p - 1;
}

__noreturn static void heap_error(void *p, const char *what)
{
	printf("malloc: %p %s\n", p, what);
	abort();
}

/* A block of class c, from its free list or a chunk. Heap lock held. */
static struct block *small_take(unsigned c)
{
	struct size_class *sc = &classes[c];
	size_t stride = sizeof(struct block) + class_size(c);
	struct block *b = sc->free;

	if (b) {
		sc->free = *next_free(b);
	} else {
		if (!sc->cursor || (size_t)(sc->end - sc->cursor) < stride) {
			/* The tail of the old chunk, if any, is left unused. */
			char *chunk = pages_map(CHUNK_SIZE);

			if (!chunk)
				return NULL;
			sc->cursor = chunk;
			sc->end = chunk + CHUNK_SIZE;
		}
		b = (struct block *)sc->cursor;
		sc->cursor += stride;
		b->class = c;
		b->size = class_size(c);
	}
	b->state = BLOCK_USED;
	return b;
}

/* A mapping of its own; touches nothing shared, so needs no lock. */
static struct block *large_map(size_t size)
{
	size_t length = ALIGN_UP(sizeof(struct block) + size, (size_t)PAGE_SIZE);
	struct block *b = pages_map(length);

	if (!b)
		return NULL;
	b->state = BLOCK_LARGE;
	b->class = 0;
	b->size = length - sizeof(struct block);
	return b;
}

/* ---- The interface ---- */

/* malloc(0) returns a unique 16-byte block, which free() takes back. */
void *LIBC_NAME(malloc)(size_t size)
{
	struct block *b = NULL;

	if (size <= SMALL_MAX) {
		lock_heap();
		b = small_take(class_of(size));
		unlock_heap();
	} else if (size <= LARGE_MAX) {
		b = large_map(size);
	}
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	return b + 1;
}

void LIBC_NAME(free)(void *p)
{
	if (!p)
		return;
	struct block *b = block_of(p);

	/* The state is read under the lock so that two threads freeing the
	 * same block at once are caught too. */
	lock_heap();
	uint32_t state = b->state;
	bool small = state == BLOCK_USED && b->class < CLASS_COUNT;

	if (small) {
		b->state = BLOCK_FREE;
		*next_free(b) = classes[b->class].free;
		classes[b->class].free = b;
	}
	unlock_heap();

	if (small)
		return;
	if (state == BLOCK_LARGE) {
		/* Gone from memory afterwards: freeing it again faults. */
		pages_unmap(b, sizeof(struct block) + b->size);
		return;
	}
	heap_error(p, state == BLOCK_FREE ? "freed twice" :
		   "was not from malloc, or its header was overwritten");
}

void *LIBC_NAME(calloc)(size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = LIBC_NAME(malloc)(total);

	/* Reused small blocks hold old data; fresh mappings are zero, but
	 * one rule for all is simpler. */
	if (p)
		memset(p, 0, total);
	return p;
}

/*
 * The block stays where it is while the new size fits it and would not
 * fit a block half its size; otherwise the data moves to a new block. On
 * failure the old block is left as it was.
 */
void *LIBC_NAME(realloc)(void *p, size_t size)
{
	if (!p)
		return LIBC_NAME(malloc)(size);
	if (!size) {
		LIBC_NAME(free)(p);
		return NULL;
	}
	struct block *b = block_of(p);

	if (b->state != BLOCK_USED && b->state != BLOCK_LARGE)
		heap_error(p, b->state == BLOCK_FREE ? "was reallocated after free" :
			   "was not from malloc, or its header was overwritten");
	if (size <= b->size && (size > b->size / 2 || b->size == class_size(0)))
		return p;

	void *q = LIBC_NAME(malloc)(size);

	if (!q)
		return NULL;
	memcpy(q, p, MIN(size, b->size));
	LIBC_NAME(free)(p);
	return q;
}
