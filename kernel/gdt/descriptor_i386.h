/* i386 segment descriptors and the task-state segment. */
#ifndef LOCUS_GDT_DESCRIPTOR_I386_H
#define LOCUS_GDT_DESCRIPTOR_I386_H

#include <stdint.h>

#include "lib/compiler.h"

struct seg_desc {
	uint16_t limit_low;
	uint16_t base_low;
	uint8_t base_mid;
	uint8_t access;		/* P, DPL, S, type */
	uint8_t flags_limit_high; /* G, D/B, limit 19:16 */
	uint8_t base_high;
} __packed;

#define DESC_PRESENT 0x80
#define DESC_DPL(n) ((n) << 5)
#define DESC_CODE_OR_DATA 0x10
#define DESC_TYPE_CODE_READ 0x0A
#define DESC_TYPE_DATA_WRITE 0x02
#define DESC_TYPE_TSS_AVAILABLE 0x09
#define DESC_FLAG_4K 0x8	/* limit counts 4 KiB pages */
#define DESC_FLAG_32BIT 0x4

/* The limit field is 20 bits; with 4 KiB granularity 0xFFFFF is 4 GiB. */
#define DESC_LIMIT_4G 0xFFFFF

static inline struct seg_desc seg_desc_make(uint32_t base, uint32_t limit, uint8_t access,
					    uint8_t flags)
{
	return (struct seg_desc){
		.limit_low = limit & 0xFFFF,
		.base_low = base & 0xFFFF,
		.base_mid = (base >> 16) & 0xFF,
		.access = access,
		.flags_limit_high = (uint8_t)((flags << 4) | ((limit >> 16) & 0xF)),
		.base_high = (uint8_t)(base >> 24),
	};
}

static inline uint32_t seg_desc_base(const struct seg_desc *d)
{
	return d->base_low | ((uint32_t)d->base_mid << 16) | ((uint32_t)d->base_high << 24);
}

static inline uint32_t seg_desc_limit(const struct seg_desc *d)
{
	uint32_t limit = d->limit_low | ((uint32_t)(d->flags_limit_high & 0xF) << 16);

	if (d->flags_limit_high & (DESC_FLAG_4K << 4))
		limit = (limit << 12) | 0xFFF;
	return limit;
}

static inline unsigned seg_desc_dpl(const struct seg_desc *d)
{
	return (d->access >> 5) & 3;
}

struct gdt_pointer {
	uint16_t limit;
	uint32_t base;
} __packed;

/* The 32-bit task-state segment (Intel SDM vol. 3, 8.2.1). */
struct tss {
	uint32_t prev_task;
	uint32_t esp0, ss0;
	uint32_t esp1, ss1;
	uint32_t esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs;
	uint32_t ldt;
	uint16_t trap;
	uint16_t iomap_base;
} __packed;

#endif
