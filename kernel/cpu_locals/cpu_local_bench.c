#include "cpu_locals/cpu_local_bench.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"

static CPU_LOCAL uint32_t bench_counter;

__noinline uint32_t cpu_local_bench_read(void)
{
	return bench_counter;
}

__noinline void cpu_local_bench_increment(void)
{
	bench_counter++;
}
