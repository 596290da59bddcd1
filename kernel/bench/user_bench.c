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
#include "dev/serial.h"
#include "drivers/device_caps.h"
#include "ipc/ipc.h"
#include "lib/compiler.h"
#include "lib/format.h"
#include "smp/smp.h"
#include "task/task.h"
#include "uapi/cap.h"

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

/* pthread_mutex_lock + unlock with no other thread: no system call. */
BENCH(pthread, mutex_uncontended)
{
	bench_program("bench_pthread", "", CLIENT_CPU);
}

/* A mutex passed back and forth through a condition variable between a
 * thread here and one on the other core. */
BENCH(pthread, mutex_handoff_cross_core)
{
	char args[8];

	if (!cpu_is_online(OTHER_CPU)) {
		bench_skip("needs 2 cores, %u online", cpu_count());
		return;
	}
	ksnprintf(args, sizeof(args), "%u", OTHER_CPU);
	bench_program("bench_pthread", args, CLIENT_CPU);
}

/* pthread_create (pinned to the same core) + pthread_join. */
BENCH(pthread, create_join)
{
	bench_program("bench_pthread", "", CLIENT_CPU);
}

/* A task spawned for console.write, or NULL with the error reported. */
static struct task *spawn_or_report(const char *name, const char *args,
				    const struct cap *caps, const int *dest, unsigned ncaps)
{
	int err;
	struct task *task = task_spawn(name, args, CLIENT_CPU, caps, dest, ncaps, &err);

	if (!task)
		bench_error("cannot start %s: %d", name, err);
	return task;
}

static void stop_server(struct task *server)
{
	int status;

	if (!server)
		return;
	task_kill(server, TASK_EXIT_KILLED);
	task_wait(server, &status);
	task_put(server);
}

/*
 * write(1, ...) through the console service, which needs what init gives
 * a session (user/servers/init.c): the name service, and the console
 * registered there with COM1's capabilities. Every task sits on the
 * client's core, so each call is a same-core IPC round trip. The servers
 * are killed afterwards so that they do not run on under the later
 * benchmarks (the UART's receive interrupt stays enabled, unused).
 */
static void console_write_with_servers(void)
{
	struct endpoint *names_ep = endpoint_create();

	if (!names_ep) {
		bench_error("no memory for the name service's endpoint");
		return;
	}
	const struct cap names_receive = { &names_ep->obj, CAP_RIGHTS_ALL, 0 };
	const struct cap names_send = { &names_ep->obj, CAP_RIGHT_SEND | CAP_RIGHT_GRANT, 0 };
	const struct cap console_caps[3] = {
		{ &device_irq(COM1_IRQ)->obj, CAP_RIGHT_CONTROL, 0 },
		{ &device_com1_ports()->obj, CAP_RIGHT_CONTROL, 0 },
		names_send,
	};
	/* Where the console expects them (user/servers/console.c). */
	const int console_dest[3] = { 1, 2, CAP_SLOT_NAMES };
	const int client_dest[1] = { CAP_SLOT_NAMES };
	struct task *names = spawn_or_report("names", "", &names_receive, NULL, 1);
	struct task *console = names ? spawn_or_report("console", "", console_caps, console_dest, 3)
				     : NULL;
	struct task *client = console ? spawn_or_report("bench_console",
							"console.write console.write",
							&names_send, client_dest, 1)
				      : NULL;

	/* Ours is no longer needed: the tasks took their own. */
	kobject_put(&names_ep->obj);
	if (client) {
		int status = -1;

		task_wait(client, &status);
		task_put(client);
		if (status)
			bench_error("bench_console exited with status %d", status);
	}
	stop_server(console);
	stop_server(names);
}

/*
 * One entry, two rows: console.debug_write, the raw system call, and
 * console.write, the same line through the console service. The first
 * runs through bench_program, which reports for the entry; the second
 * needs capabilities bench_program cannot pass, so it is spawned here
 * and prints its own line (or this entry an error).
 */
BENCH(console, write)
{
	if (bench_program("bench_console", "console.debug_write", CLIENT_CPU))
		console_write_with_servers();
}
