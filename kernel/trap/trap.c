/*
 * Trap dispatch: exceptions and interrupts arrive here from
 * trap_entry_i386.asm with a trap frame (system calls have an entry of
 * their own, syscall/syscall.c). An exception in the kernel
 * is either an expected probe fault (trap/probe.h) or a kernel bug, which
 * panics naming the faulting function.
 */
#include "trap/trap.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/ksyms.h"
#include "lib/panic.h"
#include "mm/layout.h"
#include "smp/smp.h"
#include "task/user_mode.h"
#include "trace/trace.h"
#include "trap/probe.h"

static trap_handler_fn handlers[VEC_COUNT];

static const char *const exception_names[VEC_EXCEPTIONS] = {
	[VEC_DIVIDE_ERROR] = "divide error",
	[VEC_DEBUG] = "debug",
	[VEC_NMI] = "non-maskable interrupt",
	[VEC_BREAKPOINT] = "breakpoint",
	[VEC_OVERFLOW] = "overflow",
	[VEC_BOUND] = "bound range exceeded",
	[VEC_INVALID_OPCODE] = "invalid opcode",
	[VEC_DEVICE_NOT_AVAILABLE] = "device not available",
	[VEC_DOUBLE_FAULT] = "double fault",
	[VEC_INVALID_TSS] = "invalid TSS",
	[VEC_SEGMENT_NOT_PRESENT] = "segment not present",
	[VEC_STACK_FAULT] = "stack fault",
	[VEC_GENERAL_PROTECTION] = "general protection fault",
	[VEC_PAGE_FAULT] = "page fault",
	[VEC_X87_FAULT] = "x87 floating-point error",
	[VEC_ALIGNMENT_CHECK] = "alignment check",
	[VEC_MACHINE_CHECK] = "machine check",
	[VEC_SIMD_FAULT] = "SIMD floating-point error",
};

const char *trap_exception_name(unsigned vector)
{
	if (vector < VEC_EXCEPTIONS && exception_names[vector])
		return exception_names[vector];
	return "reserved exception";
}

void trap_set_handler(unsigned vector, trap_handler_fn fn)
{
	KASSERT(vector >= VEC_EXCEPTIONS && vector < VEC_COUNT);
	handlers[vector] = fn;
}

/* Does the instruction at eip use a %gs segment-override prefix? */
static bool insn_uses_gs(uint32_t eip)
{
	const uint8_t *p = (const uint8_t *)eip;

	for (int i = 0; i < 4; i++) {
		switch (p[i]) {
		case 0x65:
			return true;
		case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3:
		case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64:
			continue;
		default:
			return false;
		}
	}
	return false;
}

static void kernel_exception(struct trap_frame *tf)
{
	uint32_t cr2 = tf->vector == VEC_PAGE_FAULT ? read_cr2() : 0;

	if (probe_fixup(tf, cr2))
		return;
	bool guard_hit = tf->vector == VEC_GENERAL_PROTECTION ||
			 (tf->vector == VEC_PAGE_FAULT && cr2 >= EARLY_GUARD_WINDOW);

	if (!cpu_locals_ready() && guard_hit && insn_uses_gs(tf->eip))
		panic_frame(tf, "cpu-local touched before cpu_locals_init_boot_cpu(): "
				"%%gs still holds the early-boot guard segment");

	uintptr_t off = 0;
	const char *fn = ksym_lookup(tf->eip, &off);

	panic_frame(tf, "%s (vector %u, error 0x%x) in the kernel at %s+0x%x, cr2 0x%x",
		    trap_exception_name(tf->vector), tf->vector, tf->error, fn ? fn : "?",
		    (unsigned)off, cr2);
}

void trap_dispatch(struct trap_frame *tf)
{
	unsigned v = tf->vector;

	/* Another core panicked and is stopping everyone (smp_stop_other_cpus). */
	if (v == VEC_NMI && smp_stopping())
		for (;;) {
			cli();
			halt();
		}
	if (v < VEC_EXCEPTIONS) {
		if (trap_frame_from_user(tf))
			user_exception(tf);
		kernel_exception(tf);
		return;
	}
	trace_irq(v);
	if (handlers[v])
		handlers[v](tf);
	else
		kprintf("trap: unexpected interrupt vector %u ignored\n", v);
	if (trap_frame_from_user(tf))
		return_to_user(tf);
}
