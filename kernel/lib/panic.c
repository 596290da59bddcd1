/*
 * Panic: one core wins the right to report; it stops the other cores,
 * takes over the console, prints the message, the registers and a
 * backtrace with function names, and exits QEMU with QEMU_EXIT_PANIC.
 */
#include "lib/panic.h"

#include <stdarg.h>

#include "cpu_locals/cpu_locals.h"
#include "dev/qemu_exit.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/ksyms.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "smp/smp.h"
#include "trap/probe.h"

#define BACKTRACE_MAX_FRAMES 24

static int panicking;

static void print_symbol_line(uint32_t addr)
{
	uintptr_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		kprintf("  %p %s+0x%x\n", (void *)addr, name, (unsigned)off);
	else
		kprintf("  %p ?\n", (void *)addr);
}

/* System calls enter through syscall_common, every other trap through
 * trap_common; both call C with the frame as the only argument. */
static bool returns_into_trap_entry(uint32_t ret)
{
	uintptr_t off;
	const char *name = ksym_lookup(ret, &off);

	return name && (strcmp(name, "trap_common") == 0 || strcmp(name, "syscall_common") == 0);
}

/* Does the function containing eip start with "push %ebp; mov %esp,%ebp"
 * and has eip gone past that push? */
static bool frame_set_up(uint32_t eip)
{
	uintptr_t off;
	uint32_t first;

	if (!ksym_lookup(eip, &off) || off == 0 || probe_read32(eip - off, &first) < 0)
		return false;
	return (first & 0xFFFFFF) == 0xE58955;
}

void backtrace_print(uint32_t eip, uint32_t ebp, uint32_t esp)
{
	uint32_t ret;

	kprintf("backtrace:\n");
	print_symbol_line(eip);
	/*
	 * GCC gives functions that never touch the stack no frame; if the
	 * innermost one is such a function, its caller's return address is
	 * still on top of the stack.
	 */
	if (esp && !frame_set_up(eip) && probe_read32(esp, &ret) == 0)
		print_symbol_line(ret - 1);
	for (int depth = 0; depth < BACKTRACE_MAX_FRAMES && ebp; depth++) {
		uint32_t next_ebp;

		/* Frame pointers are only trusted as far as they can be read. */
		if (ebp < KERNEL_VMA || (ebp & 3) || probe_read32(ebp, &next_ebp) < 0 ||
		    probe_read32(ebp + 4, &ret) < 0)
			break;
		if (ret == 0)
			break;
		/* The return address points after the call; name the call. */
		print_symbol_line(ret - 1);
		if (returns_into_trap_entry(ret)) {
			/* trap_dispatch's (or syscall_entry's) argument is the
			 * frame of the interrupted context: show where it was
			 * interrupted. */
			uint32_t tf_addr, tf_eip, tf_vector;

			if (probe_read32(ebp + 8, &tf_addr) < 0 ||
			    probe_read32(tf_addr + TF_EIP, &tf_eip) < 0 ||
			    probe_read32(tf_addr + TF_VECTOR, &tf_vector) < 0)
				break;
			kprintf("  -- trap, vector %u, interrupted at:\n", tf_vector);
			print_symbol_line(tf_eip);
		}
		if (next_ebp <= ebp)
			break;
		ebp = next_ebp;
	}
}

static void print_registers(const struct trap_frame *tf, uint32_t esp)
{
	kprintf("eax %08x  ebx %08x  ecx %08x  edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	kprintf("esi %08x  edi %08x  ebp %08x  esp %08x\n", tf->esi, tf->edi, tf->ebp, esp);
	kprintf("eip %08x  eflags %08x  cs %04x  ds %04x  es %04x  fs %04x  gs %04x\n", tf->eip,
		tf->eflags, tf->cs & 0xFFFF, tf->ds & 0xFFFF, tf->es & 0xFFFF, tf->fs & 0xFFFF,
		tf->gs & 0xFFFF);
	kprintf("cr0 %08x  cr2 %08x  cr3 %08x  cr4 %08x\n", read_cr0(), read_cr2(), read_cr3(),
		read_cr4());
}

static void print_core(void)
{
	if (cpu_locals_ready())
		kprintf("PANIC on cpu %u: ", cpu_id());
	else
		kprintf("PANIC on the boot cpu (before cpu-locals): ");
}

static __noreturn void panic_report(const struct trap_frame *tf, uint32_t esp, const char *fmt,
				    va_list ap)
{
	cli();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) {
		/* Another core is already reporting; it will stop this one. */
		for (;;)
			halt();
	}
	if (cpu_locals_ready())
		smp_stop_other_cpus();
	console_enter_panic_mode();
	kprintf("\n");
	print_core();
	kvprintf(fmt, ap);
	kprintf("\n");
	print_registers(tf, esp);
	backtrace_print(tf->eip, tf->ebp, trap_frame_from_user(tf) ? 0 : esp);
	kprintf("PANIC end\n");
	qemu_exit(QEMU_EXIT_PANIC);
}

void panic_frame(const struct trap_frame *tf, const char *fmt, ...)
{
	va_list ap;
	/* A kernel-mode frame does not hold esp: it is where the frame ends. */
	uint32_t esp = trap_frame_from_user(tf) ? tf->user_esp
						 : (uint32_t)tf + TF_SIZE_KERNEL;

	va_start(ap, fmt);
	panic_report(tf, esp, fmt, ap);
}

void panic_frame_at(const struct trap_frame *tf, uint32_t esp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_report(tf, esp, fmt, ap);
}

void panic(const char *fmt, ...)
{
	struct trap_frame tf = { 0 };
	va_list ap;

	__asm__ volatile("movl %%eax, %0\n\t"
			 "movl %%ebx, %1\n\t"
			 "movl %%ecx, %2\n\t"
			 "movl %%edx, %3\n\t"
			 "movl %%esi, %4\n\t"
			 "movl %%edi, %5"
			 : "=m"(tf.eax), "=m"(tf.ebx), "=m"(tf.ecx), "=m"(tf.edx), "=m"(tf.esi),
			   "=m"(tf.edi));
	__asm__ volatile("movl %%cs, %0\n\t"
			 "movl %%ds, %1\n\t"
			 "movl %%es, %2\n\t"
			 "movl %%fs, %3\n\t"
			 "movl %%gs, %4"
			 : "=r"(tf.cs), "=r"(tf.ds), "=r"(tf.es), "=r"(tf.fs), "=r"(tf.gs));
	tf.eflags = read_eflags();
	/* Report from the caller's point of view: panic() itself is noise. */
	tf.eip = (uint32_t)__builtin_return_address(0) - 1;
	tf.ebp = *(uint32_t *)__builtin_frame_address(0);
	va_start(ap, fmt);
	panic_report(&tf, (uint32_t)__builtin_frame_address(0) + 8, fmt, ap);
}
