/*
 * The double-fault task. A double fault usually means the kernel stack
 * overflowed into its guard page: the CPU could not push the page-fault
 * frame. The IDT sends vector 8 through a task gate, so the CPU switches
 * to this core's double-fault TSS (gdt.c) with a fresh stack and %gs =
 * KTLS, saving the broken context in the core's normal TSS.
 */
#include "gdt/gdt.h"
#include "lib/panic.h"
#include "sched/thread.h"
#include "trap/trap.h"

void double_fault_task(void)
{
	const struct tss *t = tss_this_cpu();
	struct trap_frame tf = {
		.eax = t->eax, .ebx = t->ebx, .ecx = t->ecx, .edx = t->edx,
		.esi = t->esi, .edi = t->edi, .ebp = t->ebp,
		.eip = t->eip, .eflags = t->eflags, .cs = t->cs,
		.ds = t->ds, .es = t->es, .fs = t->fs, .gs = t->gs,
		.vector = VEC_DOUBLE_FAULT,
	};

	const struct thread *cur = current_thread();

	panic_frame_at(&tf, t->esp,
		       "double fault in thread '%s' (tid %u): kernel stack overflow? "
		       "(esp 0x%x, stack top 0x%x)",
		       cur ? cur->name : "?", cur ? cur->tid : 0, t->esp,
		       cur ? cur->kstack_top : 0);
}
