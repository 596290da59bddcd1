/*
 * Per-core GDTs. The GDT, the TSS and the double-fault TSS of a core are
 * cpu-locals: the boot core builds an application core's copies inside
 * that core's region (gdt_setup_region) before the core starts, and the
 * core loads them as its first act (gdt_load_region, or the trampoline).
 */
#include "gdt/gdt.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/cpu_i386.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "trap/trap.h"

#define DOUBLE_FAULT_STACK_SIZE 4096

CPU_LOCAL struct seg_desc cpu_gdt[GDT_ENTRIES] __aligned(8);
CPU_LOCAL struct tss cpu_tss;
static CPU_LOCAL struct tss double_fault_tss;
static CPU_LOCAL uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __aligned(16);

/* Used only until the boot core's region is live. */
static struct seg_desc boot_gdt[GDT_ENTRIES] __aligned(8);

static const uint8_t kernel_code = DESC_PRESENT | DESC_DPL(0) | DESC_CODE_OR_DATA |
				   DESC_TYPE_CODE_READ;
static const uint8_t kernel_data = DESC_PRESENT | DESC_DPL(0) | DESC_CODE_OR_DATA |
				   DESC_TYPE_DATA_WRITE;
static const uint8_t user_code = DESC_PRESENT | DESC_DPL(3) | DESC_CODE_OR_DATA |
				 DESC_TYPE_CODE_READ;
static const uint8_t user_data = DESC_PRESENT | DESC_DPL(3) | DESC_CODE_OR_DATA |
				 DESC_TYPE_DATA_WRITE;
static const uint8_t flat_flags = DESC_FLAG_4K | DESC_FLAG_32BIT;

static void fill_flat_segments(struct seg_desc *table)
{
	table[0] = (struct seg_desc){ 0 };
	table[GDT_INDEX_KERNEL_CODE] = seg_desc_make(0, DESC_LIMIT_4G, kernel_code, flat_flags);
	table[GDT_INDEX_KERNEL_DATA] = seg_desc_make(0, DESC_LIMIT_4G, kernel_data, flat_flags);
	table[GDT_INDEX_USER_CODE] = seg_desc_make(0, DESC_LIMIT_4G, user_code, flat_flags);
	table[GDT_INDEX_USER_DATA] = seg_desc_make(0, DESC_LIMIT_4G, user_data, flat_flags);
}

static struct seg_desc tss_desc(const struct tss *t)
{
	return seg_desc_make((uint32_t)t, sizeof(*t) - 1,
			     DESC_PRESENT | DESC_DPL(0) | DESC_TYPE_TSS_AVAILABLE, 0);
}

static void load_gdt(const struct gdt_pointer *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p) : "memory");
	__asm__ volatile("ljmp %0, $1f\n1:" : : "i"(SEL_KERNEL_CODE) : "memory");
	__asm__ volatile("movl %0, %%ds\n\t"
			 "movl %0, %%es\n\t"
			 "movl %0, %%ss\n\t"
			 "movl %1, %%fs"
			 :
			 : "r"((uint32_t)SEL_KERNEL_DATA), "r"(0u)
			 : "memory");
}

void gdt_load_boot(void)
{
	fill_flat_segments(boot_gdt);
	/*
	 * The early-boot guard: a KTLS that no access can get through. Its
	 * limit is 0, so real hardware raises #GP on the compiler's first
	 * %gs-relative access; QEMU's TCG does not check data segment limits,
	 * so the base also points into a window that is never mapped, where
	 * %gs:-N and %gs:0 both page-fault. The trap handler reports either as
	 * a cpu-local touched too early.
	 */
	boot_gdt[GDT_INDEX_KTLS] = seg_desc_make(EARLY_GUARD_KTLS_BASE, 0, kernel_data,
						 DESC_FLAG_32BIT);

	struct gdt_pointer p = { sizeof(boot_gdt) - 1, (uint32_t)boot_gdt };

	load_gdt(&p);
	load_gs(SEL_KTLS);
}

void gdt_setup_region(uintptr_t tp)
{
	struct seg_desc *table = *cpu_local_in_region(tp, cpu_gdt);
	struct tss *t = cpu_local_in_region(tp, cpu_tss);
	struct tss *df = cpu_local_in_region(tp, double_fault_tss);
	uint8_t *df_stack = *cpu_local_in_region(tp, double_fault_stack);

	fill_flat_segments(table);
	*t = (struct tss){
		.ss0 = SEL_KERNEL_DATA,
		.iomap_base = sizeof(struct tss), /* no I/O bitmap: ring 3 gets no ports */
	};
	/* A double fault switches tasks to a known-good stack (trap/double_fault.c). */
	*df = (struct tss){
		.cr3 = kernel_page_directory_phys(),
		.eip = (uint32_t)double_fault_task,
		.eflags = 0x2,
		.esp = (uint32_t)(df_stack + DOUBLE_FAULT_STACK_SIZE),
		.cs = SEL_KERNEL_CODE,
		.ss = SEL_KERNEL_DATA,
		.ds = SEL_KERNEL_DATA,
		.es = SEL_KERNEL_DATA,
		.gs = SEL_KTLS,
		.iomap_base = sizeof(struct tss),
	};
	table[GDT_INDEX_TSS] = tss_desc(t);
	table[GDT_INDEX_KTLS] = seg_desc_make(tp, DESC_LIMIT_4G, kernel_data, flat_flags);
	table[GDT_INDEX_UTLS] = seg_desc_make(0, DESC_LIMIT_4G, user_data, flat_flags);
	table[GDT_INDEX_DOUBLE_FAULT_TSS] = tss_desc(df);
}

struct gdt_pointer gdt_pointer_of_region(uintptr_t tp)
{
	return (struct gdt_pointer){
		.limit = sizeof(cpu_gdt) - 1,
		.base = (uint32_t)*cpu_local_in_region(tp, cpu_gdt),
	};
}

void gdt_load_region(uintptr_t tp)
{
	struct gdt_pointer p = gdt_pointer_of_region(tp);

	load_gdt(&p);
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
	load_gs(SEL_KTLS);
}

const struct seg_desc *gdt_this_cpu(void)
{
	return cpu_gdt;
}

struct tss *tss_this_cpu(void)
{
	return &cpu_tss;
}

void gdt_set_utls_base(uintptr_t base)
{
	cpu_gdt[GDT_INDEX_UTLS] = seg_desc_make(base, DESC_LIMIT_4G, user_data, flat_flags);
}

