/*
 * The trace rings, the trace points and the trace scenario (trace.h).
 *
 * Recording: each core appends to its own ring (a cpu-local) with
 * interrupts off, so events on one core are in time order and nothing is
 * shared between cores but two small tables (message ids and thread
 * names, below). A full ring overwrites its oldest events; the drain says
 * how many were lost.
 *
 * Messages: trace_ipc_send() gives each message an id (this core's count
 * of messages, with the core's number in the low bits, so no counter is
 * shared) and records it in the receiver's inbox slot. The receiver
 * records the matching receive when it next leaves a system call with the
 * message in its UTCB, on whatever core it then runs.
 *
 * The whole file is compiled only with -DLOCUS_TRACE.
 */
#ifdef LOCUS_TRACE

#include "trace/trace.h"

#include "cpu_locals/cpu_locals.h"
#include "dev/qemu_exit.h"
#include "lib/compiler.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "smp/smp.h"
#include "smp/timer.h"
#include "test/programs.h"

#define TRACE_RING_EVENTS 8192		/* a power of two */
#define TRACE_INBOX_SLOTS 1024
#define TRACE_NAME_SLOTS 1024
#define TRACE_PINGPONG_ROUNDS 300

struct trace_ring {
	uint32_t head;			/* events ever recorded here */
	uint32_t messages;		/* messages sent from here (ids) */
	struct trace_event events[TRACE_RING_EVENTS];
};

static CPU_LOCAL struct trace_ring trace_ring;

/* Recording is on between trace_begin and trace_end (the scenario). */
static bool trace_on;

/* The pending message of each receiver, by tid modulo the table size: a
 * collision could only lose a receive event (tids in a trace run stay far
 * below the size). */
static struct {
	uint32_t tid;			/* written last, read first */
	uint32_t from;
	uint32_t id;
} trace_inbox[TRACE_INBOX_SLOTS];

/* Thread names as they were when each tid first ran (it may be gone by
 * the drain). */
static struct {
	uint32_t tid;
	char name[THREAD_NAME_MAX];
} trace_names[TRACE_NAME_SLOTS];

/* TSC and clock_ns() read together at both ends: the host maps TSC
 * values to nanoseconds through them. */
static uint64_t trace_clock[2][2];

static void trace_put(unsigned kind, uint32_t a, uint32_t b)
{
	if (!READ_ONCE(trace_on))
		return;
	bool irq = irq_save();
	struct trace_event *e = &trace_ring.events[trace_ring.head++ % TRACE_RING_EVENTS];

	e->tsc = rdtsc();
	e->kind = kind;
	e->a = a;
	e->b = b;
	irq_restore(irq);
}

static void trace_name(const struct thread *t)
{
	unsigned slot = t->tid % TRACE_NAME_SLOTS;

	/* Idle threads all have tid 0; the host names them. */
	if (t->tid == 0 || READ_ONCE(trace_names[slot].tid) == t->tid)
		return;
	strlcpy(trace_names[slot].name, t->name, sizeof(trace_names[slot].name));
	__atomic_store_n(&trace_names[slot].tid, t->tid, __ATOMIC_RELEASE);
}

void trace_switch(const struct thread *prev, const struct thread *next)
{
	if (!READ_ONCE(trace_on))
		return;
	trace_name(next);
	trace_put(TRACE_SWITCH, prev->tid, next->tid);
}

void trace_syscall_enter(uint32_t number)
{
	trace_put(TRACE_SYSCALL_ENTER, number, current_thread()->tid);
}

void trace_syscall_exit(uint32_t number, uint32_t result)
{
	uint32_t tid = current_thread()->tid;
	unsigned slot = tid % TRACE_INBOX_SLOTS;

	/* Nothing else can be sent to this thread before it leaves: the
	 * slot is ours to read and to empty. */
	if (__atomic_load_n(&trace_inbox[slot].tid, __ATOMIC_ACQUIRE) == tid) {
		trace_put(TRACE_IPC_RECV, trace_inbox[slot].from, trace_inbox[slot].id);
		WRITE_ONCE(trace_inbox[slot].tid, 0);
	}
	trace_put(TRACE_SYSCALL_EXIT, number, result);
}

void trace_ipc_send(const struct thread *from, const struct thread *to)
{
	if (!READ_ONCE(trace_on))
		return;
	/* The caller holds the lock that keeps `to` in place: interrupts
	 * are off, the count cannot move under us. */
	uint32_t id = ++trace_ring.messages * MAX_CPUS + cpu_id();
	unsigned slot = to->tid % TRACE_INBOX_SLOTS;

	trace_put(TRACE_IPC_SEND, to->tid, id);
	trace_inbox[slot].from = from->tid;
	trace_inbox[slot].id = id;
	__atomic_store_n(&trace_inbox[slot].tid, to->tid, __ATOMIC_RELEASE);
}

/* System calls never come here: they enter through syscall_entry, which
 * records sys_enter and sys_exit instead. */
void trace_irq(unsigned vector)
{
	trace_put(TRACE_IRQ, vector, 0);
}

void trace_idle_enter(void)
{
	trace_put(TRACE_IDLE_ENTER, 0, 0);
}

void trace_idle_exit(void)
{
	trace_put(TRACE_IDLE_EXIT, 0, 0);
}

/* The drain. */

static const char *const trace_kind_names[] = {
	[TRACE_SWITCH] = "switch",
	[TRACE_SYSCALL_ENTER] = "sys_enter",
	[TRACE_SYSCALL_EXIT] = "sys_exit",
	[TRACE_IPC_SEND] = "send",
	[TRACE_IPC_RECV] = "recv",
	[TRACE_IRQ] = "irq",
	[TRACE_IDLE_ENTER] = "idle_enter",
	[TRACE_IDLE_EXIT] = "idle_exit",
};

static void trace_read_clock(uint64_t clock[2])
{
	bool irq = irq_save();

	clock[0] = rdtsc();
	clock[1] = clock_ns();
	irq_restore(irq);
}

static void trace_begin(void)
{
	trace_read_clock(trace_clock[0]);
	trace_name(current_thread());
	WRITE_ONCE(trace_on, true);
}

static void trace_end(void)
{
	WRITE_ONCE(trace_on, false);
	trace_read_clock(trace_clock[1]);
	/* A core may be inside trace_put still; it is done long before. */
	sched_sleep_ms(20);
}

/* Prints one core's ring, oldest event first (the host reads these lines:
 * tools/trace_convert.py). */
static void trace_drain_cpu(unsigned cpu)
{
	const struct trace_ring *r = cpu_local_of(&trace_ring, cpu);
	uint32_t head = READ_ONCE(r->head);
	uint32_t first = head > TRACE_RING_EVENTS ? head - TRACE_RING_EVENTS : 0;

	if (first)
		kprintf("TRACE LOST %u %u\n", cpu, first);
	for (uint32_t i = first; i != head; i++) {
		const struct trace_event *e = &r->events[i % TRACE_RING_EVENTS];

		kprintf("TRACE %u %llu %s %u %u\n", cpu, (unsigned long long)e->tsc,
			trace_kind_names[e->kind], (unsigned)e->a, e->b);
	}
}

static void trace_drain(void)
{
	kprintf("TRACE CPUS %u\n", cpu_count());
	for (int i = 0; i < 2; i++)
		kprintf("TRACE CLOCK %llu %llu\n", (unsigned long long)trace_clock[i][0],
			(unsigned long long)trace_clock[i][1]);
	for (unsigned slot = 0; slot < TRACE_NAME_SLOTS; slot++)
		if (trace_names[slot].tid)
			kprintf("TRACE THREAD %u %s\n", trace_names[slot].tid,
				trace_names[slot].name);
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		trace_drain_cpu(cpu);
	kprintf("TRACE DONE\n");
}

/* The scenario. */

static bool trace_run(const char *name, const char *args, int cpu)
{
	int status = -1;
	int err = run_program(name, args, cpu, &status);

	if (err || status)
		kprintf("trace: %s %s failed (error %d, status %d)\n", name, args, err, status);
	return !err && !status;
}

static int trace_scenario(void *unused)
{
	char args[32];
	bool ok;

	(void)unused;
	/* Client on core 0, server on core 1: every message crosses. */
	ksnprintf(args, sizeof(args), "%u %u", TRACE_PINGPONG_ROUNDS, cpu_count() > 1 ? 1 : 0);
	kprintf("trace: recording on %u cores: utest_ipc_pingpong %s, then utest_threads\n",
		cpu_count(), args);
	trace_begin();
	ok = trace_run("utest_ipc_pingpong", args, 0);
	ok = trace_run("utest_threads", "", THREAD_ANY_CPU) && ok;
	trace_end();
	trace_drain();
	qemu_exit(ok ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
}

void trace_start_scenario(void)
{
	struct thread *t = thread_create_kernel("trace", trace_scenario, NULL,
						THREAD_PRIORITY_DEFAULT, THREAD_ANY_CPU);

	if (!t)
		panic("no memory for the trace thread");
	thread_start(t);
	thread_put(t);
}

#endif /* LOCUS_TRACE */
