/*
 * Building the cpu-local regions. The image comes from the PT_TLS segment
 * through the symbols linker.ld exports (multiboot gives the kernel no
 * program headers). The boot core's region sits in space reserved by
 * linker.ld, because the heap itself uses cpu-locals; the others come from
 * the heap before their core starts.
 */
#include "cpu_locals/cpu_locals.h"

#include "gdt/gdt.h"
#include "lib/compiler.h"
#include "lib/panic.h"
#include "mm/heap.h"

extern const char __tls_image_start[];
extern const char __tls_image_filesz[];
extern const char __tls_image_memsz[];
extern const char __tls_image_align[];
extern char __boot_cpu_region_start[];
extern char __boot_cpu_region_end[];

CPU_LOCAL unsigned this_cpu_index;

bool cpu_locals_live;
static struct tls_image image;
static struct tls_layout layout;

/*
 * The directory of regions, for cpu_local_of: written once per core before
 * it starts, read-only afterwards, so it needs no lock.
 */
static uintptr_t region_tp[MAX_CPUS];

const struct tls_image *cpu_local_image(void)
{
	return &image;
}

const struct tls_layout *cpu_local_layout(void)
{
	return &layout;
}

uintptr_t cpu_local_tp_of(unsigned cpu)
{
	return cpu < MAX_CPUS ? READ_ONCE(region_tp[cpu]) : 0;
}

void *cpu_local_addr_of(const void *local_addr, unsigned cpu)
{
	uintptr_t other = cpu_local_tp_of(cpu);

	if (!other)
		panic("cpu_local_of(%p, %u): core %u has no cpu-local region", local_addr, cpu,
		      cpu);
	return (void *)(other + ((uintptr_t)local_addr - cpu_local_tp()));
}

int32_t cpu_local_sum(const int32_t *local_addr)
{
	int32_t sum = 0;

	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu_local_tp_of(cpu))
			sum += READ_ONCE(*cpu_local_of(local_addr, cpu));
	return sum;
}

/* Lays out one region and fills in what identifies its core. */
static uintptr_t region_setup(void *region, unsigned cpu)
{
	uintptr_t tp = tls_region_init(region, &image, &layout);

	*cpu_local_in_region(tp, this_cpu_index) = cpu;
	gdt_setup_region(tp);
	WRITE_ONCE(region_tp[cpu], tp);
	return tp;
}

void cpu_locals_init_boot_cpu(void)
{
	image = (struct tls_image){
		.init = __tls_image_start,
		.filesz = (size_t)__tls_image_filesz,
		.memsz = (size_t)__tls_image_memsz,
		.align = (size_t)__tls_image_align,
	};
	if (tls_layout_compute(&image, sizeof(struct cpu_tcb), __alignof__(struct cpu_tcb),
			       &layout) < 0)
		panic("cpu-locals: malformed TLS image (memsz %zu, align %zu)", image.memsz,
		      image.align);

	size_t space = (size_t)(__boot_cpu_region_end - __boot_cpu_region_start);

	if (layout.region_size > space || layout.region_align > 4096)
		panic("cpu-locals: region needs %zu bytes aligned to %zu; linker.ld reserves %zu",
		      layout.region_size, layout.region_align, space);

	uintptr_t tp = region_setup(__boot_cpu_region_start, 0);

	gdt_load_region(tp);
	WRITE_ONCE(cpu_locals_live, true);
}

uintptr_t cpu_local_region_create(unsigned cpu)
{
	if (cpu >= MAX_CPUS || cpu == 0)
		return 0;
	void *region = kmalloc_aligned(layout.region_size, layout.region_align);

	if (!region)
		return 0;
	return region_setup(region, cpu);
}

void cpu_local_region_destroy(unsigned cpu)
{
	uintptr_t tp = cpu_local_tp_of(cpu);

	KASSERT(cpu != 0 && tp);
	WRITE_ONCE(region_tp[cpu], 0);
	kfree((void *)(tp - layout.tp_offset));
}
