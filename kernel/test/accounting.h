/*
 * Leak accounting for tests: a snapshot of everything the kernel hands
 * out that must come back when a program has ended: free frames (the
 * per-core caches and the heap's slab pages counted as free), live heap
 * objects, live kernel objects of every type (threads and tasks among
 * them), capability slots and UTCB slots in use in all tasks, and pages
 * of the kernel virtual area.
 */
#ifndef LOCUS_TEST_ACCOUNTING_H
#define LOCUS_TEST_ACCOUNTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap/object.h"

struct kernel_counts {
	uint32_t frames;		/* frames_available() */
	uint32_t heap_objects;		/* kmalloc'ed and not freed */
	uint32_t objects[KOBJ_TYPES];	/* kobject_live() of each type */
	uint32_t cap_slots;		/* cap_slots_in_use() */
	uint32_t utcb_slots;		/* utcb_slots_in_use() */
	uint32_t vmap_pages;		/* kernel virtual area in use */
};

void counts_take(struct kernel_counts *c);

/*
 * A baseline: once every reap under way on another core has finished (an
 * earlier test's threads may still be being released there), a snapshot
 * two readings a millisecond apart agree on (the counters are read
 * without stopping the other cores).
 */
void counts_steady(struct kernel_counts *c);

/*
 * Waits up to max_ms for the counts to come back to base (the last
 * threads of a program may still be switching out on other cores);
 * leaves the last reading in *now and says whether it matched.
 */
bool counts_back_to(const struct kernel_counts *base, struct kernel_counts *now,
		    unsigned max_ms);

/* How long a test gives the counts to come back after its threads have
 * ended: the last ones switch out and are reaped on their cores within a
 * few milliseconds; the rest is room for a slow host. */
#define COUNTS_SETTLE_MS 1000

/*
 * counts_back_to, and when the counts do not come back, fails the running
 * test at file:line with "<what>: <every difference>".
 */
bool counts_check_back_to(const struct kernel_counts *base, unsigned max_ms, const char *what,
			  const char *file, int line);
#define KT_CHECK_COUNTS_BACK_TO(base, max_ms, what) \
	counts_check_back_to(base, max_ms, what, __FILE__, __LINE__)

/*
 * Names every difference, e.g. "3 frames leaked, 2 endpoints leaked"
 * (or "... returned" for counts below the baseline); "" when equal.
 */
void counts_describe(const struct kernel_counts *base, const struct kernel_counts *now,
		     char *buf, size_t size);

#endif
