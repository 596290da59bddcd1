/* Interrupt descriptor table and trap dispatch. */
#ifndef LOCUS_TRAP_TRAP_H
#define LOCUS_TRAP_TRAP_H

#include "lib/compiler.h"
#include "trap/trap_frame_i386.h"
#include "trap/vectors.h"

typedef void (*trap_handler_fn)(struct trap_frame *tf);

/* Builds the IDT (shared by all cores) and loads it on this core. */
void idt_init(void);
/* Loads the already built IDT on this core (application cores). */
void idt_load(void);

/*
 * Installs the handler of an interrupt vector (not an exception). Handlers
 * are installed during boot, before other cores start; the table is
 * read-only afterwards.
 */
void trap_set_handler(unsigned vector, trap_handler_fn fn);

/* Called by trap_entry_i386.asm for every trap but a system call. */
void trap_dispatch(struct trap_frame *tf);

/* Human-readable name of an exception vector. */
const char *trap_exception_name(unsigned vector);

/* Entry point of the double-fault task (trap/double_fault.c). */
__noreturn void double_fault_task(void);

#endif
