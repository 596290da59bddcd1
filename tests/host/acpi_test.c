// host-test-sources: kernel/smp/acpi.c
/*
 * The ACPI parser against tables built here in a fake physical memory.
 *
 * The map callback copies what is asked for into a fresh heap block of
 * exactly that size and frees the previous one, so AddressSanitizer
 * catches both a read past what was mapped and the use of a pointer
 * after the next map call (acpi.h promises neither happens).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "smp/acpi.h"
#include "uapi/errno.h"

#define MEM_SIZE 0x120000	/* the first MiB, then 128 KiB for tables */

/* Where the tables go in the fake memory. */
#define EBDA_SEG 0x9fc0
#define EBDA 0x9fc00
#define RSDP_BIOS 0xf0000
#define RSDT 0x100000
#define XSDT 0x101000
#define FACP 0x102000
#define MADT 0x103000
#define MADT2 0x105000

static uint8_t mem[MEM_SIZE];
static uint64_t hole_start, hole_end;	/* map fails on [start, end) */
static void *last_block;
static unsigned map_calls;

static const void *fake_map(void *ctx, uint64_t phys, size_t len)
{
	(void)ctx;
	map_calls++;
	free(last_block);
	last_block = NULL;
	if (phys >= MEM_SIZE || len > MEM_SIZE - phys)
		return NULL;
	if (phys < hole_end && phys + len > hole_start)
		return NULL;
	last_block = malloc(len ? len : 1);
	memcpy(last_block, mem + phys, len);
	return last_block;
}

static void reset(void)
{
	memset(mem, 0, sizeof(mem));
	hole_start = hole_end = 0;
	map_calls = 0;
	free(last_block);
	last_block = NULL;
}

static void put16(uint64_t phys, uint16_t v)
{
	memcpy(mem + phys, &v, sizeof(v));
}

static void put32(uint64_t phys, uint32_t v)
{
	memcpy(mem + phys, &v, sizeof(v));
}

static void put64(uint64_t phys, uint64_t v)
{
	memcpy(mem + phys, &v, sizeof(v));
}

/* Sets the byte at phys + at so that [phys, phys + len) sums to zero. */
static void fix_checksum(uint64_t phys, size_t len, size_t at)
{
	uint8_t sum = 0;

	mem[phys + at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += mem[phys + i];
	mem[phys + at] = (uint8_t)-sum;
}

/* An RSDP of revision 0 (20 bytes) or 2 (36 bytes). */
static void make_rsdp(uint64_t phys, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	memcpy(mem + phys, "RSD PTR ", 8);
	memcpy(mem + phys + 9, "LOCUS ", 6);
	mem[phys + 15] = revision;
	put32(phys + 16, rsdt);
	if (revision >= 2) {
		put32(phys + 20, 36);
		put64(phys + 24, xsdt);
	}
	fix_checksum(phys, 20, 8);
	/* The extended sum covers the first 20 bytes too, so it comes last. */
	if (revision >= 2)
		fix_checksum(phys, 36, 32);
}

/* Writes a table header over a body already in place, then checksums. */
static void finish_sdt(uint64_t phys, const char *sig, uint32_t len)
{
	memcpy(mem + phys, sig, 4);
	put32(phys + 4, len);
	mem[phys + 8] = 1;
	memcpy(mem + phys + 10, "LOCUS ", 6);
	fix_checksum(phys, len, 9);
}

static void make_rsdt(uint64_t phys, const uint32_t *tables, int n)
{
	for (int i = 0; i < n; i++)
		put32(phys + 36 + 4 * i, tables[i]);
	finish_sdt(phys, "RSDT", 36 + 4 * n);
}

static void make_xsdt(uint64_t phys, const uint64_t *tables, int n)
{
	for (int i = 0; i < n; i++)
		put64(phys + 36 + 8 * i, tables[i]);
	finish_sdt(phys, "XSDT", 36 + 8 * n);
}

/* A table the parser must step over. */
static void make_facp(uint64_t phys)
{
	memset(mem + phys + 36, 0x5a, 80);
	finish_sdt(phys, "FACP", 116);
}

/* MADT entries are appended at *end; madt_finish writes the header. */
struct madt {
	uint64_t phys;
	uint32_t end;		/* offset of the next entry */
};

static struct madt madt_start(uint64_t phys)
{
	return (struct madt){ .phys = phys, .end = 44 };
}

static void madt_raw(struct madt *m, const uint8_t *bytes, uint32_t n)
{
	memcpy(mem + m->phys + m->end, bytes, n);
	m->end += n;
}

static void madt_cpu(struct madt *m, uint8_t uid, uint8_t apic_id, uint32_t flags)
{
	uint8_t e[8] = { 0, 8, uid, apic_id };

	memcpy(e + 4, &flags, 4);
	madt_raw(m, e, sizeof(e));
}

static void madt_ioapic(struct madt *m, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	uint8_t e[12] = { 1, 12, id, 0 };

	memcpy(e + 4, &addr, 4);
	memcpy(e + 8, &gsi_base, 4);
	madt_raw(m, e, sizeof(e));
}

static void madt_override(struct madt *m, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t e[10] = { 2, 10, 0, irq };

	memcpy(e + 4, &gsi, 4);
	memcpy(e + 8, &flags, 2);
	madt_raw(m, e, sizeof(e));
}

static void madt_lapic_override(struct madt *m, uint64_t addr)
{
	uint8_t e[12] = { 5, 12 };

	memcpy(e + 4, &addr, 8);
	madt_raw(m, e, sizeof(e));
}

static void madt_finish(struct madt *m, uint32_t lapic, uint32_t flags)
{
	put32(m->phys + 36, lapic);
	put32(m->phys + 40, flags);
	finish_sdt(m->phys, "APIC", m->end);
}

/* A MADT with the two cores QEMU shows for -smp 2. */
static void make_small_madt(uint64_t phys, uint32_t lapic)
{
	struct madt m = madt_start(phys);

	madt_cpu(&m, 0, 0, 1);
	madt_cpu(&m, 1, 1, 1);
	madt_ioapic(&m, 0, 0xfec00000, 0);
	madt_finish(&m, lapic, 1);
}

/* RSDP revision 0 in the BIOS area -> RSDT -> FACP, MADT at MADT. */
static void make_rsdt_system(void)
{
	uint32_t tables[] = { FACP, MADT };

	reset();
	make_rsdp(RSDP_BIOS, 0, RSDT, 0);
	make_rsdt(RSDT, tables, 2);
	make_facp(FACP);
}

static int parse(struct acpi_madt_info *info, const char **why)
{
	*why = "untouched";
	return acpi_parse(fake_map, NULL, RSDP_BIOS, info, why);
}

static uint64_t find(int *err)
{
	uint64_t phys = 0xdead;

	*err = acpi_find_rsdp(fake_map, NULL, &phys);
	return phys;
}

HOST_TEST(rsdp_found_in_ebda_first)
{
	int err;

	reset();
	put16(0x40e, EBDA_SEG);
	make_rsdp(EBDA + 0x40, 0, RSDT, 0);
	make_rsdp(RSDP_BIOS, 0, RSDT, 0);
	CHECK_EQ(find(&err), EBDA + 0x40);
	CHECK_EQ(err, 0);
}

HOST_TEST(rsdp_found_in_bios_area)
{
	int err;

	reset();
	make_rsdp(0xf6a40, 0, RSDT, 0);
	CHECK_EQ(find(&err), 0xf6a40);
	CHECK_EQ(err, 0);

	/* The EBDA is searched in its first KiB only. */
	put16(0x40e, EBDA_SEG);
	make_rsdp(EBDA + 0x400, 0, RSDT, 0);
	CHECK_EQ(find(&err), 0xf6a40);
}

HOST_TEST(rsdp_bad_checksum_and_misaligned_skipped)
{
	int err;

	reset();
	make_rsdp(0xe0010, 0, RSDT, 0);
	mem[0xe0010 + 8]++;
	make_rsdp(0xe0108, 0, RSDT, 0);	/* valid, but not on 16 bytes */
	make_rsdp(0xf0020, 0, RSDT, 0);
	CHECK_EQ(find(&err), 0xf0020);
	CHECK_EQ(err, 0);
}

HOST_TEST(rsdp_v2_needs_extended_checksum)
{
	int err;

	reset();
	make_rsdp(0xe0000, 2, RSDT, XSDT);
	mem[0xe0000 + 33] = 7;	/* reserved byte: only the extended sum sees it */
	make_rsdp(0xe0100, 2, RSDT, XSDT);
	CHECK_EQ(find(&err), 0xe0100);
	CHECK_EQ(err, 0);

	/* A revision 2 length below 36 is refused. */
	put32(0xe0100 + 20, 20);
	fix_checksum(0xe0100, 20, 8);
	fix_checksum(0xe0100, 36, 32);
	find(&err);
	CHECK_EQ(err, -ENOENT);
}

HOST_TEST(rsdp_absent)
{
	int err;

	reset();
	put16(0x40e, EBDA_SEG);
	memcpy(mem + 0xe0000, "RSD PTR ", 8);	/* signature, zero checksum byte */
	mem[0xe0000 + 16] = 1;
	find(&err);
	CHECK_EQ(err, -ENOENT);
}

HOST_TEST(rsdt_walk_finds_madt)
{
	struct acpi_madt_info info;
	const char *why;

	make_rsdt_system();
	make_small_madt(MADT, 0xfee00000);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(info.lapic_phys, 0xfee00000);
	CHECK(info.legacy_pics);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.cpus[1].apic_id, 1);
	CHECK_EQ(info.ioapic_count, 1);
	CHECK_EQ(info.ioapics[0].phys, 0xfec00000);
	CHECK_EQ(info.override_count, 0);
}

HOST_TEST(xsdt_preferred_over_rsdt)
{
	struct acpi_madt_info info;
	const char *why;
	uint64_t xtables[] = { FACP, MADT2 };

	make_rsdt_system();
	make_small_madt(MADT, 0xfee00000);
	make_small_madt(MADT2, 0xfee10000);
	make_xsdt(XSDT, xtables, 2);
	make_rsdp(RSDP_BIOS, 2, RSDT, XSDT);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.lapic_phys, 0xfee10000);

	/* Revision 0 has no XSDT field, whatever the bytes there say. */
	make_rsdp(RSDP_BIOS, 0, RSDT, 0);
	put64(RSDP_BIOS + 24, XSDT);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.lapic_phys, 0xfee00000);
}

HOST_TEST(bad_xsdt_falls_back_to_rsdt)
{
	struct acpi_madt_info info;
	const char *why;
	uint64_t xtables[] = { FACP, MADT2 };

	make_rsdt_system();
	make_small_madt(MADT, 0xfee00000);
	make_small_madt(MADT2, 0xfee10000);
	make_xsdt(XSDT, xtables, 2);
	mem[XSDT + 40]++;
	make_rsdp(RSDP_BIOS, 2, RSDT, XSDT);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.lapic_phys, 0xfee00000);

	/* With no RSDT to fall back on, the XSDT's fault is the answer. */
	make_rsdp(RSDP_BIOS, 2, 0, XSDT);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "XSDT checksum mismatch");
}

HOST_TEST(only_enabled_cpus_counted)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);

	make_rsdt_system();
	madt_cpu(&m, 0, 0, 1);
	madt_cpu(&m, 1, 2, 0);		/* disabled */
	madt_cpu(&m, 2, 4, 2);		/* online capable, not enabled now */
	madt_cpu(&m, 3, 6, 3);		/* enabled (and online capable) */
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.cpus_ignored, 0);
	CHECK_EQ(info.cpus[0].apic_id, 0);
	CHECK_EQ(info.cpus[0].processor_id, 0);
	CHECK_EQ(info.cpus[1].apic_id, 6);
	CHECK_EQ(info.cpus[1].processor_id, 3);
	CHECK(!info.legacy_pics);
}

HOST_TEST(ioapic_and_overrides)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);

	make_rsdt_system();
	madt_cpu(&m, 0, 0, 1);
	madt_ioapic(&m, 2, 0xfec00000, 0);
	madt_override(&m, 0, 2, 0);
	madt_override(&m, 9, 9, 0x000d);	/* active high, level */
	madt_ioapic(&m, 3, 0xfec01000, 24);
	madt_finish(&m, 0xfee00000, 1);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.ioapic_count, 2);
	CHECK_EQ(info.ioapics[0].id, 2);
	CHECK_EQ(info.ioapics[0].phys, 0xfec00000);
	CHECK_EQ(info.ioapics[0].gsi_base, 0);
	CHECK_EQ(info.ioapics[1].id, 3);
	CHECK_EQ(info.ioapics[1].phys, 0xfec01000);
	CHECK_EQ(info.ioapics[1].gsi_base, 24);
	CHECK_EQ(info.override_count, 2);
	CHECK_EQ(info.overrides[0].source_irq, 0);
	CHECK_EQ(info.overrides[0].gsi, 2);
	CHECK_EQ(info.overrides[0].flags, 0);
	CHECK_EQ(info.overrides[1].source_irq, 9);
	CHECK_EQ(info.overrides[1].gsi, 9);
	CHECK_EQ(info.overrides[1].flags, 0x000d);
}

HOST_TEST(unknown_entries_skipped)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);
	uint8_t nmi[6] = { 4, 6, 0xff, 5, 0, 1 };
	uint8_t x2apic[16] = { 9, 16, 0, 0, 0x00, 0x01 };

	make_rsdt_system();
	madt_raw(&m, nmi, sizeof(nmi));
	madt_cpu(&m, 0, 7, 1);
	madt_raw(&m, x2apic, sizeof(x2apic));
	madt_cpu(&m, 1, 8, 1);
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.cpu_count, 2);
	CHECK_EQ(info.cpus[0].apic_id, 7);
	CHECK_EQ(info.cpus[1].apic_id, 8);
}

HOST_TEST(lapic_address_override)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);

	make_rsdt_system();
	madt_lapic_override(&m, 0xfee20000);
	madt_cpu(&m, 0, 0, 1);
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.lapic_phys, 0xfee20000);

	/* Above 4 GiB it is out of reach: the header's address stands. */
	m = madt_start(MADT);
	madt_cpu(&m, 0, 0, 1);
	madt_lapic_override(&m, 0x100000000ull + 0xfee20000);
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.lapic_phys, 0xfee00000);
}

HOST_TEST(bad_madt_checksum_is_error)
{
	struct acpi_madt_info info;
	const char *why;

	make_rsdt_system();
	make_small_madt(MADT, 0xfee00000);
	mem[MADT + 36]++;
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "MADT checksum mismatch");
}

HOST_TEST(bad_checksum_elsewhere_skipped)
{
	struct acpi_madt_info info;
	const char *why;

	make_rsdt_system();
	make_small_madt(MADT, 0xfee00000);
	mem[FACP + 50]++;
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.cpu_count, 2);
}

HOST_TEST(truncated_entry_is_error)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);

	make_rsdt_system();
	madt_cpu(&m, 0, 0, 1);
	madt_ioapic(&m, 0, 0xfec00000, 0);
	mem[MADT + m.end - 12 + 1] = 14;	/* the I/O APIC says 14, 12 remain */
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "MADT entry truncated at offset 0x0034");

	/* A lone type byte at the end cannot even hold its length. */
	m = madt_start(MADT);
	madt_cpu(&m, 0, 0, 1);
	madt_raw(&m, (const uint8_t[]){ 0 }, 1);
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "MADT entry truncated at offset 0x0034");
}

HOST_TEST(short_entries_are_errors)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);

	make_rsdt_system();
	madt_cpu(&m, 0, 0, 1);
	madt_raw(&m, (const uint8_t[]){ 7, 0, 0, 0 }, 4);	/* length 0 */
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "MADT entry too short at offset 0x0034");

	/* A local APIC entry too short for its flags. */
	m = madt_start(MADT);
	madt_raw(&m, (const uint8_t[]){ 0, 4, 0, 0 }, 4);
	madt_cpu(&m, 0, 0, 1);
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "MADT entry too short at offset 0x002c");
}

HOST_TEST(no_enabled_cpu_is_error)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);

	make_rsdt_system();
	madt_cpu(&m, 0, 0, 0);
	madt_cpu(&m, 1, 1, 2);
	madt_ioapic(&m, 0, 0xfec00000, 0);
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "no enabled CPU in the MADT");

	/* No entries at all. */
	m = madt_start(MADT);
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "no enabled CPU in the MADT");
}

HOST_TEST(cpus_beyond_max_ignored)
{
	struct acpi_madt_info info;
	const char *why;
	struct madt m = madt_start(MADT);

	make_rsdt_system();
	for (int i = 0; i < 20; i++)
		madt_cpu(&m, (uint8_t)i, (uint8_t)(2 * i), 1);
	madt_cpu(&m, 20, 40, 0);	/* disabled: not counted as ignored */
	madt_finish(&m, 0xfee00000, 0);
	CHECK_EQ(parse(&info, &why), 0);
	CHECK_EQ(info.cpu_count, ACPI_MAX_CPUS);
	CHECK_EQ(info.cpus_ignored, 4);
	CHECK_EQ(info.cpus[15].apic_id, 30);
	CHECK_EQ(info.cpus[15].processor_id, 15);
}

HOST_TEST(unreachable_tables)
{
	struct acpi_madt_info info;
	const char *why;

	make_rsdt_system();
	make_small_madt(MADT, 0xfee00000);

	/* The MADT's header maps but its entries do not. */
	hole_start = MADT + 40;
	hole_end = MADT + 41;
	CHECK_EQ(parse(&info, &why), -EFAULT);
	CHECK_STR(why, "MADT unreachable");

	/* Not even its header: it cannot be told from any other table. */
	hole_start = MADT;
	CHECK_EQ(parse(&info, &why), -ENOENT);
	CHECK_STR(why, "no MADT");

	hole_start = RSDT;
	hole_end = RSDT + 1;
	CHECK_EQ(parse(&info, &why), -EFAULT);
	CHECK_STR(why, "RSDT unreachable");

	hole_start = RSDP_BIOS;
	hole_end = RSDP_BIOS + 1;
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "RSDP invalid or unreachable");

	/* An RSDT pointing outside memory. */
	hole_start = hole_end = 0;
	make_rsdp(RSDP_BIOS, 0, 0xfffff000, 0);
	CHECK_EQ(parse(&info, &why), -EFAULT);
	CHECK_STR(why, "RSDT unreachable");
}

HOST_TEST(rsdt_bad_length_or_signature)
{
	struct acpi_madt_info info;
	const char *why;

	make_rsdt_system();
	make_small_madt(MADT, 0xfee00000);
	finish_sdt(RSDT, "RSDT", 0x10000);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "RSDT length out of range");

	finish_sdt(RSDT, "RSDT", 35);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "RSDT length out of range");

	finish_sdt(RSDT, "RSDX", 44);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "RSDT signature mismatch");

	finish_sdt(RSDT, "RSDT", 44);
	mem[RSDT + 20]++;
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "RSDT checksum mismatch");
}

HOST_TEST(madt_bad_length)
{
	struct acpi_madt_info info;
	const char *why;

	make_rsdt_system();
	finish_sdt(MADT, "APIC", 0x10001);
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "MADT length out of range");

	finish_sdt(MADT, "APIC", 40);	/* no room for address and flags */
	CHECK_EQ(parse(&info, &why), -EINVAL);
	CHECK_STR(why, "MADT length out of range");
}

HOST_TEST(no_madt_or_no_tables)
{
	struct acpi_madt_info info;
	const char *why;
	uint32_t tables[] = { FACP };

	make_rsdt_system();
	make_rsdt(RSDT, tables, 1);
	CHECK_EQ(parse(&info, &why), -ENOENT);
	CHECK_STR(why, "no MADT");

	make_rsdp(RSDP_BIOS, 2, 0, 0);
	CHECK_EQ(parse(&info, &why), -ENOENT);
	CHECK_STR(why, "no RSDT or XSDT");
}

HOST_TEST(found_rsdp_parses)
{
	struct acpi_madt_info info;
	const char *why;
	uint64_t xtables[] = { MADT2, FACP };
	uint64_t rsdp;

	make_rsdt_system();
	memset(mem + RSDP_BIOS, 0, 36);
	put16(0x40e, EBDA_SEG);
	make_rsdp(EBDA + 0x3d0, 2, RSDT, XSDT);	/* its 36 bytes end inside the KiB */
	make_xsdt(XSDT, xtables, 2);
	make_small_madt(MADT2, 0xfee00000);
	CHECK_EQ(acpi_find_rsdp(fake_map, NULL, &rsdp), 0);
	CHECK_EQ(rsdp, EBDA + 0x3d0);
	CHECK_EQ(acpi_parse(fake_map, NULL, rsdp, &info, &why), 0);
	CHECK_EQ(info.cpu_count, 2);
	CHECK(map_calls > 0);
}
