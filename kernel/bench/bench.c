/* The benchmark runner and its measuring helpers (see bench.h). */
#include "bench/bench.h"

#include <stdarg.h>

#include "dev/qemu_exit.h"
#include "lib/cmdline.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/format.h"

extern const struct bench __benches_start[];
extern const struct bench __benches_end[];

#define WARM_UP_RUNS 2

/* The running benchmark, and whether it has printed its line yet. */
static const char *current;
static bool reported;

static void sort(int64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		int64_t x = v[i];
		unsigned j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* a / b rounded to one decimal, as text ("12.3", "-0.4"). */
static const char *decimal(char *buf, size_t size, int64_t a, uint64_t b)
{
	bool negative = a < 0;
	uint64_t tenths = ((negative ? -(uint64_t)a : (uint64_t)a) * 10 + b / 2) / b;

	ksnprintf(buf, size, "%s%llu.%llu", negative && tenths ? "-" : "", tenths / 10,
		  tenths % 10);
	return buf;
}

/* One sample: the loop with interrupts off, so no tick lands inside. */
static uint64_t sample(bench_loop_fn loop, void *arg)
{
	bool irq = irq_save();
	uint64_t ticks = loop(BENCH_OPS, arg);

	irq_restore(irq);
	return ticks;
}

void bench_instructions(bench_loop_fn loop, bench_loop_fn empty, void *arg)
{
	int64_t base[BENCH_SAMPLES], net[BENCH_SAMPLES];
	char med[24], lo[24], hi[24];

	for (unsigned i = 0; i < WARM_UP_RUNS; i++) {
		sample(empty, arg);
		sample(loop, arg);
	}
	/* Interleaved, so both loops see the same conditions. */
	for (unsigned i = 0; i < BENCH_SAMPLES; i++) {
		base[i] = (int64_t)sample(empty, arg);
		net[i] = (int64_t)sample(loop, arg);
	}
	sort(base, BENCH_SAMPLES);
	for (unsigned i = 0; i < BENCH_SAMPLES; i++)
		net[i] -= base[BENCH_SAMPLES / 2];
	sort(net, BENCH_SAMPLES);
	kprintf("BENCH %s instructions=%s min=%s max=%s samples=%u ops=%u\n", current,
		decimal(med, sizeof(med), net[BENCH_SAMPLES / 2], BENCH_OPS),
		decimal(lo, sizeof(lo), net[0], BENCH_OPS),
		decimal(hi, sizeof(hi), net[BENCH_SAMPLES - 1], BENCH_OPS), BENCH_SAMPLES,
		BENCH_OPS);
	reported = true;
}

void bench_report_throughput(const uint64_t *ticks, unsigned count, uint64_t ops,
			     unsigned cpus)
{
	int64_t per_mtsc[BENCH_SAMPLES];
	char med[24], lo[24], hi[24];

	if (count == 0 || count > BENCH_SAMPLES) {
		bench_error("%u throughput samples", count);
		return;
	}
	/* Kept in tenths: ops * 10^6 / ticks, to one decimal. */
	for (unsigned i = 0; i < count; i++)
		per_mtsc[i] = ticks[i] ? (int64_t)((ops * 10000000 + ticks[i] / 2) / ticks[i]) : 0;
	sort(per_mtsc, count);
	kprintf("BENCH %s ops_per_mtsc=%s min=%s max=%s samples=%u ops=%llu cpus=%u\n", current,
		decimal(med, sizeof(med), per_mtsc[count / 2], 10),
		decimal(lo, sizeof(lo), per_mtsc[0], 10),
		decimal(hi, sizeof(hi), per_mtsc[count - 1], 10), count, ops, cpus);
	reported = true;
}

static void report_reason(const char *what, const char *fmt, va_list ap)
{
	char why[160];

	kvsnprintf(why, sizeof(why), fmt, ap);
	kprintf("BENCH %s %s %s\n", current, what, why);
	reported = true;
}

void bench_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_reason("skipped", fmt, ap);
	va_end(ap);
}

void bench_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_reason("error", fmt, ap);
	va_end(ap);
}

/*
 * The premise of every instruction count: a loop of exactly four
 * instructions per iteration must cost 4.0 ticks per iteration under
 * -icount shift=0. The baseline runs the same code for one iteration.
 */
static inline uint64_t time_four_instruction_loop(unsigned iterations)
{
	uint64_t start = rdtsc();

	__asm__ volatile("1: nop; nop; dec %0; jnz 1b" : "+r"(iterations));
	return rdtsc() - start;
}

static uint64_t four_instruction_loop(unsigned ops, void *arg)
{
	(void)arg;
	return time_four_instruction_loop(ops);
}

static uint64_t four_instruction_loop_once(unsigned ops, void *arg)
{
	(void)ops;
	(void)arg;
	return time_four_instruction_loop(1);
}

BENCH(tsc, four_instruction_loop)
{
	bench_instructions(four_instruction_loop, four_instruction_loop_once, NULL);
}

void bench_run(const char *patterns)
{
	for (const struct bench *b = __benches_start; b < __benches_end; b++) {
		if (!cmdline_pattern_match(patterns, b->name))
			continue;
		current = b->name;
		reported = false;
		/* Like tests, benchmarks start as ordinary interruptible kernel
		 * code; the helpers turn interrupts off around each sample. */
		sti();
		b->fn();
		if (!reported)
			bench_error("reported no result");
	}
	kprintf("BENCHES DONE\n");
	qemu_exit(QEMU_EXIT_PASS);
}
