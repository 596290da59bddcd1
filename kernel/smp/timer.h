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

/* Nanoseconds since the clock was calibrated, from the time-stamp
 * counter (the same on every core). */
uint64_t clock_ns(void);
/* Boot core, during calibration: the TSC counted tsc_per_ms per ms. */
void clock_calibrated(uint64_t tsc_per_ms);

#endif
