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
}

int main(void)
{
	struct uthread t[THREADS];

	for (int i = 0; i < THREADS; i++)
		UCHECK_EQ(uthread_create(&t[i], thread_main, (void *)(uintptr_t)(i + 1), 10,
					 i % cpu_count(), 0), 0);
	fill_and_check(0);
	for (int i = 0; i < THREADS; i++)
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
