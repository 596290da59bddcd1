#include "test/accounting.h"

#include "cap/cap_table.h"
#include "ipc/utcb.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/vmap.h"
#include "sched/sched.h"
#include "smp/ipi.h"
#include "smp/smp.h"
#include "test/ktest.h"
#include "test/programs.h"

void counts_take(struct kernel_counts *c)
{
	struct heap_stats h;

	heap_get_stats(&h);
	c->frames = frames_available();
	c->heap_objects = h.live_objects;
	for (unsigned t = 0; t < KOBJ_TYPES; t++)
		c->objects[t] = kobject_live((enum kobject_type)t);
	c->cap_slots = cap_slots_in_use();
	c->utcb_slots = utcb_slots_in_use();
	c->vmap_pages = vmap_pages_in_use();
}

static bool counts_equal(const struct kernel_counts *a, const struct kernel_counts *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

#define STEADY_TRIES 50

static void nothing(void *unused)
{
	(void)unused;
}

/*
 * A dead thread is reaped on its core right after it is switched out,
 * with interrupts still off from thread_exit on: freeing its stack, and
 * tearing down its task if it was the last. So once every core
 * has run a call, every reap that was under way has finished, however
 * long the host kept that core from running. (A reap that waits for a
 * TLB shootdown runs calls meanwhile: the readings below catch those.)
 */
static void wait_for_reaps_under_way(void)
{
	smp_call_many(cpu_online_mask(), nothing, NULL);
}

void counts_steady(struct kernel_counts *c)
{
	struct kernel_counts now;

	wait_for_reaps_under_way();
	counts_take(c);
	for (int i = 0; i < STEADY_TRIES; i++) {
		sched_sleep_ms(1);
		counts_take(&now);
		if (counts_equal(c, &now))
			return;
		*c = now;
	}
}

bool counts_back_to(const struct kernel_counts *base, struct kernel_counts *now,
		    unsigned max_ms)
{
	counts_take(now);
	for (unsigned waited = 0; waited < max_ms && !counts_equal(base, now); waited++) {
		sched_sleep_ms(1);
		counts_take(now);
	}
	return counts_equal(base, now);
}

bool counts_check_back_to(const struct kernel_counts *base, unsigned max_ms, const char *what,
			  const char *file, int line)
{
	struct kernel_counts now;
	char diff[256];

	if (counts_back_to(base, &now, max_ms))
		return true;
	counts_describe(base, &now, diff, sizeof(diff));
	ktest_fail(file, line, "%s: %s", what, diff);
	return false;
}

struct describer {
	char *buf;
	size_t size;
	size_t used;
};

/* Appends "N <what>s leaked" (or "returned", below the baseline). */
static void difference(struct describer *d, uint32_t base, uint32_t now, const char *what,
		       bool plural_s)
{
	if (base == now)
		return;
	bool leaked = now > base;
	uint32_t n = leaked ? now - base : base - now;
	size_t left = d->used < d->size ? d->size - d->used : 0;

	if (!left)
		return;
	int len = ksnprintf(d->buf + d->used, left, "%s%u %s%s %s", d->used ? ", " : "", n,
			    what, plural_s && n != 1 ? "s" : "", leaked ? "leaked" : "returned");

	d->used += (size_t)len;
}

void counts_describe(const struct kernel_counts *base, const struct kernel_counts *now,
		     char *buf, size_t size)
{
	struct describer d = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	/* Fewer free frames than before is what leaking them looks like. */
	difference(&d, now->frames, base->frames, "frame", true);
	difference(&d, base->heap_objects, now->heap_objects, "heap object", true);
	for (unsigned t = KOBJ_NONE + 1; t < KOBJ_TYPES; t++)
		difference(&d, base->objects[t], now->objects[t],
			   kobject_type_name((enum kobject_type)t), t != KOBJ_IO_PORTS);
	difference(&d, base->cap_slots, now->cap_slots, "capability slot", true);
	difference(&d, base->utcb_slots, now->utcb_slots, "UTCB slot", true);
	difference(&d, base->vmap_pages, now->vmap_pages, "vmap page", true);
}
