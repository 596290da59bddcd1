/*
 * Kernel benchmarks. Each is a function placed in the .benches section by
 * BENCH; the command line's bench=PATTERN selects which run, in name
 * order. Results go to the serial port, one line each, for tests/bench.py:
 *
 *	BENCH <name> instructions=<median> min=<..> max=<..> samples=<R> ops=<K>
 *	BENCH <name> ops_per_mtsc=<median> min=<..> max=<..> samples=<R> ops=<K> cpus=<n>
 *	BENCH <name> skipped <why>
 *	BENCH <name> error <why>
 *	BENCHES DONE
 *
 * "instructions" are TSC ticks per operation, which under
 * qemu -icount shift=0 are guest instructions (docs/performance.md);
 * "ops_per_mtsc" is operations per million TSC ticks, for throughput runs
 * under multi-threaded TCG, where the TSC follows the host's.
 *
 *	BENCH(cpu_local, read)		-> benchmark "cpu_local.read"
 *	{
 *		bench_instructions(read_loop, empty_loop, NULL);
 *	}
 */
#ifndef LOCUS_BENCH_BENCH_H
#define LOCUS_BENCH_BENCH_H

#include <stdint.h>

#include "lib/compiler.h"

struct bench {
	const char *name;
	void (*fn)(void);
};

/* As KTEST: one section per benchmark, sorted by name in linker.ld. */
#define BENCH(group, what)                                                          \
	static void bench_##group##_##what(void);                                   \
	static const struct bench bench_desc_##group##_##what                       \
		__section(".benches." #group "." #what) __used __aligned(4) = {     \
			#group "." #what, bench_##group##_##what };                 \
	static void bench_##group##_##what(void)

/* Samples per result, and operations per sample. */
#define BENCH_SAMPLES 15
#define BENCH_OPS 1000
/* How many copies of a tiny operation one loop iteration holds. */
#define BENCH_UNROLL 10

/*
 * Ten copies of a statement, for loops over tiny operations: the loop's
 * own increment and branch are then paid once per ten operations (and
 * subtracted anyway, see bench_instructions).
 */
#define BENCH_UNROLLED(stmt)                                            \
	do {                                                            \
		stmt; stmt; stmt; stmt; stmt; stmt; stmt; stmt; stmt; stmt; \
	} while (0)

/*
 * Compiler barriers for measured loops. bench_use(v) makes the compiler
 * produce v in a register, and the "memory" clobber makes it forget what
 * it knew about memory, so the next copy of an operation must load (or
 * store) again: nothing is hoisted out of the loop or merged.
 */
#define bench_use(v) __asm__ volatile("" : : "r"(v) : "memory")

/*
 * A measured loop: runs ops operations (a multiple of BENCH_UNROLL) and
 * returns the TSC ticks they took, read with rdtsc right around the loop.
 */
typedef uint64_t (*bench_loop_fn)(unsigned ops, void *arg);

/*
 * Measures and reports instructions per operation: warms both loops up,
 * takes BENCH_SAMPLES samples of BENCH_OPS operations from each (with
 * interrupts off), subtracts the median of the empty loop (the same loop
 * without the operation) from every sample of loop, and prints the
 * median, min and max per operation.
 */
void bench_instructions(bench_loop_fn loop, bench_loop_fn empty, void *arg);

/*
 * Reports a throughput result: in each of count samples, ops operations
 * (over all cores) took ticks[i] TSC ticks; prints the median, min and max
 * of operations per million ticks.
 */
void bench_report_throughput(const uint64_t *ticks, unsigned count, uint64_t ops,
			     unsigned cpus);

/* The running benchmark cannot run here, or went wrong. */
void bench_skip(const char *fmt, ...) __printf_like(1, 2);
void bench_error(const char *fmt, ...) __printf_like(1, 2);

/* Runs the selected benchmarks, prints BENCHES DONE and exits QEMU. */
__noreturn void bench_run(const char *patterns);

#endif
