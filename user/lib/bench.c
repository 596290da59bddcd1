/* Benchmarks in user programs (locus/bench.h). */
#include "locus/bench.h"

#include <stdarg.h>
#include <stdio.h>

static int failures;

uint64_t bench_empty_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++)
		barrier();
	return bench_tsc() - start;
}

void bench_fail(const char *fmt, ...)
{
	va_list ap;

	/* A failing loop fails a thousand times: say it once. */
	if (__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED))
		return;
	char why[160];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printf("bench: %s\n", why);
}

int bench_failed(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED) != 0;
}

int bench_instructions(const char *name, bench_loop_fn loop, bench_loop_fn empty, void *arg)
{
	int64_t net[BENCH_SAMPLES];
	char line[BENCH_LINE_MAX];

	/* Interrupts stay on in ring 3: a timer tick can land in a sample,
	 * which shows in max, not in the median. */
	bench_collect(net, loop, empty, arg, NULL);
	if (bench_failed())
		return 1;
	bench_format_instructions(line, sizeof(line), name, net);
	printf("%s", line);
	return 0;
}
