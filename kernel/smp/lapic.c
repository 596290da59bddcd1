/*
 * xAPIC registers are 32-bit words at 16-byte strides in one 4 KiB page,
 * at the same physical address on every core (each core reaches its own
 * APIC there), mapped uncached in the kernel virtual area.
 */
#include "smp/lapic.h"

#include "dev/pit.h"
#include "lib/compiler.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "mm/vmap.h"
#include "smp/timer.h"
#include "trap/trap.h"
#include "trap/vectors.h"

#define LAPIC_ID 0x020
#define LAPIC_EOI 0x0B0
#define LAPIC_SPURIOUS 0x0F0
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3E0

#define SPURIOUS_ENABLE 0x100
#define LVT_MASKED 0x10000
#define LVT_TIMER_PERIODIC 0x20000
#define TIMER_DIVIDE_BY_16 0x3

#define ICR_FIXED 0x000
#define ICR_NMI 0x400
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600
#define ICR_PENDING 0x1000
#define ICR_ASSERT 0x4000
#define ICR_LEVEL 0x8000
#define ICR_ALL_BUT_SELF 0xC0000

#define CALIBRATION_MS 20

static volatile uint32_t *regs;
/* Set once by the boot core during calibration; read-only afterwards. */
static uint32_t counts_per_ms;

static uint32_t read_reg(uint32_t reg)
{
	return regs[reg / 4];
}

static void write_reg(uint32_t reg, uint32_t value)
{
	regs[reg / 4] = value;
}


static void spurious_interrupt(struct trap_frame *tf)
{
	(void)tf;	/* a spurious interrupt needs no EOI */
}

static void error_interrupt(struct trap_frame *tf)
{
	(void)tf;
	write_reg(LAPIC_ESR, 0);
	kprintf("lapic: error interrupt, status 0x%x\n", read_reg(LAPIC_ESR));
	lapic_eoi();
}

void lapic_setup(uint32_t phys)
{
	regs = vmap_map_mmio(phys, 4096);
	trap_set_handler(VEC_SPURIOUS, spurious_interrupt);
	trap_set_handler(VEC_LAPIC_ERROR, error_interrupt);
}

void lapic_init_this_cpu(void)
{
	write_reg(LAPIC_SPURIOUS, SPURIOUS_ENABLE | VEC_SPURIOUS);
	write_reg(LAPIC_LVT_TIMER, LVT_MASKED);
	write_reg(LAPIC_LVT_LINT0, LVT_MASKED);
	write_reg(LAPIC_LVT_LINT1, LVT_MASKED);
	write_reg(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);
	write_reg(LAPIC_ESR, 0);
	write_reg(LAPIC_ESR, 0);
	write_reg(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	lapic_eoi();
}

uint8_t lapic_id(void)
{
	return read_reg(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	write_reg(LAPIC_EOI, 0);
}

static void send_icr(uint8_t apic_id, uint32_t low)
{
	bool irq = irq_save();

	while (read_reg(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
	write_reg(LAPIC_ICR_HIGH, (uint32_t)apic_id << 24);
	write_reg(LAPIC_ICR_LOW, low);
	while (read_reg(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
	irq_restore(irq);
}

void lapic_send_ipi(uint8_t apic_id, uint8_t vector)
{
	send_icr(apic_id, ICR_FIXED | vector);
}

void lapic_send_nmi_all_but_self(void)
{
	send_icr(0, ICR_ALL_BUT_SELF | ICR_NMI | ICR_ASSERT);
}

void lapic_send_init(uint8_t apic_id)
{
	send_icr(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
}

void lapic_send_startup(uint8_t apic_id, uint32_t trampoline_phys)
{
	send_icr(apic_id, ICR_STARTUP | (trampoline_phys >> 12));
}

/* Calibration by PIT interrupts: count LAPIC timer counts across ticks. */
static volatile uint32_t pit_ticks;

static void pit_interrupt(struct trap_frame *tf)
{
	(void)tf;
	pit_ticks++;
	lapic_eoi();
}

static uint32_t measure_with_pit_irq(uint64_t *tsc_delta)
{
	const unsigned hz = 1000;

	trap_set_handler(VEC_IRQ_BASE + PIT_IRQ, pit_interrupt);
	pit_ticks = 0;
	pit_start_periodic(hz);
	sti();
	/* Start counting on a tick edge, then count CALIBRATION_MS ticks. */
	while (pit_ticks == 0)
		halt();
	write_reg(LAPIC_TIMER_INITIAL, 0xFFFFFFFF);
	uint64_t tsc = rdtsc();
	uint32_t start = pit_ticks;

	while (pit_ticks - start < CALIBRATION_MS)
		halt();
	uint32_t elapsed = 0xFFFFFFFF - read_reg(LAPIC_TIMER_CURRENT);

	*tsc_delta = rdtsc() - tsc;
	cli();
	pit_stop();
	return elapsed / CALIBRATION_MS;
}

/* Calibration by polling: PIT channel 2 needs no interrupt at all. */
static uint32_t measure_by_polling(uint64_t *tsc_delta)
{
	uint64_t tsc = rdtsc();

	write_reg(LAPIC_TIMER_INITIAL, 0xFFFFFFFF);
	pit_oneshot_start(PIT_FREQUENCY_HZ * CALIBRATION_MS / 1000);
	while (!pit_oneshot_done())
		cpu_relax();
	*tsc_delta = rdtsc() - tsc;
	return (0xFFFFFFFF - read_reg(LAPIC_TIMER_CURRENT)) / CALIBRATION_MS;
}

void lapic_timer_calibrate(bool pit_irq_routed)
{
	uint64_t tsc_delta;

	write_reg(LAPIC_LVT_TIMER, LVT_MASKED);
	counts_per_ms = pit_irq_routed ? measure_with_pit_irq(&tsc_delta)
				       : measure_by_polling(&tsc_delta);
	/* The same window, in TSC cycles: the system clock's rate. */
	clock_calibrated(tsc_delta / CALIBRATION_MS);
	write_reg(LAPIC_TIMER_INITIAL, 0);
	if (counts_per_ms == 0)
		panic("lapic: the timer does not count (calibration measured 0)");
}

uint32_t lapic_timer_counts_per_ms(void)
{
	return counts_per_ms;
}

void lapic_timer_start_periodic(unsigned hz)
{
	write_reg(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	write_reg(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_LAPIC_TIMER);
	write_reg(LAPIC_TIMER_INITIAL, counts_per_ms * 1000 / hz);
}

void lapic_delay_us(uint32_t us)
{
	uint64_t counts = (uint64_t)counts_per_ms * us / 1000;

	write_reg(LAPIC_LVT_TIMER, LVT_MASKED);
	while (counts) {
		uint32_t chunk = counts > 0x7FFFFFFF ? 0x7FFFFFFF : (uint32_t)counts;

		write_reg(LAPIC_TIMER_INITIAL, chunk);
		while (read_reg(LAPIC_TIMER_CURRENT) != 0)
			cpu_relax();
		counts -= chunk;
	}
}
