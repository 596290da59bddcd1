/*
 * Bringing up every core, and what the rest of the kernel asks about them.
 * Cores are numbered 0 .. cpu_count() - 1 in the order the MADT lists
 * them; 0 is the boot core. A core's APIC id is a cpu-local of that core.
 */
#ifndef LOCUS_SMP_SMP_H
#define LOCUS_SMP_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_locals/cpu_locals.h"

extern CPU_LOCAL uint8_t this_cpu_apic_id;

/*
 * Boot core: reads the ACPI tables, sets up the local and I/O APICs and
 * the timers, and starts every other core. If ACPI is missing or broken
 * (or acpi_enabled is false) the system runs on the boot core alone.
 */
void smp_init(bool acpi_enabled);

/* Cores online. */
unsigned cpu_count(void);
/* Cores the firmware lists (and Locus supports): cpu_count() once all
 * started. */
unsigned smp_cpus_listed(void);
/* Bit n set: core n is online. */
uint32_t cpu_online_mask(void);
bool cpu_is_online(unsigned cpu);
/* APIC id of an online core. */
uint8_t cpu_apic_id(unsigned cpu);

/* Stops every other core for good (used by panic): an NMI each. */
void smp_stop_other_cpus(void);
/* Has smp_stop_other_cpus been called? (the NMI handler asks) */
bool smp_stopping(void);

#endif
