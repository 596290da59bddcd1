/*
 * Benchmarks in user programs (user/bench/), measured like the kernel's
 * (kernel/bench/bench_stats.h, shared with them): a loop and its empty
 * twin, timed with rdtsc, which ring 3 may execute (CR4.TSD is clear)
 * and which counts guest instructions under qemu -icount shift=0.
 *
 * A program is started by its kernel BENCH entry with the benchmark's
 * name as argv[1], prints one BENCH line and exits with 0.
 */
#ifndef LOCUS_USER_BENCH_H
#define LOCUS_USER_BENCH_H

#include <stdint.h>

#include "bench/bench_stats.h"
#include "lib/compiler.h"

static inline uint64_t bench_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* The empty twin of a loop of ops operations with one barrier each. */
uint64_t bench_empty_loop(unsigned ops, void *arg);

/*
 * Measures loop against empty (bench_collect) and prints the BENCH line
 * for name, unless bench_fail was called meanwhile. Returns the exit
 * status for main: 0, or 1 after a failure.
 */
int bench_instructions(const char *name, bench_loop_fn loop, bench_loop_fn empty, void *arg);

/* Something went wrong (e.g. inside a measured loop): prints why, the
 * first time, and makes bench_instructions fail. */
void bench_fail(const char *fmt, ...) __printf_like(1, 2);
int bench_failed(void);

#endif
