/*
 * The loader writes into the new task's pages through the kernel's direct
 * map of their frames: the task's address space never has to be loaded
 * to be filled.
 */
#include "task/loader.h"

#include "lib/compiler.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "task/task.h"
#include "task/task_memory.h"
#include "uapi/errno.h"
#include "uapi/syscall.h"

#define MAX_ARGS 16

/* Copies len bytes to user address va of task (pages already mapped). */
static void copy_into_task(struct task *task, uintptr_t va, const void *src, size_t len)
{
	const uint8_t *from = src;

	while (len) {
		uint32_t pa;
		size_t in_page = MIN(len, PAGE_SIZE - va % PAGE_SIZE);

		if (task_page_frame(task, ALIGN_DOWN(va, PAGE_SIZE), &pa) == 0)
			memcpy((uint8_t *)phys_to_virt(pa) + va % PAGE_SIZE, from, in_page);
		from += in_page;
		va += in_page;
		len -= in_page;
	}
}

int loader_load_image(struct task *task, const void *image, const struct elf_image_info *info)
{
	for (unsigned i = 0; i < info->segment_count; i++) {
		const struct elf_segment *seg = &info->segments[i];
		uintptr_t first = ALIGN_DOWN(seg->vaddr, PAGE_SIZE);
		uintptr_t end = ALIGN_UP(seg->vaddr + seg->memsz, PAGE_SIZE);
		int err = task_map_pages(task, first, (end - first) / PAGE_SIZE,
					 seg->writable ? MAP_WRITE : 0);

		if (err)
			return err;
		copy_into_task(task, seg->vaddr, (const uint8_t *)image + seg->offset, seg->filesz);
	}
	return 0;
}

int loader_build_stack(struct task *task, const char *name, const char *args, uintptr_t *esp)
{
	uintptr_t base = USER_STACK_TOP - USER_MAIN_STACK_PAGES * PAGE_SIZE;
	int err = task_map_pages(task, base, USER_MAIN_STACK_PAGES, MAP_WRITE);

	if (err)
		return err;

	/* Build the top of the stack in a buffer, then copy it in one go. */
	char strings[SPAWN_NAME_MAX + SPAWN_ARGS_MAX + 2];
	size_t name_len = strnlen(name, SPAWN_NAME_MAX - 1);
	size_t args_len = strnlen(args, SPAWN_ARGS_MAX - 1);
	size_t used = name_len + 1 + args_len + 1;
	uintptr_t strings_va = USER_STACK_TOP - ALIGN_UP(used, 16);
	uint32_t argv[MAX_ARGS + 1];
	unsigned argc = 0;

	memcpy(strings, name, name_len);
	strings[name_len] = '\0';
	memcpy(strings + name_len + 1, args, args_len);
	strings[used - 1] = '\0';
	argv[argc++] = strings_va;
	/* Split args on spaces, in place. */
	for (size_t i = name_len + 1; i < used - 1 && argc < MAX_ARGS; i++) {
		if (strings[i] == ' ') {
			strings[i] = '\0';
			continue;
		}
		if (strings[i - 1] == '\0')
			argv[argc++] = strings_va + i;
	}
	argv[argc] = 0;

	uintptr_t argv_va = strings_va - (argc + 1) * sizeof(uint32_t);
	/* _start's frame: [esp] return 0, [esp+4] argc, [esp+8] argv, with
	 * esp + 4 16-byte aligned as the i386 ABI expects at a call. */
	uintptr_t sp = ALIGN_DOWN(argv_va - 8, 16) - 4;
	uint32_t frame[3] = { 0, argc, argv_va };

	copy_into_task(task, strings_va, strings, used);
	copy_into_task(task, argv_va, argv, (argc + 1) * sizeof(uint32_t));
	copy_into_task(task, sp, frame, sizeof(frame));
	*esp = sp;
	return 0;
}
