/* The 8254 programmable interval timer: only used to calibrate the
 * local APIC timers at boot. */
#ifndef LOCUS_DEV_PIT_H
#define LOCUS_DEV_PIT_H

#include <stdint.h>

#define PIT_FREQUENCY_HZ 1193182
#define PIT_IRQ 0

/* Channel 0 raising IRQ 0 hz times a second. */
void pit_start_periodic(unsigned hz);
/* Channel 0 in one-shot mode with the longest count: it stops raising
 * interrupts. */
void pit_stop(void);
/* Channel 2 counting down from count, gated on, no interrupt; poll it
 * with pit_oneshot_done(). */
void pit_oneshot_start(uint16_t count);
int pit_oneshot_done(void);

#endif
