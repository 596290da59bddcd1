/*
 * Tests of the cpu-local regions and the per-core GDT (ideas 1 and 2).
 * Each check runs on every online core in turn.
 */
#include "cpu_locals/cpu_local_bench.h"
#include "cpu_locals/cpu_locals.h"
#include "gdt/gdt.h"
#include "lib/cpu_i386.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "test/crash_hooks.h"
#include "test/ktest.h"

#define INITIAL_MARK 0xC0FFEE42

/* Fixtures: one initialised (.tdata), some zero (.tbss), one aligned. */
static CPU_LOCAL uint32_t test_initialised = INITIAL_MARK;
static CPU_LOCAL uint16_t test_initialised_short = 0x5A5A;
static CPU_LOCAL uint32_t test_zeroed[5];
static CPU_LOCAL uint8_t test_aligned_64[3] __aligned(64);

/* Hides a value from the optimiser, which would otherwise fold checks of
 * an address whose alignment it knows. */
static uintptr_t opaque(uintptr_t v)
{
	__asm__("" : "+r"(v));
	return v;
}

KTEST(cpu_locals, fresh_region_has_tdata_and_zero_tbss)
{
	const struct tls_layout *l = cpu_local_layout();
	uint8_t *region = kmalloc_aligned(l->region_size, l->region_align);

	KT_ASSERT(region != NULL);
	memset(region, 0xEE, l->region_size);
	uintptr_t tp = tls_region_init(region, cpu_local_image(), l);

	KT_CHECK_EQ(*cpu_local_in_region(tp, test_initialised), INITIAL_MARK);
	KT_CHECK_EQ(*cpu_local_in_region(tp, test_initialised_short), 0x5A5A);
	for (unsigned i = 0; i < 5; i++)
		KT_CHECK_EQ(cpu_local_in_region(tp, test_zeroed)[0][i], 0);
	KT_CHECK_EQ(*(uintptr_t *)tp, tp);
	kfree(region);
}

/*
 * Where did the linker put test_initialised in the TLS image? Its initial
 * value sits at that offset of .tdata: find it there. The layout then
 * predicts its address in this core's region; the compiler's own %gs
 * access must land exactly there.
 */
static void check_compiler_access_matches_layout(void)
{
	const struct tls_image *img = cpu_local_image();
	const struct tls_layout *l = cpu_local_layout();
	size_t offset = SIZE_MAX;

	for (size_t o = 0; o + 4 <= img->filesz; o += 4)
		if (*(const uint32_t *)((const char *)img->init + o) == INITIAL_MARK)
			offset = o;
	KT_ASSERT(offset != SIZE_MAX);

	uintptr_t predicted = cpu_local_tp() - l->block_size + offset;

	test_initialised = 0x12345678;
	KT_CHECK_EQ(*(volatile uint32_t *)predicted, 0x12345678);
	*(volatile uint32_t *)predicted = 0x87654321;
	KT_CHECK_EQ(test_initialised, 0x87654321);
	KT_CHECK_EQ((uintptr_t)&test_initialised, predicted);
	test_initialised = INITIAL_MARK;
}

KTEST(cpu_locals, compiler_access_matches_layout)
{
	ktest_on_each_cpu(check_compiler_access_matches_layout);
}

static void check_alignment_64_holds(void)
{
	test_aligned_64[0] = 1;
	KT_ASSERT_EQ(opaque((uintptr_t)&test_aligned_64) % 64, 0);
	KT_ASSERT(cpu_local_image()->align >= 64);
	KT_ASSERT_EQ(cpu_local_layout()->block_size % 64, 0);
}

KTEST(cpu_locals, alignment_64_holds)
{
	ktest_on_each_cpu(check_alignment_64_holds);
}

/* %gs:0 is the TCB's self pointer, equal to the KTLS base in this core's GDT. */
static void check_thread_pointer_is_ktls_base(void)
{
	const struct seg_desc *gdt = gdt_this_cpu();
	uintptr_t tp = cpu_local_tp();

	KT_CHECK_EQ(read_gs(), SEL_KTLS);
	KT_CHECK_EQ(tp, cpu_local_tp_of(cpu_id()));
	KT_CHECK_EQ(seg_desc_base(&gdt[GDT_INDEX_KTLS]), tp);
	KT_CHECK_EQ(seg_desc_limit(&gdt[GDT_INDEX_KTLS]), 0xFFFFFFFF);
	KT_CHECK_EQ(seg_desc_dpl(&gdt[GDT_INDEX_KTLS]), 0);
	KT_CHECK_EQ(seg_desc_dpl(&gdt[GDT_INDEX_UTLS]), 3);
	KT_CHECK_EQ(seg_desc_limit(&gdt[GDT_INDEX_UTLS]), 0xFFFFFFFF);
	/* The GDT itself is a cpu-local: it lies inside this core's region. */
	KT_CHECK((uintptr_t)gdt < tp && (uintptr_t)gdt >= tp - cpu_local_layout()->block_size);
}

KTEST(cpu_locals, thread_pointer_is_ktls_base)
{
	ktest_on_each_cpu(check_thread_pointer_is_ktls_base);
}

static void check_cpu_local_of_own_core(void)
{
	KT_CHECK_EQ((uintptr_t)cpu_local_of(&test_initialised, cpu_id()),
		    (uintptr_t)&test_initialised);
	KT_CHECK_EQ(*cpu_local_of(&this_cpu_index, cpu_id()), cpu_id());
}

KTEST(cpu_locals, cpu_local_of_own_core)
{
	ktest_on_each_cpu(check_cpu_local_of_own_core);
}

static void check_bench_accessors_work(void)
{
	uint32_t before = cpu_local_bench_read();

	cpu_local_bench_increment();
	cpu_local_bench_increment();
	KT_ASSERT_EQ(cpu_local_bench_read(), before + 2);
}

KTEST(cpu_locals, bench_accessors_work)
{
	ktest_on_each_cpu(check_bench_accessors_work);
}

static void check_utls_base_rewrite(void)
{
	uintptr_t old = gdt_utls_base();

	gdt_set_utls_base(0x0BADC0DE);
	KT_CHECK_EQ(gdt_utls_base(), 0x0BADC0DE);
	KT_CHECK_EQ(seg_desc_dpl(&gdt_this_cpu()[GDT_INDEX_UTLS]), 3);
	gdt_set_utls_base(old);
}

KTEST(cpu_locals, utls_base_rewrite)
{
	ktest_on_each_cpu(check_utls_base_rewrite);
}

/* The early-boot guard: touching a cpu-local before the region is live. */
CRASH_HOOK(early_cpu_local, CRASH_PHASE_EARLY)
{
	test_initialised++;
}
