/*
 * "bench_mem NAME": one page of memory mapped, touched and unmapped:
 * mem_map (a zeroed frame, a page-table entry), the first write, mem_unmap
 * (the entry cleared, the TLB entry invalidated, the frame freed). The
 * task runs on one core only, so the invalidation needs no IPI.
 */
#include "locus.h"
#include "locus/bench.h"

#define PAGE 4096

static uint64_t map_touch_unmap_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		int err = 0;
		volatile char *p = mem_map(NULL, PAGE, PROT_READ | PROT_WRITE, &err);

		if (!p) {
			bench_fail("mem_map: %d", err);
			continue;
		}
		*p = 1;
		err = mem_unmap((void *)p, PAGE);
		if (err)
			bench_fail("mem_unmap: %d", err);
		barrier();
	}
	return bench_tsc() - start;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	return bench_instructions(argv[1], map_touch_unmap_loop, bench_empty_loop, NULL);
}
