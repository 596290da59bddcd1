/* Tests of SMP bring-up and the cross-core machinery, on every core. */
#include "cpu_locals/cpu_locals.h"
#include "gdt/gdt.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "lib/xorshift.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/vmap.h"
#include "smp/ipi.h"
#include "smp/lapic.h"
#include "smp/smp.h"
#include "smp/spinlock.h"
#include "smp/timer.h"
#include "test/accounting.h"
#include "test/crash_hooks.h"
#include "test/ktest.h"
#include "trap/probe.h"
#include "trap/vectors.h"

static uint32_t all_cpus(void)
{
	return cpu_online_mask();
}

KTEST(smp, every_listed_cpu_online)
{
	KT_ASSERT(cpu_count() >= 1);
	KT_ASSERT_EQ(cpu_count(), smp_cpus_listed());
	KT_ASSERT_EQ(cpu_online_mask(), (1u << cpu_count()) - 1);
}

/* What each core reads of its own GDT and %gs, collected on the boot core. */
struct gdt_report {
	uint32_t gdt_base;
	uint32_t ktls_base;
	uint32_t gs0;
	uint8_t apic_id;
};
static struct gdt_report gdt_reports[MAX_CPUS];

static void collect_gdt(void)
{
	struct gdt_pointer p;

	__asm__ volatile("sgdt %0" : "=m"(p));
	struct gdt_report *r = &gdt_reports[cpu_id()];
	const struct seg_desc *gdt = (const struct seg_desc *)p.base;

	r->gdt_base = p.base;
	r->ktls_base = seg_desc_base(&gdt[GDT_INDEX_KTLS]);
	r->gs0 = cpu_local_tp();
	r->apic_id = lapic_id();
	KT_CHECK_EQ(this_cpu_apic_id, r->apic_id);
}

KTEST(smp, ktls_bases_and_gdts_are_per_core)
{
	memset(gdt_reports, 0, sizeof(gdt_reports));
	ktest_on_each_cpu(collect_gdt);
	for (unsigned a = 0; a < cpu_count(); a++) {
		uintptr_t tp = cpu_local_tp_of(a);

		KT_CHECK_EQ(gdt_reports[a].ktls_base, tp);
		KT_CHECK_EQ(gdt_reports[a].gs0, tp);
		KT_CHECK_EQ(gdt_reports[a].gdt_base, gdt_pointer_of_region(tp).base);
		for (unsigned b = 0; b < a; b++) {
			KT_CHECK(gdt_reports[a].gdt_base != gdt_reports[b].gdt_base);
			KT_CHECK(gdt_reports[a].ktls_base != gdt_reports[b].ktls_base);
			KT_CHECK(gdt_reports[a].apic_id != gdt_reports[b].apic_id);
		}
	}
}

/*
 * Every core writes its own value into the same cpu-local at the same
 * time, meets the others at a barrier, reads its own value back, and reads
 * every other core's through cpu_local_of.
 */
static CPU_LOCAL uint32_t shared_name_slot;
static struct ktest_barrier slot_barrier;

static uint32_t slot_value(unsigned cpu)
{
	return 0x51070000 + cpu * 7;
}

static void write_meet_read(void *arg)
{
	(void)arg;
	unsigned n = cpu_count();

	shared_name_slot = slot_value(cpu_id());
	if (!ktest_barrier_wait(&slot_barrier, n))
		return;
	KT_CHECK_EQ(shared_name_slot, slot_value(cpu_id()));
	for (unsigned other = 0; other < n; other++)
		KT_CHECK_EQ(*cpu_local_of(&shared_name_slot, other), slot_value(other));
	ktest_barrier_wait(&slot_barrier, n);
}

KTEST(smp, same_cpu_local_different_values)
{
	smp_call_many(all_cpus(), write_meet_read, NULL);
}

/* Ordered pairs: core a asks core b to record that it ran there. */
static uint32_t ping_hits[MAX_CPUS][MAX_CPUS];

struct ping {
	unsigned from;
	unsigned to;
};

static void pong(void *arg)
{
	struct ping *p = arg;

	KT_CHECK_EQ(cpu_id(), p->to);
	__atomic_add_fetch(&ping_hits[p->from][p->to], 1, __ATOMIC_RELAXED);
}

static void ping_everyone(void *arg)
{
	(void)arg;
	for (unsigned to = 0; to < cpu_count(); to++) {
		struct ping p = { cpu_id(), to };

		smp_call(to, pong, &p, true);
	}
}

KTEST(smp, ipi_call_every_ordered_pair)
{
	memset(ping_hits, 0, sizeof(ping_hits));
	for (unsigned from = 0; from < cpu_count(); from++)
		KT_ASSERT_EQ(smp_call(from, ping_everyone, NULL, true), 0);
	for (unsigned a = 0; a < cpu_count(); a++)
		for (unsigned b = 0; b < cpu_count(); b++)
			KT_CHECK_EQ(ping_hits[a][b], 1);
}

static void read_reschedules(void *arg)
{
	*(uint32_t *)arg = ipi_reschedules_received();
}

static void send_reschedule(void *arg)
{
	smp_send_reschedule(*(unsigned *)arg);
}

/*
 * Core a sends a reschedule IPI to core b, for every ordered pair, one at
 * a time: IPIs of one vector that arrive together merge into one pending
 * interrupt, so each must be seen before the next is sent.
 */
KTEST(smp, reschedule_ipi_every_ordered_pair)
{
	unsigned n = cpu_count();

	for (unsigned a = 0; a < n; a++) {
		for (unsigned b = 0; b < n; b++) {
			uint32_t before, after = 0;

			if (a == b)
				continue;
			smp_call(b, read_reschedules, &before, true);
			smp_call(a, send_reschedule, &b, true);
			for (int tries = 0; tries < 100; tries++) {
				smp_call(b, read_reschedules, &after, true);
				if (after != before)
					break;
				halt();
			}
			KT_CHECK_EQ(after, before + 1);
		}
	}
}

static void record_core(void *arg)
{
	__atomic_store_n((uint32_t *)arg, cpu_id() + 100, __ATOMIC_RELEASE);
}

KTEST(smp, call_runs_on_the_named_core)
{
	for (unsigned c = 0; c < cpu_count(); c++) {
		uint32_t where = 0;

		KT_ASSERT_EQ(smp_call(c, record_core, &where, true), 0);
		KT_CHECK_EQ(where, c + 100);
		/* Asynchronous: returns at once; the result arrives later. */
		where = 0;
		KT_ASSERT_EQ(smp_call(c, record_core, &where, false), 0);
		for (int i = 0; i < 1000000 && !__atomic_load_n(&where, __ATOMIC_ACQUIRE); i++)
			smp_run_pending_calls();
		KT_CHECK_EQ(where, c + 100);
	}
	KT_CHECK_EQ(smp_call(MAX_CPUS, record_core, NULL, true), -22);
}

/*
 * TLB shootdown: core b has a translation cached; core a unmaps the page;
 * b's next access must fault. Without the shootdown b's TLB would still
 * translate the address (QEMU models stale TLB entries faithfully).
 */
struct probe_request {
	uintptr_t va;
	int result;
	uint32_t cr2;
	struct address_space *space;
};

static void probe_on_core(void *arg)
{
	struct probe_request *r = arg;
	struct address_space *old = address_space_current();
	uint32_t value;

	if (r->space)
		address_space_switch(r->space);
	r->result = probe_read32(r->va, &value);
	r->cr2 = probe_last_fault().cr2;
	if (r->space)
		address_space_switch(old);
}

static void probe_and_stay(void *arg)
{
	struct probe_request *r = arg;
	uint32_t value;

	if (r->space)
		address_space_switch(r->space);
	r->result = probe_read32(r->va, &value);
	r->cr2 = probe_last_fault().cr2;
}

static void return_to_kernel_space(void *arg)
{
	(void)arg;
	address_space_switch(&kernel_space);
}

KTEST(smp, tlb_shootdown_kernel_page)
{
	if (cpu_count() < 2) {
		ktest_skip("needs two cores");
		return;
	}
	paddr_t pa = frame_alloc_zeroed();
	uintptr_t va = vmap_reserve(1);
	struct probe_request r = { .va = va };

	KT_ASSERT(pa && va);
	KT_ASSERT_EQ(paging_map(&kernel_space, va, pa, MAP_WRITE), 0);
	for (unsigned b = 1; b < cpu_count(); b++) {
		smp_call(b, probe_on_core, &r, true);
		KT_CHECK_EQ(r.result, 0);
	}
	KT_ASSERT_EQ(paging_unmap(&kernel_space, va, NULL), 0);
	for (unsigned b = 1; b < cpu_count(); b++) {
		smp_call(b, probe_on_core, &r, true);
		KT_CHECK_EQ(r.result, -1);
		KT_CHECK_EQ(r.cr2, va);
	}
	vmap_release(va);
	frame_free(pa);
}

KTEST(smp, tlb_shootdown_user_page)
{
	if (cpu_count() < 2) {
		ktest_skip("needs two cores");
		return;
	}
	struct address_space as;
	const uintptr_t va = 0x00801000;
	paddr_t pa = frame_alloc_zeroed();
	struct probe_request r = { .va = va, .space = &as };

	KT_ASSERT(pa);
	KT_ASSERT_EQ(address_space_create(&as), 0);
	KT_ASSERT_EQ(paging_map(&as, va, pa, MAP_WRITE | MAP_USER), 0);
	/* Core 1 loads the space, touches the page, and keeps the space. */
	smp_call(1, probe_and_stay, &r, true);
	KT_CHECK_EQ(r.result, 0);
	KT_CHECK(as.active_cpus & 2);
	KT_ASSERT_EQ(paging_unmap(&as, va, NULL), 0);
	r.space = NULL;
	smp_call(1, probe_and_stay, &r, true);
	KT_CHECK_EQ(r.result, -1);
	KT_CHECK_EQ(r.cr2, va);
	smp_call(1, return_to_kernel_space, NULL, true);
	KT_CHECK_EQ(as.active_cpus, 0);
	address_space_destroy(&as, NULL, NULL);
	frame_free(pa);
}

KTEST(smp, timer_ticks_on_every_core)
{
	uint64_t before[MAX_CPUS];
	unsigned n = cpu_count();

	for (unsigned c = 0; c < n; c++)
		before[c] = timer_ticks_of(c);
	/* 100 ms of wall time at most; every core must tick meanwhile. */
	for (int waited = 0; waited < 100; waited++) {
		bool all = true;

		for (unsigned c = 0; c < n; c++)
			all &= timer_ticks_of(c) >= before[c] + 2;
		if (all)
			break;
		halt();
	}
	for (unsigned c = 0; c < n; c++)
		KT_CHECK(timer_ticks_of(c) >= before[c] + 2);
}

/*
 * Every core increments one counter under one lock; the total is exact.
 * The rounds are shared out, because with more virtual cores than host
 * cores each hand-off of a fair lock may wait for the host to schedule the
 * next waiter.
 */
#define LOCK_ROUNDS_TOTAL 4000
static struct spinlock stress_lock = SPINLOCK_INIT("test stress");
static uint32_t stress_counter;
static volatile uint32_t stress_unlocked_shadow;

static void hammer_lock(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < LOCK_ROUNDS_TOTAL / cpu_count(); i++) {
		spin_lock(&stress_lock);
		/* A non-atomic read-modify-write: only the lock makes it exact. */
		uint32_t v = stress_counter;

		stress_unlocked_shadow = v;
		stress_counter = v + 1;
		spin_unlock(&stress_lock);
	}
}

KTEST(smp, spinlock_counter_exact)
{
	stress_counter = 0;
	smp_call_many(all_cpus(), hammer_lock, NULL);
	KT_ASSERT_EQ(stress_counter, LOCK_ROUNDS_TOTAL / cpu_count() * cpu_count());
}

/*
 * Frame and heap allocation on all cores at once. Each frame taken is
 * marked in a shared bitmap with an atomic test-and-set: a frame handed
 * out twice finds its bit already set.
 */
#define ALLOC_ROUNDS_TOTAL 320
static uint32_t *frame_taken;
static uint32_t alloc_errors;

static void allocate_concurrently(void *arg)
{
	(void)arg;
	paddr_t held[32];
	void *objs[32];
	uint32_t seed = 0x9E3779B9u * (cpu_id() + 1);

	for (unsigned round = 0; round < ALLOC_ROUNDS_TOTAL / cpu_count(); round++) {
		unsigned n = 1 + xorshift32(&seed) % 32;

		for (unsigned i = 0; i < n; i++) {
			held[i] = frame_alloc();
			objs[i] = kmalloc(1 + xorshift32(&seed) % 600);
			if (!held[i] || !objs[i]) {
				__atomic_add_fetch(&alloc_errors, 1, __ATOMIC_RELAXED);
				continue;
			}
			uint32_t pfn = held[i] / PAGE_SIZE;
			uint32_t bit = 1u << (pfn % 32);

			if (__atomic_fetch_or(&frame_taken[pfn / 32], bit, __ATOMIC_ACQ_REL) & bit)
				__atomic_add_fetch(&alloc_errors, 1, __ATOMIC_RELAXED);
			*(uint32_t *)objs[i] = cpu_id();
		}
		for (unsigned i = 0; i < n; i++) {
			if (!held[i] || !objs[i])
				continue;
			uint32_t pfn = held[i] / PAGE_SIZE;

			__atomic_fetch_and(&frame_taken[pfn / 32], ~(1u << (pfn % 32)),
					   __ATOMIC_ACQ_REL);
			if (*(uint32_t *)objs[i] != cpu_id())
				__atomic_add_fetch(&alloc_errors, 1, __ATOMIC_RELAXED);
			frame_free(held[i]);
			kfree(objs[i]);
		}
	}
}

KTEST(smp, allocators_under_contention)
{
	struct kernel_counts base;
	size_t words = DIRECT_MAP_SIZE / PAGE_SIZE / 32;

	/* Steady: the previous test's threads may still be being reaped. */
	counts_steady(&base);
	frame_taken = kzalloc(words * sizeof(uint32_t));
	KT_ASSERT(frame_taken != NULL);
	alloc_errors = 0;
	smp_call_many(all_cpus(), allocate_concurrently, NULL);
	kfree(frame_taken);
	KT_CHECK_EQ(alloc_errors, 0);
	/* Slabs and per-core caches may hold frames differently now; none
	 * may be lost (the counts take slab pages as free). */
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after the allocations");
}

/* Deliberate crashes checked by tests/suites.py. */
static struct spinlock crash_lock = SPINLOCK_INIT("crash test");

CRASH_HOOK(spinlock_recursion, CRASH_PHASE_BOOTED)
{
	spin_lock(&crash_lock);
	spin_lock(&crash_lock);
}

/* A spinlock records its owner's core index, a cpu-local: taking one
 * before the boot core's cpu-locals are live is caught like any early
 * cpu-local. */
CRASH_HOOK(early_spinlock, CRASH_PHASE_EARLY)
{
	spin_lock(&crash_lock);
}

static void unlock_crash_lock(void *arg)
{
	(void)arg;
	spin_unlock(&crash_lock);
}

CRASH_HOOK(spinlock_unlock_by_other_cpu, CRASH_PHASE_BOOTED)
{
	spin_lock(&crash_lock);
	/* Core 1 releases a lock core 0 holds; interrupts stay off here, so
	 * wait by polling (not through smp_call, which refuses to wait with a
	 * lock held). */
	smp_call(1, unlock_crash_lock, NULL, false);
	for (;;)
		smp_run_pending_calls();
}

static void panic_here(void *arg)
{
	(void)arg;
	panic("deliberate panic on an application core");
}

CRASH_HOOK(ap_panic, CRASH_PHASE_BOOTED)
{
	smp_call(cpu_count() - 1, panic_here, NULL, false);
	for (;;) {
		sti();
		halt();
	}
}
