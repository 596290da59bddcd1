/*
 * What the kernel keeps of the multiboot information: the command line,
 * the boot modules and the memory map, copied out early so that nothing
 * later depends on where GRUB left them.
 */
#ifndef LOCUS_BOOT_BOOT_INFO_H
#define LOCUS_BOOT_BOOT_INFO_H

#include <stdint.h>

#define BOOT_MAX_MODULES 48
#define BOOT_MAX_MEMORY_RANGES 64
#define BOOT_CMDLINE_MAX 512
#define BOOT_MODULE_NAME_MAX 32

struct boot_module {
	/* The first word of GRUB's module line; the rest is ignored:
	 * programs get their arguments from whoever spawns them. */
	char name[BOOT_MODULE_NAME_MAX];
	uint32_t phys_start;
	uint32_t phys_end;			/* exclusive */
};

struct boot_memory_range {
	uint64_t start;
	uint64_t end;				/* exclusive */
	uint32_t type;				/* multiboot type: MULTIBOOT_MEMORY_AVAILABLE is usable */
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	unsigned module_count;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned memory_range_count;
	struct boot_memory_range memory[BOOT_MAX_MEMORY_RANGES];
	uint32_t info_phys_start;		/* the multiboot structures themselves */
	uint32_t info_phys_end;
};

extern struct boot_info boot_info;

/* Copies what the kernel needs out of GRUB's multiboot information. */
void boot_info_capture(uint32_t magic, uint32_t info_phys);

/* The boot module called name, or NULL. */
const struct boot_module *boot_module_find(const char *name);

#endif
