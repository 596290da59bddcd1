/*
 * The i386 virtual memory map (shared with nasm through a generated .inc,
 * so only plain "#define NAME value" lines belong here).
 *
 *   0x00000000  unmapped (null page)
 *   0x00400000  user programs are linked here
 *   ...         user heap and thread stacks (mem_map)
 *   0xBF800000  main thread stack area
 *   0xBFC00000  UTCB area (4 MiB)
 *   0xC0000000  direct map of physical memory 0 .. 768 MiB (4 MiB pages)
 *   0xF0000000  kernel virtual area: stacks with guard pages, MMIO, vmap
 *   0xFFC00000  never mapped: the early-boot guard window (gdt.c)
 */
#ifndef LOCUS_MM_LAYOUT_H
#define LOCUS_MM_LAYOUT_H

#define PAGE_SIZE 4096
#define LARGE_PAGE_SIZE 0x400000
#define LARGE_PAGE_SHIFT 22

#define USER_BASE 0x00001000
#define USER_TOP 0xC0000000
#define UTCB_AREA_BASE 0xBFC00000
#define UTCB_AREA_SIZE 0x00400000
#define USER_STACK_TOP 0xBFC00000
#define USER_STACK_AREA_SIZE 0x00400000

#define KERNEL_VMA 0xC0000000
#define DIRECT_MAP_BASE 0xC0000000
#define DIRECT_MAP_SIZE 0x30000000
#define DIRECT_MAP_PDES 192
#define VMAP_BASE 0xF0000000
#define VMAP_END 0xFFC00000
#define EARLY_GUARD_WINDOW 0xFFC00000
#define EARLY_GUARD_KTLS_BASE 0xFFFFF000

#define BOOT_STACK_SIZE 16384

#endif
