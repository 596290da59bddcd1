/*
 * The I/O APIC: routes legacy device interrupts (ISA IRQs) to a vector on
 * a chosen core, honouring the MADT's interrupt source overrides (on
 * QEMU, IRQ 0 arrives on GSI 2).
 */
#ifndef LOCUS_SMP_IOAPIC_H
#define LOCUS_SMP_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct acpi_madt_info;

/* Maps every I/O APIC of the MADT and masks all their inputs. Returns
 * false when there is none. */
bool ioapic_setup(const struct acpi_madt_info *madt);
/* Delivers ISA irq as vector to the core with this APIC id (unmasked). */
void ioapic_route_irq(unsigned irq, uint8_t vector, uint8_t apic_id);
void ioapic_mask_irq(unsigned irq);

#endif
