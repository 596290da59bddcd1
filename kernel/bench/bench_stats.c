/* Sampling and BENCH lines, for kernel and user benchmarks (bench_stats.h). */
#include "bench/bench_stats.h"

#include <stdbool.h>

#include "lib/format.h"

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

static uint64_t take(bench_sample_fn sample, bench_loop_fn loop, void *arg)
{
	return sample ? sample(loop, arg) : loop(BENCH_OPS, arg);
}

void bench_collect(int64_t net[BENCH_SAMPLES], bench_loop_fn loop, bench_loop_fn empty,
		   void *arg, bench_sample_fn sample)
{
	int64_t base[BENCH_SAMPLES];

	for (unsigned i = 0; i < BENCH_WARM_UP_RUNS; i++) {
		take(sample, empty, arg);
		take(sample, loop, arg);
	}
	for (unsigned i = 0; i < BENCH_SAMPLES; i++) {
		base[i] = (int64_t)take(sample, empty, arg);
		net[i] = (int64_t)take(sample, loop, arg);
	}
	sort(base, BENCH_SAMPLES);
	for (unsigned i = 0; i < BENCH_SAMPLES; i++)
		net[i] -= base[BENCH_SAMPLES / 2];
}

int bench_format_instructions(char *line, size_t size, const char *name,
			      int64_t net[BENCH_SAMPLES])
{
	char med[24], lo[24], hi[24];

	sort(net, BENCH_SAMPLES);
	return ksnprintf(line, size, "BENCH %s instructions=%s min=%s max=%s samples=%u ops=%u\n",
			 name, decimal(med, sizeof(med), net[BENCH_SAMPLES / 2], BENCH_OPS),
			 decimal(lo, sizeof(lo), net[0], BENCH_OPS),
			 decimal(hi, sizeof(hi), net[BENCH_SAMPLES - 1], BENCH_OPS),
			 BENCH_SAMPLES, BENCH_OPS);
}

int bench_format_throughput(char *line, size_t size, const char *name, const uint64_t *ticks,
			    unsigned count, uint64_t ops, unsigned cpus)
{
	int64_t per_mtsc[BENCH_SAMPLES];
	char med[24], lo[24], hi[24];

	if (count > BENCH_SAMPLES)
		count = BENCH_SAMPLES;
	/* Kept in tenths: ops * 10^6 / ticks, to one decimal. */
	for (unsigned i = 0; i < count; i++)
		per_mtsc[i] = ticks[i] ? (int64_t)((ops * 10000000 + ticks[i] / 2) / ticks[i]) : 0;
	sort(per_mtsc, count);
	return ksnprintf(line, size,
			 "BENCH %s ops_per_mtsc=%s min=%s max=%s samples=%u ops=%llu cpus=%u\n",
			 name, decimal(med, sizeof(med), per_mtsc[count / 2], 10),
			 decimal(lo, sizeof(lo), per_mtsc[0], 10),
			 decimal(hi, sizeof(hi), per_mtsc[count - 1], 10), count, ops, cpus);
}
