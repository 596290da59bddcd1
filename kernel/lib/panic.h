/*
 * panic(): print the message, the core, a register dump and a symbolic
 * backtrace, stop every core and leave QEMU with a failure code.
 */
#ifndef LOCUS_LIB_PANIC_H
#define LOCUS_LIB_PANIC_H

#include "lib/compiler.h"
#include "trap/trap_frame_i386.h"

__noreturn void panic(const char *fmt, ...) __printf_like(1, 2);
/* Panics about the context a trap frame describes. */
__noreturn void panic_frame(const struct trap_frame *tf, const char *fmt, ...)
	__printf_like(2, 3);
/* The same, for a kernel-mode frame not on the stack it describes (the
 * double fault's, copied from the TSS): esp is the interrupted one. */
__noreturn void panic_frame_at(const struct trap_frame *tf, uint32_t esp, const char *fmt, ...)
	__printf_like(3, 4);

/*
 * Prints "  <address> <symbol>+<offset>" lines, walking saved frame
 * pointers from ebp; esp (0 if unknown) finds the caller of a function
 * that has no frame of its own.
 */
void backtrace_print(uint32_t eip, uint32_t ebp, uint32_t esp);

/* Kernel invariants: a violated one is a kernel bug, never a user error. */
#define KASSERT(cond)                                                             \
	do {                                                                      \
		if (unlikely(!(cond)))                                            \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
