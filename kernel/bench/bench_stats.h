/*
 * The pure half of every benchmark, compiled into the kernel and into
 * user programs (user/user.mk): how samples are taken and turned into a
 * BENCH line. The kernel (bench/bench.c) and the user library
 * (user/lib/bench.c) differ only in how they read the TSC, how one sample
 * is taken (the kernel turns interrupts off) and where the line goes.
 */
#ifndef LOCUS_BENCH_BENCH_STATS_H
#define LOCUS_BENCH_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Samples per result, and operations per sample. */
#define BENCH_SAMPLES 15
#define BENCH_OPS 1000
/* Runs of each loop before the samples count (caches, first faults). */
#define BENCH_WARM_UP_RUNS 2
/* How many copies of a tiny operation one loop iteration holds. */
#define BENCH_UNROLL 10
/* Room for one BENCH line, newline included. */
#define BENCH_LINE_MAX 200

/*
 * Ten copies of a statement, for loops over tiny operations: the loop's
 * own increment and branch are then paid once per ten operations (and
 * subtracted anyway, see bench_collect).
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

/* Takes one sample: runs loop(BENCH_OPS, arg) and returns its ticks. */
typedef uint64_t (*bench_sample_fn)(bench_loop_fn loop, void *arg);

/*
 * Warms both loops up, then takes BENCH_SAMPLES samples of each,
 * interleaved so that both see the same conditions, and leaves in net[]
 * the ticks of every sample of loop minus the median of the empty loop
 * (the same loop without the operation). sample is NULL for a plain call.
 */
void bench_collect(int64_t net[BENCH_SAMPLES], bench_loop_fn loop, bench_loop_fn empty,
		   void *arg, bench_sample_fn sample);

/*
 * Formats the result of bench_collect (sorting net[]) as
 *	BENCH <name> instructions=<median> min=<..> max=<..> samples=<R> ops=<K>\n
 * per operation, to one decimal. Returns the line's length.
 */
int bench_format_instructions(char *line, size_t size, const char *name,
			      int64_t net[BENCH_SAMPLES]);

/*
 * Formats a throughput result: in each of count (<= BENCH_SAMPLES)
 * samples, ops operations took ticks[i] TSC ticks; the line gives the
 * median, min and max of operations per million ticks.
 */
int bench_format_throughput(char *line, size_t size, const char *name, const uint64_t *ticks,
			    unsigned count, uint64_t ops, unsigned cpus);

#endif
