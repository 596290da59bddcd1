/*
 * "bench_thread NAME", two benchmarks of threads of one task, all on the
 * core the program runs on (the kernel starts it pinned):
 *
 *  - thread.yield_switch: two threads yield to each other; one operation
 *    is one yield, that is one switch (system call, schedule, switch of
 *    stacks and UTLS, return to the other thread);
 *  - thread.create_exit_join: the raw system calls, with one stack and
 *    one TLS region made beforehand and reused: thread_create, the new
 *    thread runs and calls thread_exit at once, thread_join returns. The
 *    kernel side (thread object, kernel stack, UTCB, capability) is all
 *    counted; uthread_create would add a mem_map and mem_unmap of its
 *    stack (see mem.map_touch_unmap).
 */
#include <string.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/bench.h"
#include "locus/tls.h"
#include "locus/uthread.h"

#define PRIORITY 10
#define STACK_SIZE 4096

/* yield_switch */

static bool stop;

static void partner(void *arg)
{
	(void)arg;
	while (!READ_ONCE(stop))
		if (yield())
			bench_fail("yield failed");
}

/* ops yields in all: half here, half in the partner. */
static uint64_t yield_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops / 2; i++) {
		if (yield())
			bench_fail("yield failed");
		barrier();
	}
	return bench_tsc() - start;
}

static uint64_t half_empty_loop(unsigned ops, void *arg)
{
	return bench_empty_loop(ops / 2, arg);
}

static int yield_switch(const char *name)
{
	struct uthread t;
	int err = uthread_create(&t, partner, NULL, PRIORITY, cpu_id(), 0);

	if (err) {
		bench_fail("uthread_create: %d", err);
		return 1;
	}
	int result = bench_instructions(name, yield_loop, half_empty_loop, NULL);

	WRITE_ONCE(stop, true);
	err = uthread_join(&t, NULL);
	if (err)
		bench_fail("uthread_join: %d", err);
	return result || err;
}

/* create_exit_join */

struct spare {
	void *stack_top;
	void *tcb;
	int cpu;
};

static void exit_at_once(void)
{
	thread_exit(0);
}

static uint64_t create_join_loop(unsigned ops, void *arg)
{
	const struct spare *s = arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		int status = -1;
		int cap = thread_create((const void *)exit_at_once, s->stack_top, s->tcb, 0,
					PRIORITY, s->cpu);

		if (cap < 0 || thread_join(cap, &status) || status)
			bench_fail("thread_create %d, thread_join status %d", cap, status);
		barrier();
	}
	return bench_tsc() - start;
}

static int create_exit_join(const char *name)
{
	static uint8_t stack[STACK_SIZE] __aligned(16);
	size_t tls_size = ALIGN_UP(tls_region_size(), tls_region_align());
	size_t size = ALIGN_UP(tls_size + tls_region_align(), 4096);
	int err = 0;
	void *tls = mem_map(NULL, size, PROT_READ | PROT_WRITE, &err);

	if (!tls) {
		bench_fail("mem_map: %d", err);
		return 1;
	}
	/* The threads never return from their entry: a zero return address
	 * at the top of the stack ends backtraces. */
	struct spare s = {
		.stack_top = stack + STACK_SIZE - 4,
		.tcb = tls_region_setup((void *)ALIGN_UP((uintptr_t)tls, tls_region_align())),
		.cpu = cpu_id(),
	};

	return bench_instructions(name, create_join_loop, bench_empty_loop, &s);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "thread.yield_switch"))
		return yield_switch(argv[1]);
	if (!strcmp(argv[1], "thread.create_exit_join"))
		return create_exit_join(argv[1]);
	bench_fail("unknown benchmark %s", argv[1]);
	return 2;
}
