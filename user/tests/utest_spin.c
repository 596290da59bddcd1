/*
 * "utest_spin spin": spins forever (the kernel test kills it).
 * "utest_spin work": makes progress that needs the core the spinner is
 * pinned to, and exits 0 when done: preemption must give it the core.
 */
#include <stdio.h>
#include <string.h>

#include "locus.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "spin")) {
		printf("utest_spin: spinning\n");
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	volatile unsigned sum = 0;

	for (unsigned i = 0; i < 2000000; i++)
		sum += i;
	printf("utest_spin: worker finished on cpu %d\n", cpu_id());
	return 0;
}
