/*
 * Reading GRUB's multiboot information. It lies in low physical memory,
 * which the boot page directory already maps at KERNEL_VMA; everything is
 * copied into boot_info so the frame allocator may reuse that memory.
 */
#include "boot/boot_info.h"

#include "boot/multiboot.h"
#include "lib/console.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/layout.h"

struct boot_info boot_info;

/* Physical to virtual for the multiboot structures; refuses what the
 * direct map does not cover rather than reading garbage. */
static const void *boot_phys(uint32_t phys, uint32_t len)
{
	if (phys >= DIRECT_MAP_SIZE || len > DIRECT_MAP_SIZE - phys)
		panic("multiboot data at 0x%x (+%u) lies outside the kernel's direct map", phys,
		      len);
	return (const void *)(DIRECT_MAP_BASE + phys);
}

static void note_info_range(uint32_t phys, uint32_t len)
{
	if (phys < boot_info.info_phys_start)
		boot_info.info_phys_start = phys;
	if (phys + len > boot_info.info_phys_end)
		boot_info.info_phys_end = phys + len;
}

static void copy_string(char *dst, size_t size, uint32_t phys)
{
	const char *s = boot_phys(phys, 1);

	strlcpy(dst, s, size);
}

static void capture_modules(const struct multiboot_info *mbi)
{
	const struct multiboot_module *mods =
		boot_phys(mbi->mods_addr, mbi->mods_count * sizeof(*mods));

	note_info_range(mbi->mods_addr, mbi->mods_count * sizeof(*mods));
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		if (boot_info.module_count == BOOT_MAX_MODULES) {
			kprintf("boot: more than %u modules; the rest are ignored\n",
				BOOT_MAX_MODULES);
			break;
		}
		struct boot_module *m = &boot_info.modules[boot_info.module_count];
		char line[BOOT_CMDLINE_MAX];

		copy_string(line, sizeof(line), mods[i].string);
		/* "name args..." (GRUB passes what follows the file name). */
		char *space = strchr(line, ' ');

		if (space)
			*space = '\0';
		strlcpy(m->name, line, sizeof(m->name));
		m->phys_start = mods[i].mod_start;
		m->phys_end = mods[i].mod_end;
		if (m->phys_end < m->phys_start || m->phys_end > DIRECT_MAP_SIZE) {
			kprintf("boot: module '%s' at 0x%x..0x%x is unusable; ignored\n", m->name,
				m->phys_start, m->phys_end);
			continue;
		}
		boot_info.module_count++;
	}
}

static void capture_memory_map(const struct multiboot_info *mbi)
{
	const uint8_t *p = boot_phys(mbi->mmap_addr, mbi->mmap_length);
	const uint8_t *end = p + mbi->mmap_length;

	note_info_range(mbi->mmap_addr, mbi->mmap_length);
	while (p + sizeof(struct multiboot_mmap_entry) <= end) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		if (boot_info.memory_range_count == BOOT_MAX_MEMORY_RANGES) {
			kprintf("boot: memory map longer than %u entries; rest ignored\n",
				BOOT_MAX_MEMORY_RANGES);
			break;
		}
		if (e->len) {
			struct boot_memory_range *r =
				&boot_info.memory[boot_info.memory_range_count++];

			r->start = e->addr;
			r->end = e->addr + e->len;
			r->type = e->type;
		}
		p += e->size + sizeof(e->size);
	}
}

void boot_info_capture(uint32_t magic, uint32_t info_phys)
{
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot loader (magic 0x%x)", magic);

	const struct multiboot_info *mbi = boot_phys(info_phys, sizeof(*mbi));

	boot_info.info_phys_start = info_phys;
	boot_info.info_phys_end = info_phys + sizeof(*mbi);
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		copy_string(boot_info.cmdline, sizeof(boot_info.cmdline), mbi->cmdline);
	if (mbi->flags & MULTIBOOT_INFO_MODS)
		capture_modules(mbi);
	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP))
		panic("the boot loader gave no memory map (multiboot flags 0x%x)", mbi->flags);
	capture_memory_map(mbi);
}

const struct boot_module *boot_module_find(const char *name)
{
	for (unsigned i = 0; i < boot_info.module_count; i++)
		if (strcmp(boot_info.modules[i].name, name) == 0)
			return &boot_info.modules[i];
	return NULL;
}
