/*
 * What user code pays for the kernel's services (docs/performance.md).
 * Each benchmark is a user program in user/bench/ that measures in ring 3
 * with rdtsc (CR4.TSD is clear) and prints its own BENCH line; these
 * entries start it on core 0 and check how it ended. Under -icount both
 * cores share one instruction counter, so what core 1 executes during a
 * sample (the server of ipc.round_trip_cross_core, a woken waiter) is counted.
 *
 * The IPC fast path is a kernel switch with no system call: the entries
 * set it before the programs start and check afterwards that it was (or
 * was not) taken, so a row can never silently measure the other path.
 */
#include "bench/bench.h"
#include "ipc/ipc.h"
#include "lib/compiler.h"
#include "lib/format.h"
#include "smp/smp.h"

#define CLIENT_CPU 0
#define OTHER_CPU 1

BENCH(syscall, null)
{
	bench_program("bench_syscall", "", CLIENT_CPU);
}

/* Two threads of one task on one core, each yielding to the other. */
BENCH(thread, yield_switch)
{
	bench_program("bench_thread", "", CLIENT_CPU);
}

/* thread_create + the new thread's thread_exit + thread_join. */
BENCH(thread, create_exit_join)
{
	bench_program("bench_thread", "", CLIENT_CPU);
}

static uint32_t fastpath_total(void)
{
	uint32_t n = 0;

	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu_is_online(cpu))
			n += ipc_fastpath_count(cpu);
	return n;
}

/* The IPC round trip with the server on core server_cpu; returns how
 * many calls and replies took the fast path meanwhile. */
static uint32_t ipc_round_trip(unsigned server_cpu, bool fastpath, bool *ok)
{
	char args[8];
	uint32_t before = fastpath_total();

	WRITE_ONCE(ipc_fastpath_enabled, fastpath);
	ksnprintf(args, sizeof(args), "%u", server_cpu);
	*ok = bench_program("bench_ipc", args, CLIENT_CPU);
	WRITE_ONCE(ipc_fastpath_enabled, true);
	return fastpath_total() - before;
}

BENCH(ipc, round_trip_fast_path)
{
	bool ok;
	uint32_t fast = ipc_round_trip(CLIENT_CPU, true, &ok);

	/* Every measured call and reply must have been a handoff. */
	if (ok && fast < 2u * BENCH_SAMPLES * BENCH_OPS)
		bench_error("only %u calls and replies took the fast path", fast);
}

BENCH(ipc, round_trip_full_path)
{
	bool ok;
	uint32_t fast = ipc_round_trip(CLIENT_CPU, false, &ok);

	if (ok && fast)
		bench_error("%u calls and replies took the fast path", fast);
}

BENCH(ipc, round_trip_cross_core)
{
	bool ok;

	if (!cpu_is_online(OTHER_CPU)) {
		bench_skip("needs 2 cores, %u online", cpu_count());
		return;
	}
	/* The fast path is on, but a partner on another core never takes it. */
	uint32_t fast = ipc_round_trip(OTHER_CPU, true, &ok);

	if (ok && fast)
		bench_error("%u calls and replies took the fast path", fast);
}

/* Signal a waiter on the other core, which signals back. */
BENCH(notify, round_trip_cross_core)
{
	char args[8];

	if (!cpu_is_online(OTHER_CPU)) {
		bench_skip("needs 2 cores, %u online", cpu_count());
		return;
	}
	ksnprintf(args, sizeof(args), "%u", OTHER_CPU);
	bench_program("bench_notify", args, CLIENT_CPU);
}

/* The same with both threads on one core. */
BENCH(notify, round_trip_same_core)
{
	char args[8];

	ksnprintf(args, sizeof(args), "%u", CLIENT_CPU);
	bench_program("bench_notify", args, CLIENT_CPU);
}

BENCH(mem, map_touch_unmap)
{
	bench_program("bench_mem", "", CLIENT_CPU);
}
