/*
 * "bench_pthread NAME [CPU]", three benchmarks of the POSIX threads of
 * user/lib/pthread (docs/pthreads.md), measured on the core the kernel
 * pinned this program to:
 *
 *  - pthread.mutex_uncontended: pthread_mutex_lock + pthread_mutex_unlock
 *    of a mutex nobody else wants. One operation is the pair; it must not
 *    enter the kernel, which the benchmark checks with the core's count
 *    of system calls.
 *  - pthread.mutex_handoff_cross_core CPU: this thread and a second one,
 *    pinned to core CPU, pass a mutex back and forth through a condition
 *    variable: each sets `turn` to the other, signals and waits, so the
 *    mutex changes hands once per turn. One operation is one handoff
 *    (half of them by each side); every handoff wakes a thread sleeping
 *    in the kernel on the other core, so both cores' instructions count.
 *  - pthread.create_join: pthread_create with default attributes but
 *    pinned to this core, the thread returns at once, pthread_join. One
 *    operation is the pair: the 64 KiB stack mapped and zeroed, the
 *    kernel thread made, run, ended and joined, the memory unmapped.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/bench.h"
#include "uapi/sysinfo.h"

/* mutex_uncontended */

static uint64_t lock_unlock_loop(unsigned ops, void *arg)
{
	pthread_mutex_t *m = arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		if (pthread_mutex_lock(m) || pthread_mutex_unlock(m))
			bench_fail("pthread_mutex_lock or unlock failed");
		barrier();
	}
	return bench_tsc() - start;
}

static unsigned syscalls_on(int cpu)
{
	struct cpu_info info;

	if (cpu_info((unsigned)cpu, &info))
		bench_fail("cpu_info failed");
	return info.syscalls;
}

static int mutex_uncontended(const char *name)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	int cpu = cpu_id();	/* itself a system call: asked once, outside */
	unsigned before, after;

	/* The claim behind the row: no system call. Nothing else runs on
	 * this core, so between two reads of its count the only call is the
	 * second read itself. (The first lock also adopts this thread as a
	 * pthread, once: run a sample before looking.) */
	lock_unlock_loop(BENCH_OPS, &m);
	before = syscalls_on(cpu);
	lock_unlock_loop(BENCH_OPS, &m);
	after = syscalls_on(cpu);
	if (after - before != 1)
		bench_fail("%u lock/unlock pairs made %u system calls", BENCH_OPS,
			   after - before - 1);
	return bench_instructions(name, lock_unlock_loop, bench_empty_loop, &m);
}

/* mutex_handoff_cross_core */

enum side { MAIN_SIDE, PARTNER_SIDE };

struct handoff {
	pthread_mutex_t lock;
	pthread_cond_t turn_changed;
	enum side turn;		/* whose turn it is; under lock */
	bool stop;		/* under lock */
};

/* lock held: gives the turn to other and waits until it comes back. */
static void pass_turn(struct handoff *h, enum side me, enum side other)
{
	h->turn = other;
	if (pthread_cond_signal(&h->turn_changed))
		bench_fail("pthread_cond_signal failed");
	while (h->turn != me && !h->stop)
		if (pthread_cond_wait(&h->turn_changed, &h->lock))
			bench_fail("pthread_cond_wait failed");
}

static void *partner(void *arg)
{
	struct handoff *h = arg;

	pthread_mutex_lock(&h->lock);
	while (h->turn != PARTNER_SIDE && !h->stop)
		pthread_cond_wait(&h->turn_changed, &h->lock);
	while (!h->stop)
		pass_turn(h, PARTNER_SIDE, MAIN_SIDE);
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

/* ops handoffs in all: half from here to the partner, half back. The
 * mutex is taken before the clock starts and let go after it stops;
 * in between it changes hands only inside pthread_cond_wait. */
static uint64_t handoff_loop(unsigned ops, void *arg)
{
	struct handoff *h = arg;

	pthread_mutex_lock(&h->lock);
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops / 2; i++) {
		pass_turn(h, MAIN_SIDE, PARTNER_SIDE);
		barrier();
	}
	uint64_t ticks = bench_tsc() - start;

	pthread_mutex_unlock(&h->lock);
	return ticks;
}

/* The same lock and unlock at the edges, without the handoffs. */
static uint64_t handoff_empty_loop(unsigned ops, void *arg)
{
	struct handoff *h = arg;

	pthread_mutex_lock(&h->lock);
	uint64_t ticks = bench_empty_loop(ops / 2, NULL);

	pthread_mutex_unlock(&h->lock);
	return ticks;
}

static int mutex_handoff(const char *name, int other_cpu)
{
	static struct handoff h = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.turn_changed = PTHREAD_COND_INITIALIZER,
		.turn = MAIN_SIDE,
	};
	pthread_attr_t attr;
	pthread_t t;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setcpu(&attr, other_cpu);
	err = pthread_create(&t, &attr, partner, &h);
	if (err) {
		bench_fail("pthread_create: %d", err);
		return 1;
	}
	int result = bench_instructions(name, handoff_loop, handoff_empty_loop, &h);

	pthread_mutex_lock(&h.lock);
	h.stop = true;
	pthread_cond_signal(&h.turn_changed);
	pthread_mutex_unlock(&h.lock);
	err = pthread_join(t, NULL);
	if (err)
		bench_fail("pthread_join: %d", err);
	return result || err;
}

/* create_join */

static void *return_at_once(void *arg)
{
	return arg;
}

static uint64_t create_join_loop(unsigned ops, void *arg)
{
	const pthread_attr_t *attr = arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		pthread_t t;
		void *value = NULL;

		if (pthread_create(&t, attr, return_at_once, &value) ||
		    pthread_join(t, &value) || value != &value)
			bench_fail("pthread_create or pthread_join failed");
		barrier();
	}
	return bench_tsc() - start;
}

static int create_join(const char *name)
{
	pthread_attr_t attr;

	/* Default stack size; pinned here so the row is one core's work. */
	pthread_attr_init(&attr);
	pthread_attr_setcpu(&attr, cpu_id());
	return bench_instructions(name, create_join_loop, bench_empty_loop, &attr);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "pthread.mutex_uncontended"))
		return mutex_uncontended(argv[1]);
	if (!strcmp(argv[1], "pthread.mutex_handoff_cross_core") && argc >= 3)
		return mutex_handoff(argv[1], atoi(argv[2]));
	if (!strcmp(argv[1], "pthread.create_join"))
		return create_join(argv[1]);
	bench_fail("unknown benchmark %s", argv[1]);
	return 2;
}
