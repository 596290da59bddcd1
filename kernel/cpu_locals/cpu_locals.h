/*
 * cpu-locals: per-core kernel state as plain C thread-local statics.
 *
 *	static CPU_LOCAL unsigned ticks;
 *	ticks++;			-> addl $1, %gs:-N
 *
 * Each core has a region laid out as ELF TLS variant II (tls_layout.h) and
 * its own GDT whose KTLS descriptor has that region's TCB as its base; the
 * core keeps the KTLS selector in %gs whenever it runs kernel code. The
 * compiler then reaches every cpu-local with one %gs-relative instruction.
 *
 * Rule: never keep the address of a cpu-local across anything that can
 * block, switch threads or migrate; a thread may wake up on another core.
 * Read and write cpu-locals directly, with interrupts off where an
 * interrupt handler could race.
 */
#ifndef LOCUS_CPU_LOCALS_CPU_LOCALS_H
#define LOCUS_CPU_LOCALS_CPU_LOCALS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_locals/tls_layout.h"

#define CPU_LOCAL __thread
#define MAX_CPUS 16

/* The kernel's thread control block: the word %gs:0 reads. */
struct cpu_tcb {
	struct cpu_tcb *self;
};

/* This core's index, 0 .. cpu_count() - 1; 0 is the boot core. */
extern CPU_LOCAL unsigned this_cpu_index;

static inline unsigned cpu_id(void)
{
	return this_cpu_index;
}

/*
 * True once the boot core runs on its region. Application cores get
 * theirs before their first C instruction, so this is one plain global
 * (written once, by cpu_locals_init_boot_cpu).
 */
extern bool cpu_locals_live;

static inline bool cpu_locals_ready(void)
{
	return __atomic_load_n(&cpu_locals_live, __ATOMIC_RELAXED);
}

/* The thread pointer (TCB address) of this core. */
static inline uintptr_t cpu_local_tp(void)
{
	uintptr_t tp;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(tp));
	return tp;
}

/*
 * A cpu-local's offset from the thread pointer: a link-time constant. The
 * unused "m" operand tells the compiler the variable is used, so a static
 * reached only through this macro is still emitted; it generates no code.
 */
#define cpu_local_offset(var)                                                  \
	({                                                                     \
		intptr_t off__;                                                \
		__asm__("movl $" #var "@ntpoff, %0" : "=r"(off__) : "m"(var)); \
		off__;                                                         \
	})

/* The address of a cpu-local in the region whose thread pointer is tp. */
#define cpu_local_in_region(tp, var) \
	((__typeof__(&(var)))((uintptr_t)(tp) + cpu_local_offset(var)))

/*
 * The address of another core's copy of a cpu-local, given this core's
 * address of it (&var): cpu_local_of(&run_queue, 3).
 */
void *cpu_local_addr_of(const void *local_addr, unsigned cpu);
#define cpu_local_of(ptr, cpu) ((__typeof__(ptr))cpu_local_addr_of((ptr), (cpu)))

/*
 * The sum of every core's copy of a cpu-local counter, given this core's
 * address of it. A counter one core raises and another lowers (a slot
 * taken here and freed there) sums to the true total; read while others
 * change it, the sum is only a snapshot.
 */
int32_t cpu_local_sum(const int32_t *local_addr);

/* The thread pointer of a core's region (0 if the core has none). */
uintptr_t cpu_local_tp_of(unsigned cpu);

/* The kernel's TLS image and the region layout computed from it. */
const struct tls_image *cpu_local_image(void);
const struct tls_layout *cpu_local_layout(void);

/* Boot core: builds its region in the space linker.ld reserves, loads its
 * GDT with KTLS and marks cpu-locals ready. */
void cpu_locals_init_boot_cpu(void);

/*
 * Builds the region of an application core from the heap, with the core's
 * index and GDT filled in. Returns its thread pointer, or 0 without memory.
 */
uintptr_t cpu_local_region_create(unsigned cpu);
/* Frees the region of a core that failed to start. */
void cpu_local_region_destroy(unsigned cpu);

#endif
