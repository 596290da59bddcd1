/* Loading a checked ELF image into a task, and its first stack. */
#ifndef LOCUS_TASK_LOADER_H
#define LOCUS_TASK_LOADER_H

#include <stdint.h>

#include "task/elf.h"

struct task;

#define USER_MAIN_STACK_PAGES 16

/* Maps every PT_LOAD segment (elf_check has accepted the image): file
 * bytes copied, the rest zeroed, writable only if the segment is. */
int loader_load_image(struct task *task, const void *image, const struct elf_image_info *info);

/*
 * Maps the main thread's stack just below USER_STACK_TOP and writes its
 * arguments there: argv[0] = name, then the words of args. *esp receives
 * the initial stack pointer, where _start(int argc, char **argv) finds a
 * return address of 0 and its two arguments.
 */
int loader_build_stack(struct task *task, const char *name, const char *args, uintptr_t *esp);

#endif
