/* The periodic tick of every core, from its local APIC timer. */
#ifndef LOCUS_SMP_TIMER_H
#define LOCUS_SMP_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

/* Boot core: installs the tick handler. */
void timer_setup(void);
/* Starts this core's periodic tick. */
void timer_start_this_cpu(void);
/* Ticks this core has taken. */
uint64_t timer_ticks(void);
/* Ticks a core has taken (for tests and statistics). */
uint64_t timer_ticks_of(unsigned cpu);

#endif
