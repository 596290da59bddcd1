#include "smp/timer.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/cpu_i386.h"
#include "sched/sched.h"
#include "smp/lapic.h"
#include "trap/trap.h"

static CPU_LOCAL uint64_t ticks;
/* Written once by the boot core during calibration. */
static uint64_t tsc_per_ms = 1;
static uint64_t tsc_at_calibration;

static void timer_interrupt(struct trap_frame *tf)
{
	(void)tf;
	ticks++;
	sched_tick();
	lapic_eoi();
}

void timer_setup(void)
{
	trap_set_handler(VEC_LAPIC_TIMER, timer_interrupt);
}

void timer_start_this_cpu(void)
{
	lapic_timer_start_periodic(TIMER_HZ);
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t timer_ticks_of(unsigned cpu)
{
	/* Two 32-bit halves: read until they agree. */
	const volatile uint64_t *t = cpu_local_of(&ticks, cpu);
	uint64_t a, b;

	do {
		a = *t;
		b = *t;
	} while (a != b);
	return a;
}

void clock_calibrated(uint64_t per_ms)
{
	tsc_per_ms = per_ms ? per_ms : 1;
	tsc_at_calibration = rdtsc();
}

uint64_t clock_ns(void)
{
	uint64_t delta = rdtsc() - tsc_at_calibration;

	/* Split so that delta * 1000000 cannot overflow. */
	return delta / tsc_per_ms * 1000000 + delta % tsc_per_ms * 1000000 / tsc_per_ms;
}
