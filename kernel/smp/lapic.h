/*
 * The local APIC (xAPIC, memory-mapped) of each core: its id, end of
 * interrupt, inter-processor interrupts and its timer.
 */
#ifndef LOCUS_SMP_LAPIC_H
#define LOCUS_SMP_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Boot core: maps the registers (one mapping serves every core: each sees
 * its own APIC there) and installs the spurious and error handlers. */
void lapic_setup(uint32_t phys);
/* Enables this core's APIC: spurious and error vectors, timer masked. */
void lapic_init_this_cpu(void);
uint8_t lapic_id(void);
void lapic_eoi(void);

/* Fixed-vector interrupt to one core, by APIC id. */
void lapic_send_ipi(uint8_t apic_id, uint8_t vector);
/* An NMI to every core but this one. */
void lapic_send_nmi_all_but_self(void);
/* The INIT and STARTUP messages that wake an application processor. */
void lapic_send_init(uint8_t apic_id);
void lapic_send_startup(uint8_t apic_id, uint32_t trampoline_phys);

/*
 * Timer. The boot core measures how fast the timer counts
 * (lapic_timer_calibrate, against the PIT); every core then ticks
 * periodically at hz.
 */
void lapic_timer_calibrate(bool pit_irq_routed);
uint32_t lapic_timer_counts_per_ms(void);
void lapic_timer_start_periodic(unsigned hz);
/* Busy-waits us microseconds using this core's timer (timer stopped). */
void lapic_delay_us(uint32_t us);

#endif
