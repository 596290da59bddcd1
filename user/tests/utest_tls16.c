/*
 * __thread isolation across 16 pthreads spread over every core: half
 * pinned round robin, half free to migrate. Each checks that it started
 * with the program's TLS image (initialised and zero-initialised
 * variables), sets values of its own, then keeps checking them through
 * yields, sleeps, system calls and migrations while the others do the
 * same. One TEST line per property (tests/run.py counts them).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/tcb.h"

#define THREADS 16
#define ROUNDS 300

static __thread int counter = 42;
static __thread char tag[24];
static __thread uint64_t wide;
static __thread int array[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static __thread int zeroed[64];

struct worker {
	int id;
	int bad_fresh, bad_kept, bad_gs;
	int migrations;
	uint32_t cpus_seen;		/* a bit per core */
	uintptr_t counter_addr, zeroed_addr, tcb;
};

static struct worker workers[THREADS];
static pthread_barrier_t all_set;

static bool fresh(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(zeroed); i++)
		if (zeroed[i])
			return false;
	for (unsigned i = 0; i < ARRAY_SIZE(array); i++)
		if (array[i] != (int)i + 1)
			return false;
	return counter == 42 && tag[0] == 0 && wide == 0;
}

static bool mine(const struct worker *w, int round)
{
	char expect[sizeof(tag)];

	snprintf(expect, sizeof(expect), "worker %d", w->id);
	return counter == 1000 * w->id + round && strcmp(tag, expect) == 0 &&
	       wide == 0x100000000ull * (uint64_t)w->id + 7 && array[3] == -w->id &&
	       array[4] == 5 && zeroed[w->id] == w->id + 1 && zeroed[63] == w->id;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct user_tcb *me = tcb_self();
	int last_cpu = cpu_id();

	w->bad_fresh = !fresh();
	w->counter_addr = (uintptr_t)&counter;
	w->zeroed_addr = (uintptr_t)&zeroed[0];
	w->tcb = (uintptr_t)me;
	counter = 1000 * w->id;
	snprintf(tag, sizeof(tag), "worker %d", w->id);
	wide = 0x100000000ull * (uint64_t)w->id + 7;
	array[3] = -w->id;
	zeroed[w->id] = w->id + 1;
	zeroed[63] = w->id;
	/* Everyone has written their own before anyone checks. */
	pthread_barrier_wait(&all_set);

	for (int i = 0; i < ROUNDS; i++) {
		if (i % 3 == 0)
			yield();
		else if (i % 50 == 1)
			sleep_ms(1);
		else
			sys_null();
		int cpu = cpu_id();

		w->cpus_seen |= 1u << cpu;
		w->migrations += cpu != last_cpu;
		last_cpu = cpu;
		if (tcb_self() != me || me->self != me || me->thread != pthread_self())
			w->bad_gs++;
		if (!mine(w, i))
			w->bad_kept++;
		counter++;
	}
	return NULL;
}

static void report(const char *name, bool ok, const char *why)
{
	if (ok)
		printf("TEST pthread.tls16_%s ok\n", name);
	else
		printf("TEST pthread.tls16_%s FAIL %s\n", name, why);
}

int main(void)
{
	int ncpu = cpu_count(), failed = 0, fresh_bad = 0, kept_bad = 0, gs_bad = 0;
	int migrations = 0;
	uint32_t seen = 0;
	bool distinct = true, same_offset = true;
	pthread_t t[THREADS];
	pthread_attr_t attr;
	char why[96];

	pthread_barrier_init(&all_set, NULL, THREADS);
	pthread_attr_init(&attr);
	for (int i = 0; i < THREADS; i++) {
		workers[i].id = i;
		/* Half pinned so that every core has one (all of them
		 * beyond 8 cores), half free to move. */
		if (ncpu > THREADS / 2)
			pthread_attr_setcpu(&attr, i % ncpu);
		else
			pthread_attr_setcpu(&attr, i % 2 ? CPU_ANY : (i / 2) % ncpu);
		if (pthread_create(&t[i], &attr, worker_main, &workers[i])) {
			printf("TEST pthread.tls16_create FAIL thread %d\n", i);
			return 1;
		}
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);

	for (int i = 0; i < THREADS; i++) {
		const struct worker *w = &workers[i];

		fresh_bad += w->bad_fresh;
		kept_bad += w->bad_kept;
		gs_bad += w->bad_gs;
		migrations += w->migrations;
		seen |= w->cpus_seen;
		/* Variant II: a variable sits at the same offset from every
		 * thread's TCB, and so at a different address in each. */
		same_offset &= w->counter_addr - w->tcb == (uintptr_t)&counter - (uintptr_t)tcb_self();
		distinct &= w->counter_addr != (uintptr_t)&counter &&
			    w->zeroed_addr != (uintptr_t)&zeroed[0];
		for (int j = 0; j < i; j++)
			distinct &= w->counter_addr != workers[j].counter_addr &&
				    w->zeroed_addr != workers[j].zeroed_addr;
	}
	/* The main thread's own values were never touched. */
	fresh_bad += !fresh();

	snprintf(why, sizeof(why), "%d threads started without the TLS image", fresh_bad);
	report("fresh_values", !fresh_bad, why);
	failed += fresh_bad != 0;
	snprintf(why, sizeof(why), "%d checks saw another thread's values", kept_bad);
	report("values_kept", !kept_bad, why);
	failed += kept_bad != 0;
	report("distinct_addresses", distinct && same_offset,
	       distinct ? "not at one offset from each TCB" : "two threads share a variable");
	failed += !(distinct && same_offset);
	snprintf(why, sizeof(why), "%d checks found %%gs not at the thread's own TCB", gs_bad);
	report("gs_own_tcb", !gs_bad, why);
	failed += gs_bad != 0;
	snprintf(why, sizeof(why), "ran on cores 0x%x of %d", seen, ncpu);
	report("all_cores", seen == (ncpu >= 32 ? ~0u : (1u << ncpu) - 1), why);
	failed += seen != (ncpu >= 32 ? ~0u : (1u << ncpu) - 1);
	printf("utest_tls16: %d failed, %d migrations on %d cpus\n", failed, migrations, ncpu);
	return failed;
}
