/*
 * Load spreading: 4 busy threads, placed by the kernel, must end up on 4
 * different cores (placement, then idle cores taking work).
 */
#include <stdio.h>

#include "locus.h"
#include "locus/uthread.h"
#include "locus/utest.h"

#define BUSY 4

static volatile int stop;
static volatile int where[BUSY];

static void busy(void *arg)
{
	volatile int *cpu = arg;

	for (unsigned long i = 0; !stop; i++)
		if (i % 4096 == 0)
			*cpu = cpu_id();
}

int main(void)
{
	struct uthread threads[BUSY];

	if (cpu_count() < BUSY) {
		printf("utest_spread: needs %d cores\n", BUSY);
		return 0;
	}
	for (int i = 0; i < BUSY; i++)
		UCHECK_EQ(uthread_create(&threads[i], busy, (void *)&where[i], 10, CPU_ANY, 0), 0);
	sleep_ms(300);
	int seen[BUSY];

	for (int i = 0; i < BUSY; i++)
		seen[i] = where[i];
	stop = 1;
	for (int i = 0; i < BUSY; i++)
		UCHECK_EQ(uthread_join(&threads[i], NULL), 0);
	printf("utest_spread: busy threads on cores %d %d %d %d\n", seen[0], seen[1], seen[2],
	       seen[3]);
	for (int i = 0; i < BUSY; i++)
		for (int j = 0; j < i; j++)
			UCHECK(seen[i] != seen[j]);
	return utest_failures;
}
