/* The benchmark runner and its measuring helpers (see bench.h). */
#include "bench/bench.h"

#include <stdarg.h>

#include "cpu_locals/cpu_locals.h"
#include "dev/qemu_exit.h"
#include "lib/cmdline.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "test/programs.h"
#include "uapi/syscall.h"

extern const struct bench __benches_start[];
extern const struct bench __benches_end[];

/* The running benchmark, and whether it has printed its line yet. */
static const char *current;
static bool reported;

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
	int64_t net[BENCH_SAMPLES];
	char line[BENCH_LINE_MAX];

	bench_collect(net, loop, empty, arg, sample);
	bench_format_instructions(line, sizeof(line), current, net);
	kprintf("%s", line);
	reported = true;
}

void bench_report_throughput(const uint64_t *ticks, unsigned count, uint64_t ops,
			     unsigned cpus)
{
	char line[BENCH_LINE_MAX];

	if (count == 0 || count > BENCH_SAMPLES) {
		bench_error("%u throughput samples", count);
		return;
	}
	bench_format_throughput(line, sizeof(line), current, ticks, count, ops, cpus);
	kprintf("%s", line);
	reported = true;
}

bool bench_program(const char *module, const char *args, int cpu)
{
	char argv[SPAWN_ARGS_MAX];
	int status = -1;
	int err;

	ksnprintf(argv, sizeof(argv), "%s%s%s", current, args[0] ? " " : "", args);
	err = run_program(module, argv, cpu, &status);
	if (err) {
		bench_error("cannot start %s: %d", module, err);
		return false;
	}
	if (status) {
		bench_error("%s exited with status %d", module, status);
		return false;
	}
	/* The program printed the line. */
	reported = true;
	return true;
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

static int run_benches(void *patterns)
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

void bench_run(const char *patterns)
{
	/* Pinned to this core: the cross-core benchmarks count on running on
	 * core 0 and measuring core 1. */
	struct thread *t = thread_create_kernel("bench", run_benches, (void *)patterns,
						THREAD_PRIORITY_DEFAULT, (int)cpu_id());

	if (!t)
		panic("no memory for the bench thread");
	thread_start(t);
	thread_put(t);
	sched_idle_loop();
}
