/*
 * Every core's own GDT: null, kernel code and data, user code and data,
 * the core's TSS, KTLS (DPL 0, base = this core's cpu-local TCB), UTLS
 * (DPL 3, base = the running user thread's TCB) and the double-fault TSS.
 * The tables themselves are cpu-locals, so each core's sits in its region.
 */
#ifndef LOCUS_GDT_GDT_H
#define LOCUS_GDT_GDT_H

#include <stdint.h>

#include "cpu_locals/cpu_locals.h"
#include "gdt/descriptor_i386.h"
#include "gdt/selectors.h"

/* Before cpu-locals: flat segments and a KTLS that faults on any use. */
void gdt_load_boot(void);

/* Fills the GDT and TSSs that live in the region with thread pointer tp. */
void gdt_setup_region(uintptr_t tp);

/* Loads the GDT of the region tp on this core: segments, TSS, %gs = KTLS. */
void gdt_load_region(uintptr_t tp);

/* The lgdt operand for the GDT in region tp (the AP trampoline uses it). */
struct gdt_pointer gdt_pointer_of_region(uintptr_t tp);

/* This core's GDT and TSS (for tests and the boot report). */
const struct seg_desc *gdt_this_cpu(void);
struct tss *tss_this_cpu(void);

/* This core's GDT and TSS themselves, for the inline helpers below: every
 * thread switch and every return to ring 3 uses them. */
extern CPU_LOCAL struct seg_desc cpu_gdt[GDT_ENTRIES];
extern CPU_LOCAL struct tss cpu_tss;

/* Points this core's UTLS at base; takes effect when %gs is reloaded. */
void gdt_set_utls_base(uintptr_t base);

static inline uintptr_t gdt_utls_base(void)
{
	return seg_desc_base(&cpu_gdt[GDT_INDEX_UTLS]);
}

/* The kernel stack the CPU switches to on entry from ring 3. */
static inline void tss_set_kernel_stack(uintptr_t esp0)
{
	cpu_tss.esp0 = esp0;
}

#endif
