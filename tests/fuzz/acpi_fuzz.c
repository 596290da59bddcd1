/*
 * libFuzzer target: the ACPI parser (kernel/smp/acpi.c) on a fake
 * physical memory made of the input.
 *
 * Byte 0 of the input is a control byte; the rest is memory starting at
 * physical 0xE0000, the BIOS area acpi_find_rsdp scans (everything else,
 * the EBDA pointer at 0x40E included, is unreachable).
 *
 * Most inputs would die at a checksum, so when bit 0 of the control byte
 * is set the harness first repairs the checksums of every RSDP it sees
 * and of the tables those point to: the parser's later stages then get
 * fuzzed too, while inputs with the bit clear still exercise the checksum
 * failures. Bit 1 asks for the RSDP to be searched for; without it the
 * RSDP is taken to be at 0xE0000, which keeps most runs fast (the search
 * steps through all 128 KiB of the BIOS area).
 *
 * Like tests/host/acpi_test.c, the map callback copies each request into
 * a fresh heap block and frees the previous one, so AddressSanitizer
 * catches reads past what was mapped and pointers used after the next map.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smp/acpi.h"
#include "uapi/errno.h"

#define MEM_BASE 0xe0000u
#define FIX_CHECKSUMS 0x1
#define SEARCH_RSDP 0x2
#define SDT_HEADER 36

struct memory {
	const uint8_t *bytes;
	size_t size;
	void *last_block;
};

static const void *fake_map(void *ctx, uint64_t phys, size_t len)
{
	struct memory *m = ctx;

	free(m->last_block);
	m->last_block = NULL;
	if (phys < MEM_BASE || phys - MEM_BASE > m->size || len > m->size - (phys - MEM_BASE))
		return NULL;
	m->last_block = malloc(len ? len : 1);
	memcpy(m->last_block, m->bytes + (phys - MEM_BASE), len);
	return m->last_block;
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

/* Makes the len bytes at p sum to zero by setting p[at]. */
static void fix_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (uint8_t)-sum;
}

/* The table at phys, if its header and length fit in memory; else NULL. */
static uint8_t *table_at(uint8_t *mem, size_t size, uint64_t phys, uint32_t *len)
{
	if (phys < MEM_BASE || phys - MEM_BASE > size || size - (phys - MEM_BASE) < SDT_HEADER)
		return NULL;
	uint8_t *t = mem + (phys - MEM_BASE);

	*len = rd32(t + 4);
	return *len >= SDT_HEADER && *len <= size - (phys - MEM_BASE) ? t : NULL;
}

static void fix_table(uint8_t *mem, size_t size, uint64_t phys)
{
	uint32_t len;
	uint8_t *t = table_at(mem, size, phys, &len);

	if (t)
		fix_sum(t, len, 9);
}

/* An RSDT (entry_size 4) or XSDT (8): the tables it lists, then itself. */
static void fix_sdt(uint8_t *mem, size_t size, uint64_t phys, unsigned entry_size)
{
	uint32_t len;
	uint8_t *t = table_at(mem, size, phys, &len);

	if (!t)
		return;
	for (uint32_t off = SDT_HEADER; off + entry_size <= len; off += entry_size)
		fix_table(mem, size, entry_size == 8 ? rd64(t + off) : rd32(t + off));
	fix_sum(t, len, 9);
}

static void fix_checksums(uint8_t *mem, size_t size)
{
	for (size_t off = 0; off + 20 <= size; off += 16) {
		uint8_t *r = mem + off;

		if (memcmp(r, "RSD PTR ", 8) != 0)
			continue;
		fix_sdt(mem, size, rd32(r + 16), 4);
		if (r[15] >= 2 && size - off >= 36) {
			uint32_t len = rd32(r + 20);

			fix_sdt(mem, size, rd64(r + 24), 8);
			fix_sum(r, 20, 8);
			if (len >= 36 && len <= size - off)
				fix_sum(r, len, 32);
		} else {
			fix_sum(r, 20, 8);
		}
	}
}

static void require(bool cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_madt_info info;
	const char *why = NULL;
	uint64_t rsdp = MEM_BASE;
	int err = 0;

	if (size < 1)
		return 0;
	uint8_t *mem = malloc(size - 1 ? size - 1 : 1);
	struct memory m = { .bytes = mem, .size = size - 1 };

	memcpy(mem, data + 1, size - 1);
	if (data[0] & FIX_CHECKSUMS)
		fix_checksums(mem, size - 1);
	if (data[0] & SEARCH_RSDP) {
		err = acpi_find_rsdp(fake_map, &m, &rsdp);
		require(err == 0 ? rsdp >= MEM_BASE && rsdp < MEM_BASE + m.size : err == -ENOENT);
	}
	if (err == 0) {
		err = acpi_parse(fake_map, &m, rsdp, &info, &why);
		if (err == 0) {
			require(why == NULL);
			require(info.cpu_count >= 1 && info.cpu_count <= ACPI_MAX_CPUS);
			require(info.ioapic_count <= ACPI_MAX_IOAPICS);
			require(info.override_count <= ACPI_MAX_OVERRIDES);
		} else {
			require(err == -EFAULT || err == -EINVAL || err == -ENOENT);
			require(why && why[0]);
		}
	}
	free(m.last_block);
	free(mem);
	return 0;
}
