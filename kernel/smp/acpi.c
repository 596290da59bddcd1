/*
 * The ACPI tables the kernel needs to start the other cores:
 *
 *	RSDP (found by scanning low memory)
 *	  -> RSDT (32-bit table addresses) or XSDT (64-bit ones)
 *	       -> MADT, signature "APIC": local APICs, I/O APICs, overrides
 *
 * Every field is little-endian, like i386 and the x86_64 host, but many
 * are unaligned (the XSDT's 8-byte entries start at offset 36, and MADT
 * entries follow a 10-byte one), so fields are read with memcpy rather
 * than through cast pointers.
 */
#include "smp/acpi.h"

#include "lib/compiler.h"
#include "lib/string.h"
#include "uapi/errno.h"

/* RSDP: revision 0 (ACPI 1.0) has the first 20 bytes, revision 2 all 36. */
#define RSDP_SIGNATURE "RSD PTR "
#define RSDP_REVISION 15	/* u8 */
#define RSDP_RSDT 16		/* u32 */
#define RSDP_V1_SIZE 20		/* covered by the checksum at offset 8 */
#define RSDP_LENGTH 20		/* u32: the whole structure, revision >= 2 */
#define RSDP_XSDT 24		/* u64 */
#define RSDP_V2_SIZE 36		/* extended checksum at 32, 3 reserved bytes */
#define RSDP_MAX_LEN 1024	/* a longer "RSDP" is garbage that happened to match */

/* Where the firmware may put the RSDP. */
#define EBDA_SEGMENT_PTR 0x40e	/* u16 real-mode segment of the EBDA */
#define EBDA_SEARCH_LEN 1024
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_END 0x100000
#define RSDP_ALIGN 16

/* The header every system description table starts with. */
#define SDT_SIGNATURE 0		/* 4 chars */
#define SDT_LENGTH 4		/* u32: the whole table, header included */
#define SDT_HEADER_SIZE 36	/* then revision, checksum, OEM fields */
#define SDT_MAX_POINTERS 4096	/* bytes of table addresses in an RSDT/XSDT */

/* MADT: the header, then its own two fields, then variable-length entries
 * that each start with a type byte and a length byte. */
#define MADT_LAPIC_ADDR 36	/* u32 */
#define MADT_FLAGS 40		/* u32 */
#define MADT_ENTRIES 44
#define MADT_MAX_LEN 0x10000
#define MADT_PCAT_COMPAT 0x1

#define MADT_LOCAL_APIC 0	/* u8 processor UID, u8 APIC ID, u32 flags */
#define MADT_IO_APIC 1		/* u8 id, u8 reserved, u32 address, u32 GSI base */
#define MADT_OVERRIDE 2		/* u8 bus, u8 source IRQ, u32 GSI, u16 flags */
#define MADT_LAPIC_ADDR_OVERRIDE 5	/* u16 reserved, u64 address */

#define LAPIC_ENABLED 0x1	/* bit 1, online capable, means "may be enabled later" */

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* ACPI checksums make all the bytes of a structure sum to 0 (mod 256). */
static bool sums_to_zero(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
}

struct rsdp_fields {
	uint32_t rsdt;
	uint64_t xsdt;		/* 0 before revision 2 */
};

/*
 * Whether a valid RSDP lies at phys, wholly below end; if so, fills *out.
 * Revision 2 adds fields after byte 20 and a checksum over all of them,
 * so both checksums must hold.
 */
static bool read_rsdp(acpi_map_fn map, void *ctx, uint64_t phys, uint64_t end,
		      struct rsdp_fields *out)
{
	const uint8_t *p = map(ctx, phys, RSDP_V1_SIZE);

	if (!p || memcmp(p, RSDP_SIGNATURE, 8) != 0 || !sums_to_zero(p, RSDP_V1_SIZE))
		return false;
	out->rsdt = rd32(p + RSDP_RSDT);
	out->xsdt = 0;
	if (p[RSDP_REVISION] < 2)
		return true;

	p = map(ctx, phys, RSDP_V2_SIZE);
	if (!p)
		return false;
	uint32_t len = rd32(p + RSDP_LENGTH);

	if (len < RSDP_V2_SIZE || len > RSDP_MAX_LEN || len > end - phys)
		return false;
	out->xsdt = rd64(p + RSDP_XSDT);
	p = map(ctx, phys, len);
	return p && sums_to_zero(p, len);
}

/* Mapping one candidate at a time keeps the promise made in acpi.h. */
static bool scan_for_rsdp(acpi_map_fn map, void *ctx, uint64_t start, uint64_t end,
			  uint64_t *rsdp_phys)
{
	struct rsdp_fields unused;

	for (uint64_t phys = start; phys + RSDP_V1_SIZE <= end; phys += RSDP_ALIGN) {
		if (read_rsdp(map, ctx, phys, end, &unused)) {
			*rsdp_phys = phys;
			return true;
		}
	}
	return false;
}

int acpi_find_rsdp(acpi_map_fn map, void *ctx, uint64_t *rsdp_phys)
{
	const uint8_t *p = map(ctx, EBDA_SEGMENT_PTR, 2);

	if (p) {
		uint64_t ebda = (uint64_t)rd16(p) << 4;

		/* A zero segment means the BIOS did not report an EBDA. */
		if (ebda && scan_for_rsdp(map, ctx, ebda, ebda + EBDA_SEARCH_LEN, rsdp_phys))
			return 0;
	}
	if (scan_for_rsdp(map, ctx, BIOS_AREA_START, BIOS_AREA_END, rsdp_phys))
		return 0;
	return -ENOENT;
}

/* What a table must look like, and what to say when it does not. */
struct table_kind {
	const char *signature;
	uint32_t min_len, max_len;
	const char *unreachable, *bad_signature, *bad_length, *bad_checksum;
};

#define TABLE_KIND(name, sig, min, max)                                  \
	{                                                                \
		.signature = sig, .min_len = min, .max_len = max,        \
		.unreachable = name " unreachable",                      \
		.bad_signature = name " signature mismatch",             \
		.bad_length = name " length out of range",               \
		.bad_checksum = name " checksum mismatch",               \
	}

static const struct table_kind rsdt_kind =
	TABLE_KIND("RSDT", "RSDT", SDT_HEADER_SIZE, SDT_HEADER_SIZE + SDT_MAX_POINTERS);
static const struct table_kind xsdt_kind =
	TABLE_KIND("XSDT", "XSDT", SDT_HEADER_SIZE, SDT_HEADER_SIZE + SDT_MAX_POINTERS);
static const struct table_kind madt_kind =
	TABLE_KIND("MADT", "APIC", MADT_ENTRIES, MADT_MAX_LEN);

/*
 * Maps the table at phys and checks its signature, length and checksum.
 * The header is mapped first because only it says how much to map.
 */
static int map_table(acpi_map_fn map, void *ctx, uint64_t phys, const struct table_kind *kind,
		     const uint8_t **table, uint32_t *table_len, const char **why)
{
	const uint8_t *p = map(ctx, phys, SDT_HEADER_SIZE);

	if (!p) {
		*why = kind->unreachable;
		return -EFAULT;
	}
	if (memcmp(p + SDT_SIGNATURE, kind->signature, 4) != 0) {
		*why = kind->bad_signature;
		return -EINVAL;
	}
	uint32_t len = rd32(p + SDT_LENGTH);

	if (len < kind->min_len || len > kind->max_len) {
		*why = kind->bad_length;
		return -EINVAL;
	}
	p = map(ctx, phys, len);
	if (!p) {
		*why = kind->unreachable;
		return -EFAULT;
	}
	if (!sums_to_zero(p, len)) {
		*why = kind->bad_checksum;
		return -EINVAL;
	}
	*table = p;
	*table_len = len;
	return 0;
}

/*
 * Reasons that name the offending entry's offset in the MADT. The four
 * hex digits at the end are rewritten; MADT_MAX_LEN keeps offsets below
 * 0x10000.
 */
static char too_short_why[] = "MADT entry too short at offset 0x0000";
static char truncated_why[] = "MADT entry truncated at offset 0x0000";

_Static_assert(MADT_MAX_LEN <= 0x10000, "MADT offsets must fit in four hex digits");

static const char *at_offset(char *msg, size_t size, uint32_t off)
{
	char *digit = msg + size - 1;	/* the terminating NUL */

	for (int i = 0; i < 4; i++, off >>= 4)
		*--digit = "0123456789abcdef"[off & 0xf];
	return msg;
}

/* The length an entry of this type needs for the fields we read. */
static uint32_t entry_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LOCAL_APIC:
		return 8;
	case MADT_IO_APIC:
		return 12;
	case MADT_OVERRIDE:
		return 10;
	case MADT_LAPIC_ADDR_OVERRIDE:
		return 12;
	default:
		return 2;	/* just type and length, to step over it */
	}
}

static void add_entry(const uint8_t *e, struct acpi_madt_info *info)
{
	switch (e[0]) {
	case MADT_LOCAL_APIC:
		/* A core that is disabled, or only online capable, cannot be
		 * started now. */
		if (!(rd32(e + 4) & LAPIC_ENABLED))
			break;
		if (info->cpu_count == ACPI_MAX_CPUS) {
			info->cpus_ignored++;
			break;
		}
		info->cpus[info->cpu_count].processor_id = e[2];
		info->cpus[info->cpu_count].apic_id = e[3];
		info->cpu_count++;
		break;
	case MADT_IO_APIC:
		if (info->ioapic_count == ACPI_MAX_IOAPICS) {
			info->ioapics_ignored++;
			break;
		}
		info->ioapics[info->ioapic_count].id = e[2];
		info->ioapics[info->ioapic_count].phys = rd32(e + 4);
		info->ioapics[info->ioapic_count].gsi_base = rd32(e + 8);
		info->ioapic_count++;
		break;
	case MADT_OVERRIDE:
		/* The bus byte (e[2]) is always 0, ISA. */
		if (info->override_count == ACPI_MAX_OVERRIDES) {
			info->overrides_ignored++;
			break;
		}
		info->overrides[info->override_count].source_irq = e[3];
		info->overrides[info->override_count].gsi = rd32(e + 4);
		info->overrides[info->override_count].flags = rd16(e + 8);
		info->override_count++;
		break;
	case MADT_LAPIC_ADDR_OVERRIDE: {
		uint64_t addr = rd64(e + 4);

		/* Without PAE the kernel cannot reach it above 4 GiB. */
		if (addr >> 32 == 0)
			info->lapic_phys = (uint32_t)addr;
		break;
	}
	}
}

static int parse_madt(acpi_map_fn map, void *ctx, uint64_t phys, struct acpi_madt_info *info,
		      const char **why)
{
	const uint8_t *t;
	uint32_t len;
	int err = map_table(map, ctx, phys, &madt_kind, &t, &len, why);

	if (err)
		return err;
	info->lapic_phys = rd32(t + MADT_LAPIC_ADDR);
	info->legacy_pics = rd32(t + MADT_FLAGS) & MADT_PCAT_COMPAT;

	for (uint32_t off = MADT_ENTRIES; off < len;) {
		const uint8_t *e = t + off;

		if (len - off < 2 || e[1] > len - off) {
			*why = at_offset(truncated_why, sizeof(truncated_why), off);
			return -EINVAL;
		}
		/* A length below 2 would also never advance the loop. */
		if (e[1] < entry_min_len(e[0])) {
			*why = at_offset(too_short_why, sizeof(too_short_why), off);
			return -EINVAL;
		}
		add_entry(e, info);
		off += e[1];
	}
	if (info->cpu_count == 0) {
		*why = "no enabled CPU in the MADT";
		return -EINVAL;
	}
	return 0;
}

int acpi_parse(acpi_map_fn map, void *ctx, uint64_t rsdp_phys, struct acpi_madt_info *info,
	       const char **why)
{
	struct rsdp_fields rsdp;
	const uint8_t *unused;
	uint64_t sdt = 0;
	uint32_t sdt_len = 0, entry_size = 0;
	int err = -ENOENT;

	memset(info, 0, sizeof(*info));
	if (!read_rsdp(map, ctx, rsdp_phys, UINT64_MAX, &rsdp)) {
		*why = "RSDP invalid or unreachable";
		return -EINVAL;
	}
	*why = "no RSDT or XSDT";
	if (rsdp.xsdt) {
		err = map_table(map, ctx, rsdp.xsdt, &xsdt_kind, &unused, &sdt_len, why);
		sdt = rsdp.xsdt;
		entry_size = 8;
	}
	/* The RSDT lists the same tables; it is the fallback for a bad XSDT. */
	if (err && rsdp.rsdt) {
		err = map_table(map, ctx, rsdp.rsdt, &rsdt_kind, &unused, &sdt_len, why);
		sdt = rsdp.rsdt;
		entry_size = 4;
	}
	if (err)
		return err;

	/*
	 * Each address is mapped on its own, not read through the table's
	 * mapping, because mapping the tables it points to may reuse that.
	 * Only the MADT is checksummed: no other table is read.
	 */
	uint32_t count = (sdt_len - SDT_HEADER_SIZE) / entry_size;

	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *entry = map(ctx, sdt + SDT_HEADER_SIZE + i * entry_size, entry_size);

		if (!entry) {
			*why = entry_size == 8 ? xsdt_kind.unreachable : rsdt_kind.unreachable;
			return -EFAULT;
		}
		uint64_t phys = entry_size == 8 ? rd64(entry) : rd32(entry);
		const uint8_t *hdr = map(ctx, phys, SDT_HEADER_SIZE);

		/* An unreachable table is skipped: if it was the MADT, the
		 * answer is "no MADT". */
		if (hdr && memcmp(hdr + SDT_SIGNATURE, madt_kind.signature, 4) == 0) {
			err = parse_madt(map, ctx, phys, info, why);
			if (!err)
				*why = NULL;
			return err;
		}
	}
	*why = "no MADT";
	return -ENOENT;
}
