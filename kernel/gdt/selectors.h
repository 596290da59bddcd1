/*
 * Segment selectors of every core's GDT (shared with nasm through a
 * generated .inc, so only plain "#define NAME value" lines belong here).
 *
 * Each core has its own GDT with the same layout; only the TSS, KTLS and
 * UTLS bases differ from core to core.
 */
#ifndef LOCUS_GDT_SELECTORS_H
#define LOCUS_GDT_SELECTORS_H

#define GDT_ENTRIES 9

#define SEL_KERNEL_CODE 0x08
#define SEL_KERNEL_DATA 0x10
#define SEL_USER_CODE 0x1B
#define SEL_USER_DATA 0x23
#define SEL_TSS 0x28
#define SEL_KTLS 0x30
#define SEL_UTLS 0x3B
#define SEL_DOUBLE_FAULT_TSS 0x40

#define GDT_INDEX_KERNEL_CODE 1
#define GDT_INDEX_KERNEL_DATA 2
#define GDT_INDEX_USER_CODE 3
#define GDT_INDEX_USER_DATA 4
#define GDT_INDEX_TSS 5
#define GDT_INDEX_KTLS 6
#define GDT_INDEX_UTLS 7
#define GDT_INDEX_DOUBLE_FAULT_TSS 8

#endif
