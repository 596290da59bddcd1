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
 *
 * Benchmarks of what user code pays (system calls, IPC, threads) run in
 * user programs (user/bench/), which measure in ring 3 and print their
 * BENCH line themselves; their BENCH entry starts them (bench_program).
 */
#ifndef LOCUS_BENCH_BENCH_H
#define LOCUS_BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "bench/bench_stats.h"
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

/*
 * Runs the user benchmark program module on core cpu with the running
 * benchmark's name and then args as its arguments, and waits for it. The
 * program prints the BENCH line and exits with 0; anything else is
 * reported as the benchmark's error. Returns whether it succeeded.
 */
bool bench_program(const char *module, const char *args, int cpu);

/* The running benchmark cannot run here, or went wrong. */
void bench_skip(const char *fmt, ...) __printf_like(1, 2);
void bench_error(const char *fmt, ...) __printf_like(1, 2);

/*
 * Runs the selected benchmarks in a kernel thread on the boot core (so
 * that they may block, e.g. waiting for a program), prints BENCHES DONE
 * and exits QEMU; meanwhile the caller's context becomes the boot core's
 * idle thread.
 */
__noreturn void bench_run(const char *patterns);

#endif
