/*
 * Cross-core benchmarks (docs/performance.md):
 *
 *  - smp.ipi_round_trip: core 0 runs an empty function on core 1 through
 *    smp_call() and waits for it. Under -icount the vCPUs take turns on
 *    one host thread and share one instruction counter, so the figure is
 *    every instruction both cores execute per round trip.
 *  - smp.spinlock_throughput: every online core takes and releases one
 *    shared spinlock around a tiny critical section for a fixed number of
 *    rounds; the result is acquisitions per million TSC ticks, meant for
 *    multi-threaded TCG, where the TSC follows the host's clock.
 */
#include "bench/bench.h"
#include "cpu_locals/cpu_locals.h"
#include "lib/cpu_i386.h"
#include "smp/ipi.h"
#include "smp/smp.h"
#include "smp/spinlock.h"

#define IPI_TARGET 1

static uint64_t empty_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops; i++)
		barrier();
	return rdtsc() - start;
}

static void do_nothing(void *arg)
{
	(void)arg;
}

static uint64_t ipi_round_trip_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = rdtsc();

	for (unsigned i = 0; i < ops; i++) {
		smp_call(IPI_TARGET, do_nothing, NULL, true);
		barrier();
	}
	return rdtsc() - start;
}

BENCH(smp, ipi_round_trip)
{
	if (!cpu_is_online(IPI_TARGET)) {
		bench_skip("needs 2 cores, %u online", cpu_count());
		return;
	}
	bench_instructions(ipi_round_trip_loop, empty_loop, NULL);
}

/*
 * Spinlock stress. The cores start together (a bounded barrier: a core
 * that never arrives makes the run an error, not a hang), and each
 * records when it started and finished; a run lasts from the first start
 * to the last finish.
 */

#define STRESS_ROUNDS 50000
#define STRESS_RUNS 7
#define BARRIER_SPINS 100000000u

struct stress {
	struct spinlock lock;		/* guards counter: the lock measured */
	uint32_t counter;		/* the critical section's work */
	unsigned cores;
	unsigned arrived;
	bool late;			/* some core gave up waiting */
	uint64_t start[MAX_CPUS];
	uint64_t end[MAX_CPUS];
};

static struct stress stress = { .lock = SPINLOCK_INIT("bench stress") };

static void stress_worker(void *arg)
{
	struct stress *s = arg;
	unsigned me = cpu_id();
	uint32_t spins = 0;

	__atomic_add_fetch(&s->arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&s->arrived, __ATOMIC_ACQUIRE) < s->cores) {
		if (++spins == BARRIER_SPINS) {
			WRITE_ONCE(s->late, true);
			return;
		}
		cpu_relax();
	}
	s->start[me] = rdtsc();
	for (unsigned r = 0; r < STRESS_ROUNDS; r++) {
		spin_lock(&s->lock);
		s->counter++;
		spin_unlock(&s->lock);
	}
	s->end[me] = rdtsc();
}

/* One run on every online core; returns its TSC ticks, or 0 on error. */
static uint64_t stress_run(struct stress *s)
{
	uint32_t mask = cpu_online_mask();
	uint64_t first = UINT64_MAX, last = 0;

	s->cores = cpu_count();
	s->arrived = 0;
	s->counter = 0;
	s->late = false;
	smp_call_many(mask, stress_worker, s);
	if (s->late) {
		bench_error("not every core reached the start");
		return 0;
	}
	if (s->counter != s->cores * STRESS_ROUNDS) {
		bench_error("the lock lost updates: %u of %u", s->counter,
			    s->cores * STRESS_ROUNDS);
		return 0;
	}
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!(mask & (1u << cpu)))
			continue;
		first = MIN(first, s->start[cpu]);
		last = MAX(last, s->end[cpu]);
	}
	return last - first;
}

BENCH(smp, spinlock_throughput)
{
	uint64_t ticks[STRESS_RUNS];

	if (!stress_run(&stress))	/* warm-up */
		return;
	for (unsigned i = 0; i < STRESS_RUNS; i++)
		if (!(ticks[i] = stress_run(&stress)))
			return;
	bench_report_throughput(ticks, STRESS_RUNS, (uint64_t)stress.cores * STRESS_ROUNDS,
				stress.cores);
}
