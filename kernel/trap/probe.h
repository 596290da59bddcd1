/*
 * Probes: accesses that are allowed to fault. A faulting probe returns -1
 * and the fault is recorded in this core's last_probe_fault; this is how
 * tests check that an access really faults (with the right vector and
 * CR2), and how the panic backtrace walks frames it does not trust.
 */
#ifndef LOCUS_TRAP_PROBE_H
#define LOCUS_TRAP_PROBE_H

#include <stdint.h>

#include "trap/trap_frame_i386.h"

struct probe_fault {
	uint32_t vector;
	uint32_t error;
	uint32_t cr2;
	uint32_t eip;
	uint16_t saved_gs;	/* %gs of the interrupted context, as the entry saved it */
	uint16_t handler_gs;	/* %gs while the C handler ran */
	uint32_t count;		/* faults recorded on this core so far */
};

int probe_read32(uintptr_t addr, uint32_t *value);
int probe_write32(uintptr_t addr, uint32_t value);
int probe_divide(uint32_t dividend, uint32_t divisor, uint32_t *quotient);
int probe_breakpoint(void);
int probe_load_gs(uint16_t selector);
/*
 * Loads selector into %gs, executes int3, stores the %gs found after the
 * return from the trap into *gs_after, then reloads KTLS. Returns -1 when
 * the trap was taken.
 */
int probe_breakpoint_with_gs(uint16_t selector, uint16_t *gs_after);

/* The last probe fault taken on this core. */
struct probe_fault probe_last_fault(void);

/*
 * Called by the trap handler for a fault in kernel mode: if the faulting
 * instruction is a probe, records the fault, moves eip to its fixup and
 * returns 1; otherwise returns 0.
 */
int probe_fixup(struct trap_frame *tf, uint32_t cr2);

#endif
