/*
 * Layout of .ksyms (written by tools/ksyms.sh, sorted by address):
 *	uint32_t count;
 *	struct { uint32_t addr; uint32_t name_offset; } entries[count];
 *	char names[];	(NUL-terminated, offsets from the start of names)
 * In the first link the section is empty and lookups find nothing.
 */
#include "lib/ksyms.h"

#include <stddef.h>

struct ksym_entry {
	uint32_t addr;
	uint32_t name_offset;
};

extern const uint32_t __ksyms_start[];
extern const uint32_t __ksyms_end[];

static uint32_t ksym_count(void)
{
	return (uintptr_t)__ksyms_end > (uintptr_t)__ksyms_start ? __ksyms_start[0] : 0;
}

static const struct ksym_entry *ksym_entries(void)
{
	return (const struct ksym_entry *)(__ksyms_start + 1);
}

static const char *ksym_name(const struct ksym_entry *e)
{
	return (const char *)(ksym_entries() + ksym_count()) + e->name_offset;
}

extern const char __text_start[];
extern const char __text_end[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	uint32_t n = ksym_count();
	const struct ksym_entry *e = ksym_entries();

	if (n == 0 || addr < e[0].addr || addr >= (uintptr_t)__text_end)
		return NULL;
	/* The last entry whose address is <= addr. */
	uint32_t lo = 0, hi = n;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (e[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - e[lo].addr;
	return ksym_name(&e[lo]);
}
