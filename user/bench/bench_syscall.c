/*
 * "bench_syscall NAME": the null system call, sys_null(), as user code
 * calls it: a call to the wrapper, int 0x80, the kernel's trap entry,
 * dispatch to an empty handler, the way back to ring 3 and the return.
 * The floor every other row of the table is compared with.
 */
#include "locus.h"
#include "locus/bench.h"

static uint64_t null_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		if (sys_null())
			bench_fail("sys_null failed");
		barrier();
	}
	return bench_tsc() - start;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	return bench_instructions(argv[1], null_loop, bench_empty_loop, NULL);
}
