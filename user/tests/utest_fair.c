/*
 * Fairness: N threads pinned to one core spin, counting, for a while;
 * each must get a share within a factor of 2 of the others'.
 */
#include <stdio.h>

#include "locus.h"
#include "locus/uthread.h"
#include "locus/utest.h"

#define SPINNERS 3
#define RUN_MS 400

static volatile int stop;
static volatile unsigned long counts[SPINNERS];

static void spin(void *arg)
{
	volatile unsigned long *count = arg;

	while (!stop)
		(*count)++;
}

int main(void)
{
	struct uthread threads[SPINNERS];
	int core = cpu_count() - 1;

	for (int i = 0; i < SPINNERS; i++)
		UCHECK_EQ(uthread_create(&threads[i], spin, (void *)&counts[i], 10, core, 0), 0);
	sleep_ms(RUN_MS);
	stop = 1;
	unsigned long min = ~0ul, max = 0;

	for (int i = 0; i < SPINNERS; i++) {
		UCHECK_EQ(uthread_join(&threads[i], NULL), 0);
		min = counts[i] < min ? counts[i] : min;
		max = counts[i] > max ? counts[i] : max;
	}
	printf("utest_fair: %d spinners on core %d: counts %lu %lu %lu\n", SPINNERS, core,
	       counts[0], counts[1], counts[2]);
	UCHECK(min > 0);
	UCHECK(max <= 2 * min);
	return utest_failures;
}
