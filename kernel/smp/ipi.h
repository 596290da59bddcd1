/*
 * Inter-processor interrupts: running a function on another core
 * (waiting for it or not), and asking a core to reschedule.
 *
 * A core waiting for its calls to finish keeps running the calls other
 * cores send it, so two cores calling each other never deadlock, even
 * with interrupts off. Waiting while holding a spinlock could deadlock
 * (the target may be spinning on it with interrupts off): it panics.
 */
#ifndef LOCUS_SMP_IPI_H
#define LOCUS_SMP_IPI_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*smp_call_fn)(void *arg);

/* Boot core: installs the IPI handlers. */
void ipi_setup(void);

/*
 * Runs fn(arg) on core cpu, in interrupt context with interrupts off.
 * With wait, returns once fn has returned there; without, returns at once
 * (arg must then outlive the call). Returns 0, -EINVAL for a core that is
 * not online, or -ENOMEM.
 */
int smp_call(unsigned cpu, smp_call_fn fn, void *arg, bool wait);

/* Runs fn(arg) on every core of mask (this one included, directly) and
 * returns when all have finished. */
void smp_call_many(uint32_t mask, smp_call_fn fn, void *arg);

/* Runs the calls other cores queued for this one (interrupts off). */
void smp_run_pending_calls(void);

/* Asks a core to reschedule (it re-examines its run queue on the way out
 * of the interrupt). */
void smp_send_reschedule(unsigned cpu);

/* Reschedule IPIs this core has received (for tests and statistics). */
uint32_t ipi_reschedules_received(void);

#endif
