/*
 * UTCB isolation inside a task: threads share UTCB pages (eight UTCBs
 * to a page) but each sees only its own message registers, through its
 * own %gs-relative UTCB pointer.
 */
#include <stdio.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/uthread.h"
#include "locus/utest.h"

#define THREADS 6

static struct utcb *utcbs[THREADS + 1];
static int threads_done;
static int threads_started;	/* set by main once it has made them */

/* Keeps every thread alive until all have checked: a thread that has
 * ended gives its UTCB back, and a later one may get the same. */
static void wait_for_all(void)
{
	__atomic_add_fetch(&threads_done, 1, __ATOMIC_ACQ_REL);
	for (;;) {
		int started = __atomic_load_n(&threads_started, __ATOMIC_ACQUIRE);

		if (started && __atomic_load_n(&threads_done, __ATOMIC_ACQUIRE) >= started)
			return;
		yield();
	}
}

static void fill_and_check(int id)
{
	struct utcb *u = utcb();

	utcbs[id] = u;
	for (unsigned i = 0; i < UTCB_MESSAGE_REGISTERS; i++)
		u->mr[i] = (uint32_t)id << 16 | i;
	for (int round = 0; round < 50; round++) {
		yield();
		UCHECK(utcb() == u);
		for (unsigned i = 0; i < UTCB_MESSAGE_REGISTERS; i++)
			if (u->mr[i] != ((uint32_t)id << 16 | i)) {
				UCHECK_EQ(u->mr[i], (uint32_t)id << 16 | i);
				return;
			}
	}
}

static void thread_main(void *arg)
{
	fill_and_check((int)(uintptr_t)arg);
	wait_for_all();
}

int main(void)
{
	struct uthread t[THREADS];
	int n = 0;

	while (n < THREADS && uthread_create(&t[n], thread_main, (void *)(uintptr_t)(n + 1), 10,
					     n % cpu_count(), 0) == 0)
		n++;
	UCHECK_EQ(n, THREADS);
	__atomic_store_n(&threads_started, n + 1, __ATOMIC_RELEASE);
	fill_and_check(0);
	wait_for_all();
	for (int i = 0; i < n; i++)
		UCHECK_EQ(uthread_join(&t[i], NULL), 0);
	for (int i = 0; i <= THREADS; i++) {
		uintptr_t a = (uintptr_t)utcbs[i];

		UCHECK(a >= 0xBFC00000u && a % UTCB_SIZE == 0);
		for (int j = 0; j < i; j++)
			UCHECK(utcbs[i] != utcbs[j]);
	}
	/* Seven threads: the first page holds eight UTCBs, so they share it. */
	UCHECK_EQ((uintptr_t)utcbs[0] / 4096, (uintptr_t)utcbs[THREADS] / 4096);
	printf("utest_ipc_utcb: %d failures\n", utest_failures);
	return utest_failures;
}
