/*
 * __thread isolation: threads on the same core and on different cores
 * each keep their own values of several thread-locals (initialised and
 * zero-initialised) through many switches, sleeps and migrations, and
 * after every system call %gs:0 still reads the thread's own TCB.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "locus.h"
#include "locus/tcb.h"
#include "locus/uthread.h"
#include "locus/utest.h"

#define THREADS 6
#define ROUNDS 300

static __thread int counter = 42;
static __thread char tag[16];
static __thread uint64_t wide;
static __thread int array[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

struct worker {
	int id;
	int migrations;
	int cpus_seen;
};

static void check_fresh(void)
{
	UCHECK_EQ(counter, 42);
	UCHECK_EQ(tag[0], 0);
	UCHECK(wide == 0);
	UCHECK_EQ(array[7], 8);
}

static void exercise(struct worker *w)
{
	struct user_tcb *me = tcb_self();
	int last_cpu = cpu_id();

	check_fresh();
	counter = 1000 * w->id;
	snprintf(tag, sizeof(tag), "worker %d", w->id);
	wide = 0x100000000ull * (uint64_t)w->id + 7;
	array[3] = -w->id;
	for (int i = 0; i < ROUNDS; i++) {
		if (i % 3 == 0)
			yield();
		else if (i % 50 == 1)
			sleep_ms(1);
		else
			sys_null();
		int cpu = cpu_id();

		if (cpu != last_cpu)
			w->migrations++;
		last_cpu = cpu;
		/* After each system call: the same TCB, the same values. */
		UCHECK(tcb_self() == me && me->self == me);
		UCHECK_EQ(counter, 1000 * w->id + i);
		counter++;
		char expect[16];

		snprintf(expect, sizeof(expect), "worker %d", w->id);
		UCHECK(strcmp(tag, expect) == 0);
		UCHECK(wide == 0x100000000ull * (uint64_t)w->id + 7);
		UCHECK_EQ(array[3], -w->id);
		UCHECK_EQ(array[4], 5);
	}
}

static void worker_main(void *arg)
{
	exercise(arg);
}

int main(void)
{
	struct uthread threads[THREADS];
	struct worker workers[THREADS + 1];
	int n = cpu_count();

	for (int i = 0; i < THREADS; i++) {
		/* Two on core 0 with main, two each on other cores, two free. */
		int cpu = i < 2 ? 0 : i < 4 ? (i % n) : CPU_ANY;

		workers[i] = (struct worker){ .id = i + 1 };
		UCHECK_EQ(uthread_create(&threads[i], worker_main, &workers[i], 10, cpu, 0), 0);
	}
	workers[THREADS] = (struct worker){ .id = THREADS + 1 };
	exercise(&workers[THREADS]);
	int migrations = 0;

	for (int i = 0; i < THREADS; i++) {
		int status = -1;

		UCHECK_EQ(uthread_join(&threads[i], &status), 0);
		UCHECK_EQ(status, 0);
		migrations += workers[i].migrations;
	}
	printf("utest_tls: %d threads, %d migrations seen, %d failures\n", THREADS + 1,
	       migrations + workers[THREADS].migrations, utest_failures);
	return utest_failures;
}
