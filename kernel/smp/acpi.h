/*
 * Finding the cores and interrupt controllers in the firmware's ACPI
 * tables: the RSDP, the RSDT or XSDT it points to, and the MADT ("APIC")
 * listed there. Pure logic: no printing, no allocation, and physical
 * memory is read only through the caller's map callback, so the host unit
 * tests can hand it a fake memory.
 *
 * The parser uses each pointer map returns only until its next call to
 * map, so the kernel may serve every call from one temporary window.
 */
#ifndef LOCUS_SMP_ACPI_H
#define LOCUS_SMP_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_CPUS 16
#define ACPI_MAX_IOAPICS 4
#define ACPI_MAX_OVERRIDES 16

/* Returns a pointer through which len bytes at physical address phys can
 * be read, or NULL if that memory cannot be reached. */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, size_t len);

struct acpi_cpu {
	uint8_t apic_id;	/* what the local APIC's ID register reads */
	uint8_t processor_id;	/* the firmware's ACPI processor UID */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t phys;		/* its register window */
	uint32_t gsi_base;	/* first global system interrupt it serves */
};

/* An ISA IRQ wired to another GSI, or with other polarity/trigger. */
struct acpi_override {
	uint8_t source_irq;
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags: polarity bits 0-1, trigger bits 2-3 */
};

struct acpi_madt_info {
	uint32_t lapic_phys;	/* from the MADT header, or the 64-bit override
				 * entry (type 5) if present and below 4 GiB */
	bool legacy_pics;	/* MADT flags bit 0 (PCAT_COMPAT): 8259s present */
	unsigned cpu_count;	/* enabled local APICs recorded */
	unsigned cpus_ignored;	/* enabled ones beyond ACPI_MAX_CPUS */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned ioapic_count;
	unsigned ioapics_ignored;	/* I/O APICs beyond ACPI_MAX_IOAPICS */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned override_count;
	unsigned overrides_ignored;	/* overrides beyond ACPI_MAX_OVERRIDES */
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
};

/*
 * Finds the RSDP: first in the first KiB of the EBDA (its real-mode
 * segment is the 16-bit word at physical 0x40E), then in the BIOS area
 * 0xE0000..0xFFFFF, on 16-byte boundaries; signature "RSD PTR ", checksum
 * over the first 20 bytes, and for revision >= 2 the extended checksum
 * over its length field. Returns 0 with *rsdp_phys, or -ENOENT.
 */
int acpi_find_rsdp(acpi_map_fn map, void *ctx, uint64_t *rsdp_phys);

/*
 * Walks the XSDT (revision >= 2, non-zero address, table valid) or else
 * the RSDT, finds the MADT and fills *info. Returns 0, or a negative errno
 * with *why set to a human-readable reason:
 *	-EFAULT	a table the parse needs could not be mapped
 *	-EINVAL	a bad signature, length, checksum or MADT entry, or no
 *		enabled CPU
 *	-ENOENT	no RSDT/XSDT address, or no MADT
 * The reasons are static strings, two of which carry the offset of a bad
 * MADT entry and are rewritten by each parse: not for concurrent use
 * (it runs once, on the boot core). On success *why is NULL; *info is
 * meaningful only on success.
 */
int acpi_parse(acpi_map_fn map, void *ctx, uint64_t rsdp_phys, struct acpi_madt_info *info,
	       const char **why);

#endif
