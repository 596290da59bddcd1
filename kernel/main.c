/*
 * kmain: the boot core's path from boot.asm to a running system.
 *
 *  1. a boot GDT whose KTLS faults (cpu-locals are not live yet), the
 *     console and the IDT, so that anything going wrong is reported;
 *  2. the multiboot information and the command line;
 *  3. the boot core's cpu-local region and its own GDT: from here on
 *     per-core state works;
 *  4. physical memory, paging, the kernel virtual area, the heap;
 *  5. the scheduler, system calls, the APICs, the timers, the other cores;
 *  6. tests in a kernel thread, or the system; this context then becomes
 *     the boot core's idle thread.
 */
#include "bench/bench.h"
#include "boot/boot_info.h"
#include "boot/boot_options.h"
#include "cpu_locals/cpu_locals.h"
#include "dev/pic8259.h"
#include "dev/qemu_exit.h"
#include "dev/serial.h"
#include "drivers/device_caps.h"
#include "gdt/gdt.h"
#include "lib/cmdline.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/vmap.h"
#include "sched/futex.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "smp/smp.h"
#include "syscall/syscall.h"
#include "task/task.h"
#include "test/crash_hooks.h"
#include "test/ktest.h"
#include "trace/trace.h"
#include "trap/trap.h"

struct boot_options boot_options;

static void cmdline_warning(void *ctx, const char *message)
{
	(void)ctx;
	kprintf("warning: command line: %s\n", message);
}

static int run_tests(void *patterns)
{
	ktest_run(patterns);
}

/*
 * The first user task. It gets COM1's IRQ and I/O ports (slots 1 and 2,
 * see user/servers/init.c) to hand to the console server; when it ends,
 * so does the machine.
 */
static int run_init(void *unused)
{
	struct cap caps[2] = {
		{ &device_irq(COM1_IRQ)->obj, CAP_RIGHT_CONTROL, 0 },
		{ &device_com1_ports()->obj, CAP_RIGHT_CONTROL, 0 },
	};
	int err, status = -1;
	struct task *init = task_spawn(boot_options.init, boot_options.args, THREAD_ANY_CPU, caps,
				       NULL, 2, &err);

	(void)unused;
	if (!init) {
		kprintf("init: cannot start '%s' (error %d); nothing to run\n", boot_options.init,
			err);
		return err;
	}
	task_wait(init, &status);
	task_put(init);
	kprintf("init exited with status %d: stopping\n", status);
	qemu_exit(status == 0 ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
}

static void start_kernel_thread(const char *name, int (*entry)(void *), void *arg)
{
	struct thread *t = thread_create_kernel(name, entry, arg, THREAD_PRIORITY_DEFAULT,
						THREAD_ANY_CPU);

	if (!t)
		panic("no memory for the %s thread", name);
	thread_start(t);
	thread_put(t);
}

__noreturn void kmain(uint32_t magic, uint32_t multiboot_info_phys);

void kmain(uint32_t magic, uint32_t multiboot_info_phys)
{
	gdt_load_boot();
	console_init();
	idt_init();
	pic8259_remap_and_mask();
	kprintf("Locus: a small SMP microkernel for i386\n");

	boot_info_capture(magic, multiboot_info_phys);
	cmdline_parse(boot_info.cmdline, &boot_options, cmdline_warning, NULL);
	kprintf("command line: %s\n", boot_info.cmdline);
	crash_hooks_run(CRASH_PHASE_EARLY, boot_options.crash);

	cpu_locals_init_boot_cpu();

	frame_init();
	paging_init();
	vmap_init();
	sched_init_this_cpu();
	futex_init();
	device_caps_init();
	smp_init(strcmp(boot_options.acpi, "off") != 0);

	crash_hooks_run(CRASH_PHASE_BOOTED, boot_options.crash);
	if (boot_options.bench[0])
		bench_run(boot_options.bench);
	if (boot_options.test[0])
		start_kernel_thread("ktest", run_tests, boot_options.test);
	else if (boot_options.trace)
		trace_start_scenario();
	else
		start_kernel_thread("init", run_init, NULL);
	/* This stack and context become the boot core's idle thread. */
	sched_idle_loop();
}
