/*
 * Three ways to reach per-core data, side by side, for the codegen check
 * (tests/scripts/cpu_local_codegen.sh) and the benchmark:
 *  - a cpu-local (one %gs-relative instruction);
 *  - an array indexed by the core found from the local APIC id, as xv6's
 *    mycpu() does;
 *  - a lock-protected table looked up by thread id, the option Codezero
 *    rejected.
 */
#ifndef LOCUS_CPU_LOCALS_CPU_LOCAL_BENCH_H
#define LOCUS_CPU_LOCALS_CPU_LOCAL_BENCH_H

#include <stdint.h>

uint32_t cpu_local_bench_read(void);
void cpu_local_bench_increment(void);

#endif
