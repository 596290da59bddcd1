/* Tests of exception delivery and of the trap entry's %gs handling. */
#include "gdt/selectors.h"
#include "lib/cpu_i386.h"
#include "test/crash_hooks.h"
#include "test/ktest.h"
#include "trap/probe.h"
#include "trap/vectors.h"

/* NULL, hidden from the optimiser (which would turn a known null store
 * into a trap instruction). */
static uintptr_t opaque_null(void)
{
	uintptr_t p = 0;

	__asm__("" : "+r"(p));
	return p;
}

KTEST(trap, divide_error_vector)
{
	uint32_t q = 0;

	KT_ASSERT_EQ(probe_divide(10, 3, &q), 0);
	KT_ASSERT_EQ(q, 3);
	KT_ASSERT_EQ(probe_divide(10, 0, &q), -1);
	struct probe_fault f = probe_last_fault();

	KT_ASSERT_EQ(f.vector, VEC_DIVIDE_ERROR);
	/* The faulting instruction lies inside probe_divide. */
	KT_ASSERT(f.eip > (uintptr_t)&probe_divide && f.eip < (uintptr_t)&probe_divide + 32);
}

KTEST(trap, breakpoint_vector)
{
	uint32_t before = probe_last_fault().count;

	KT_ASSERT_EQ(probe_breakpoint(), -1);
	KT_ASSERT_EQ(probe_last_fault().vector, VEC_BREAKPOINT);
	KT_ASSERT_EQ(probe_last_fault().count, before + 1);
}

/*
 * The entry saves the interrupted %gs and loads KTLS before C runs; the
 * exit restores the saved selector. Interrupt ring-0 code that runs with
 * another selector in %gs and check all three.
 */
KTEST(trap, gs_saved_swapped_restored)
{
	uint16_t after = 0;

	KT_ASSERT_EQ(probe_breakpoint_with_gs(SEL_KERNEL_DATA, &after), -1);
	struct probe_fault f = probe_last_fault();

	KT_ASSERT_EQ(f.saved_gs, SEL_KERNEL_DATA);
	KT_ASSERT_EQ(f.handler_gs, SEL_KTLS);
	KT_ASSERT_EQ(after, SEL_KERNEL_DATA);
	KT_ASSERT_EQ(read_gs(), SEL_KTLS);
}

/* A general protection fault: loading a selector beyond the GDT. */
KTEST(trap, bad_selector_faults)
{
	KT_ASSERT_EQ(probe_load_gs(0x1F8), -1);
	KT_ASSERT_EQ(probe_last_fault().vector, VEC_GENERAL_PROTECTION);
	KT_ASSERT_EQ(probe_last_fault().error, 0x1F8);
	KT_ASSERT_EQ(read_gs(), SEL_KTLS);
}

/* A kernel bug: a write through a null pointer (page 0 is never mapped). */
CRASH_HOOK(kernel_page_fault, CRASH_PHASE_BOOTED)
{
	*(volatile uint32_t *)opaque_null() = 1;
}
