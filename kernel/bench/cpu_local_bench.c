/*
 * What it costs to reach per-core data, three ways (docs/performance.md):
 *
 *  - cpu_local: a CPU_LOCAL, which the compiler reaches with one
 *    %gs-relative instruction;
 *  - apic_array: find this core from its local APIC id (an uncached MMIO
 *    read of the LAPIC ID register), then index a plain array of per-core
 *    slots, as xv6's mycpu() does;
 *  - locked_table: look the record up by thread id in a table protected
 *    by a spinlock, the option Codezero rejected.
 *
 * Each is measured reading the value and incrementing it, inlined in an
 * unrolled loop; the empty loop is the same loop without the operation.
 */
#include "bench/bench.h"
#include "cpu_locals/cpu_locals.h"
#include "lib/cpu_i386.h"
#include "smp/lapic.h"
#include "smp/smp.h"
#include "smp/spinlock.h"

static uint64_t empty_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops / BENCH_UNROLL; i++)
		BENCH_UNROLLED(barrier());
	return rdtsc() - start;
}

/* cpu-local: the compiler's own access, nothing else. */

static CPU_LOCAL uint32_t bench_local;

static uint64_t cpu_local_read_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops / BENCH_UNROLL; i++)
		BENCH_UNROLLED(bench_use(bench_local));
	return rdtsc() - start;
}

static uint64_t cpu_local_increment_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops / BENCH_UNROLL; i++)
		BENCH_UNROLLED(bench_local++; barrier());
	return rdtsc() - start;
}

BENCH(cpu_local, read)
{
	bench_instructions(cpu_local_read_loop, empty_loop, NULL);
}

BENCH(cpu_local, increment)
{
	bench_instructions(cpu_local_increment_loop, empty_loop, NULL);
}

/*
 * apic_array: xv6 scans its cpus[] for the APIC id; a table from APIC id
 * to core index is the cheaper form of the same idea. Each slot has its
 * own cache line, as a per-core array must to avoid false sharing.
 */

struct per_core_slot {
	uint32_t counter;
} __aligned(64);

static struct per_core_slot per_core_slots[MAX_CPUS];
static uint8_t core_of_apic_id[256];

static void fill_core_of_apic_id(void)
{
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu_is_online(cpu))
			core_of_apic_id[cpu_apic_id(cpu)] = (uint8_t)cpu;
}

static inline struct per_core_slot *this_core_slot(void)
{
	return &per_core_slots[core_of_apic_id[lapic_id()]];
}

static uint64_t apic_array_read_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops / BENCH_UNROLL; i++)
		BENCH_UNROLLED(bench_use(this_core_slot()->counter));
	return rdtsc() - start;
}

static uint64_t apic_array_increment_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops / BENCH_UNROLL; i++)
		BENCH_UNROLLED(this_core_slot()->counter++; barrier());
	return rdtsc() - start;
}

BENCH(cpu_local, apic_array_read)
{
	fill_core_of_apic_id();
	bench_instructions(apic_array_read_loop, empty_loop, NULL);
}

BENCH(cpu_local, apic_array_increment)
{
	fill_core_of_apic_id();
	bench_instructions(apic_array_increment_loop, empty_loop, NULL);
}

/*
 * locked_table: per-thread records in a 64-entry open-addressing hash
 * table, three quarters full, keyed by thread id, behind one lock.
 */

#define TABLE_SIZE 64
#define TABLE_THREADS 48
#define LOOKED_UP_TID 29

struct thread_record {
	uint32_t tid;		/* 0: free */
	uint32_t counter;
};

static struct thread_record thread_table[TABLE_SIZE];
/* Guards every record of thread_table: one lock shared by all cores,
 * which is the cost this benchmark measures. */
static struct spinlock thread_table_lock = SPINLOCK_INIT("bench thread table");

static inline unsigned tid_hash(uint32_t tid)
{
	return (tid * 2654435761u) >> 26;	/* Fibonacci hashing, 6 bits */
}

/* The tid must be in the table. */
static inline struct thread_record *thread_lookup(uint32_t tid)
{
	unsigned i = tid_hash(tid);

	while (thread_table[i].tid != tid)
		i = (i + 1) % TABLE_SIZE;
	return &thread_table[i];
}

static void fill_thread_table(void)
{
	for (uint32_t tid = 1; tid <= TABLE_THREADS; tid++) {
		unsigned i = tid_hash(tid);

		while (thread_table[i].tid && thread_table[i].tid != tid)
			i = (i + 1) % TABLE_SIZE;
		thread_table[i].tid = tid;
	}
}

/* The caller's thread id; hidden from the optimiser so that the hash is
 * computed at run time, as it would be for the running thread. */
static inline uint32_t current_tid(void)
{
	uint32_t tid = LOOKED_UP_TID;

	__asm__ volatile("" : "+r"(tid));
	return tid;
}

static inline uint32_t locked_table_read(void)
{
	spin_lock(&thread_table_lock);
	uint32_t v = thread_lookup(current_tid())->counter;

	spin_unlock(&thread_table_lock);
	return v;
}

static inline void locked_table_increment(void)
{
	spin_lock(&thread_table_lock);
	thread_lookup(current_tid())->counter++;
	spin_unlock(&thread_table_lock);
}

static uint64_t locked_table_read_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops / BENCH_UNROLL; i++)
		BENCH_UNROLLED(bench_use(locked_table_read()));
	return rdtsc() - start;
}

static uint64_t locked_table_increment_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops / BENCH_UNROLL; i++)
		BENCH_UNROLLED(locked_table_increment(); barrier());
	return rdtsc() - start;
}

BENCH(cpu_local, locked_table_read)
{
	fill_thread_table();
	bench_instructions(locked_table_read_loop, empty_loop, NULL);
}

BENCH(cpu_local, locked_table_increment)
{
	fill_thread_table();
	bench_instructions(locked_table_increment_loop, empty_loop, NULL);
}
