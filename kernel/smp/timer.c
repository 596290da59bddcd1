#include "smp/timer.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "smp/lapic.h"
#include "trap/trap.h"

static CPU_LOCAL uint64_t ticks;

static void timer_interrupt(struct trap_frame *tf)
{
	(void)tf;
	ticks++;
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
