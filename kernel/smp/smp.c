/*
 * SMP bring-up. The boot core reads the MADT, sets up its own local APIC
 * and timer, then starts each application processor (AP) in turn:
 *
 *  1. builds the AP's cpu-local region (with its GDT, TSS and KTLS) and a
 *     stack with a guard page, and writes them into the trampoline's
 *     parameter block;
 *  2. sends INIT, waits 10 ms, sends STARTUP (twice if needed, 200 us
 *     apart), as the Intel MP specification prescribes;
 *  3. waits up to a second for the AP to say it is up; an AP that does
 *     not answer is reported and skipped.
 *
 * The AP runs boot/ap_trampoline.asm (real mode to paging), then
 * boot/ap_entry.asm (its own GDT, TSS and KTLS), then ap_main() below.
 */
#include "smp/smp.h"

#include "dev/pit.h"
#include "gdt/gdt.h"
#include "lib/compiler.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/vmap.h"
#include "sched/sched.h"
#include "smp/acpi.h"
#include "smp/ioapic.h"
#include "smp/ipi.h"
#include "smp/lapic.h"
#include "smp/timer.h"
#include "smp/trampoline.h"
#include "trap/trap.h"

#define LAPIC_DEFAULT_PHYS 0xFEE00000
#define AP_STACK_PAGES 4
#define AP_START_TIMEOUT_MS 1000
#define PDE_PRESENT_WRITE_LARGE 0x83

/* The parameter block at AP_PARAMS_PHYS (layout in smp/trampoline.h). */
struct ap_params {
	uint32_t cr3;
	struct gdt_pointer gdt;
	uint16_t pad;
	uint32_t stack_top;
	uint32_t entry;
	uint32_t started;	/* AP_WAITING, AP_CLAIMED, ... (start_one) */
} __packed;
_Static_assert(offsetof(struct ap_params, cr3) == AP_PARAM_CR3, "cr3");
_Static_assert(offsetof(struct ap_params, gdt) == AP_PARAM_GDT_LIMIT, "gdt");
_Static_assert(offsetof(struct ap_params, gdt) + offsetof(struct gdt_pointer, base) ==
		       AP_PARAM_GDT_BASE,
	       "gdt base");
_Static_assert(offsetof(struct ap_params, stack_top) == AP_PARAM_STACK_TOP, "stack");
_Static_assert(offsetof(struct ap_params, entry) == AP_PARAM_ENTRY, "entry");
_Static_assert(offsetof(struct ap_params, started) == AP_PARAM_STARTED, "started");

extern const char ap_trampoline_start[];
extern const char ap_trampoline_end[];
extern void ap_entry(void);

CPU_LOCAL uint8_t this_cpu_apic_id;

/* Written by each core as it comes online; only ever grows. */
static uint32_t online_mask = 1;
static unsigned online_count = 1;
static unsigned cpus_listed = 1;
static bool stopping;

unsigned cpu_count(void)
{
	return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

uint32_t cpu_online_mask(void)
{
	return __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE);
}

unsigned smp_cpus_listed(void)
{
	return cpus_listed;
}

bool cpu_is_online(unsigned cpu)
{
	return cpu < MAX_CPUS && (cpu_online_mask() & (1u << cpu));
}

uint8_t cpu_apic_id(unsigned cpu)
{
	return *cpu_local_of(&this_cpu_apic_id, cpu);
}

void smp_stop_other_cpus(void)
{
	WRITE_ONCE(stopping, true);
	if (cpu_count() > 1)
		lapic_send_nmi_all_but_self();
}

bool smp_stopping(void)
{
	return READ_ONCE(stopping);
}

/*
 * Physical memory for the ACPI parser: the direct map where it reaches;
 * above it (the tables sit at the top of RAM) one window in the kernel
 * area, remapped at each call, since the parser uses a pointer only until
 * it asks for the next one.
 */
#define ACPI_WINDOW_PAGES 17	/* 64 KiB, the largest table it reads, + 1 */

static uintptr_t acpi_window;

static void acpi_window_clear(void)
{
	for (unsigned i = 0; i < ACPI_WINDOW_PAGES; i++)
		paging_unmap(&kernel_space, acpi_window + i * PAGE_SIZE, NULL);
}

static const void *acpi_map(void *ctx, uint64_t phys, size_t len)
{
	(void)ctx;
	if (phys + len <= DIRECT_MAP_SIZE)
		return phys_to_virt((paddr_t)phys);
	if (phys + len > 0xFFFFFFFFull || len > (ACPI_WINDOW_PAGES - 1) * PAGE_SIZE)
		return NULL;
	if (!acpi_window)
		acpi_window = vmap_reserve(ACPI_WINDOW_PAGES);
	if (!acpi_window)
		return NULL;
	acpi_window_clear();
	paddr_t first = ALIGN_DOWN((paddr_t)phys, PAGE_SIZE);

	for (paddr_t pa = first; pa < phys + len; pa += PAGE_SIZE)
		if (paging_map(&kernel_space, acpi_window + (pa - first), pa, 0) < 0)
			return NULL;
	return (const void *)(acpi_window + ((paddr_t)phys - first));
}

static void acpi_window_release(void)
{
	if (acpi_window) {
		acpi_window_clear();
		vmap_release(acpi_window);
		acpi_window = 0;
	}
}

static void report_cpu(unsigned cpu)
{
	uintptr_t tp = cpu_local_tp_of(cpu);
	uintptr_t region = tp - cpu_local_layout()->tp_offset;

	kprintf("cpu %u: apic id %u, GDT %p, KTLS base %p, cpu-local region %p-%p\n", cpu,
		cpu_apic_id(cpu), (void *)gdt_pointer_of_region(tp).base, (void *)tp,
		(void *)region, (void *)(region + cpu_local_layout()->region_size));
}

static struct ap_params *ap_params(void)
{
	return phys_to_virt(AP_PARAMS_PHYS);
}

/*
 * The start handshake in ap_params->started. The core claims its start
 * (AP_WAITING -> AP_CLAIMED) before it touches anything shared, and says
 * AP_ONLINE when it is up. A boot core tired of waiting abandons it
 * (AP_WAITING -> AP_ABANDONED) only if it has not claimed yet: then the
 * core may be reset with INIT and its memory freed. Once claimed, it is
 * only slow, and the boot core waits for it.
 */
#define AP_WAITING 0
#define AP_CLAIMED 1
#define AP_ONLINE 2
#define AP_ABANDONED 3

__noreturn void ap_main(void);

void ap_main(void)
{
	uint32_t waiting = AP_WAITING;

	if (!__atomic_compare_exchange_n(&ap_params()->started, &waiting, AP_CLAIMED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		/* Too late: the boot core gave up on this core. */
		for (;;)
			halt();
	}
	idt_load();
	address_space_switch(&kernel_space);
	lapic_init_this_cpu();
	sched_init_this_cpu();
	timer_start_this_cpu();
	__atomic_or_fetch(&online_mask, 1u << cpu_id(), __ATOMIC_RELEASE);
	__atomic_add_fetch(&online_count, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&ap_params()->started, AP_ONLINE, __ATOMIC_RELEASE);
	/* The boot stack and this context become the core's idle thread. */
	sched_idle_loop();
}

/* The kernel's page directory plus an identity map of the first 4 MiB:
 * the trampoline turns paging on while running from low memory. */
static paddr_t ap_boot_page_directory(void)
{
	paddr_t pd = frame_alloc();

	if (!pd)
		panic("smp: no memory for the AP boot page directory");
	memcpy(phys_to_virt(pd), phys_to_virt(kernel_page_directory_phys()), PAGE_SIZE);
	((uint32_t *)phys_to_virt(pd))[0] = PDE_PRESENT_WRITE_LARGE;
	return pd;
}

static bool ap_started(void)
{
	return __atomic_load_n(&ap_params()->started, __ATOMIC_ACQUIRE) == AP_ONLINE;
}

/* Gives up on a core that has not claimed its start; false if it has. */
static bool ap_abandon(void)
{
	uint32_t waiting = AP_WAITING;

	return __atomic_compare_exchange_n(&ap_params()->started, &waiting, AP_ABANDONED, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static bool start_one(unsigned index, uint8_t apic_id, paddr_t boot_pd)
{
	uintptr_t tp = cpu_local_region_create(index);
	uint8_t *stack = vmap_alloc(AP_STACK_PAGES, 1);

	if (!tp || !stack) {
		kprintf("smp: no memory to start the cpu with APIC id %u\n", apic_id);
		if (tp)
			cpu_local_region_destroy(index);
		return false;
	}
	*cpu_local_in_region(tp, this_cpu_apic_id) = apic_id;
	*ap_params() = (struct ap_params){
		.cr3 = boot_pd,
		.gdt = gdt_pointer_of_region(tp),
		.stack_top = (uint32_t)(stack + AP_STACK_PAGES * PAGE_SIZE),
		.entry = (uint32_t)ap_entry,
	};
	lapic_send_init(apic_id);
	lapic_delay_us(10000);
	for (int attempt = 0; attempt < 2 && !ap_started(); attempt++) {
		lapic_send_startup(apic_id, TRAMPOLINE_PHYS);
		lapic_delay_us(200);
	}
	for (int ms = 0; ms < AP_START_TIMEOUT_MS && !ap_started(); ms++)
		lapic_delay_us(1000);
	if (!ap_started() && ap_abandon()) {
		kprintf("smp: the cpu with APIC id %u did not start within %u ms; skipped\n",
			apic_id, AP_START_TIMEOUT_MS);
		/* INIT parks it in wait-for-SIPI: a core that was only slow
		 * must not start later on the memory freed here, or on the
		 * next core's parameter block. It has claimed nothing, so it
		 * holds nothing shared. */
		lapic_send_init(apic_id);
		lapic_delay_us(10000);
		cpu_local_region_destroy(index);
		vmap_free(stack);
		return false;
	}
	/* Claimed in time: up soon, and the parameter block is its until then. */
	while (!ap_started())
		cpu_relax();
	return true;
}

static void start_application_cpus(const struct acpi_madt_info *madt)
{
	size_t size = (size_t)(ap_trampoline_end - ap_trampoline_start);

	KASSERT(size <= TRAMPOLINE_MAX_SIZE);
	memcpy(phys_to_virt(TRAMPOLINE_PHYS), ap_trampoline_start, size);
	paddr_t boot_pd = ap_boot_page_directory();

	for (unsigned i = 0; i < madt->cpu_count; i++) {
		uint8_t apic_id = madt->cpus[i].apic_id;

		if (apic_id == this_cpu_apic_id)
			continue;
		if (cpu_count() == MAX_CPUS) {
			kprintf("smp: more than %u cpus; the rest are not started\n", MAX_CPUS);
			break;
		}
		unsigned index = cpu_count();

		if (start_one(index, apic_id, boot_pd))
			report_cpu(index);
	}
	frame_free(boot_pd);
}

void smp_init(bool acpi_enabled)
{
	struct acpi_madt_info madt;
	const char *why = "disabled on the command line (acpi=off)";
	bool have_madt = false;

	if (acpi_enabled) {
		uint64_t rsdp;

		why = "no RSDP in the EBDA or the BIOS area";
		if (acpi_find_rsdp(acpi_map, NULL, &rsdp) == 0)
			have_madt = acpi_parse(acpi_map, NULL, rsdp, &madt, &why) == 0;
		acpi_window_release();
	}
	if (!have_madt)
		kprintf("smp: ACPI unusable (%s); running on the boot cpu only\n", why);
	else if (madt.cpus_ignored)
		kprintf("smp: the MADT lists %u more cpus than Locus supports\n",
			madt.cpus_ignored);
	if (have_madt)
		cpus_listed = MIN(madt.cpu_count, (unsigned)MAX_CPUS);

	lapic_setup(have_madt ? madt.lapic_phys : LAPIC_DEFAULT_PHYS);
	lapic_init_this_cpu();
	this_cpu_apic_id = lapic_id();
	ipi_setup();
	timer_setup();

	bool routed = have_madt && ioapic_setup(&madt);

	if (routed)
		ioapic_route_irq(PIT_IRQ, VEC_IRQ_BASE + PIT_IRQ, this_cpu_apic_id);
	lapic_timer_calibrate(routed);
	if (routed)
		ioapic_mask_irq(PIT_IRQ);
	kprintf("lapic: timer calibrated against the PIT (%s): %u counts per ms\n",
		routed ? "IRQ 0 through the I/O APIC" : "polled", lapic_timer_counts_per_ms());

	report_cpu(0);
	if (have_madt)
		start_application_cpus(&madt);
	timer_start_this_cpu();
	kprintf("smp: %u cpus online\n", cpu_count());
}
