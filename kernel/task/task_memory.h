/*
 * A task's user memory: anonymous zeroed pages mapped on request, counted
 * against the task's quota so that one task cannot take all memory.
 */
#ifndef LOCUS_TASK_TASK_MEMORY_H
#define LOCUS_TASK_TASK_MEMORY_H

#include <stddef.h>
#include <stdint.h>

struct task;

#define USER_MAP_BASE 0x10000000	/* mem_map looks for room from here */

void task_memory_init(struct task *task);

/* Maps npages fresh zeroed pages at va (all or nothing): 0, -EEXIST if
 * one is mapped already, -ENOMEM (memory or quota), -EINVAL. */
int task_map_pages(struct task *task, uintptr_t va, size_t npages, unsigned flags);

/* mem_map: size bytes (rounded up to pages) at hint if free there, else
 * anywhere free below the stack area; *addr receives where. */
int task_mem_map(struct task *task, uintptr_t hint, size_t size, unsigned prot,
		 uintptr_t *addr);

/* mem_unmap: every mapped page of [va, va + size); 0 or -EINVAL. */
int task_mem_unmap(struct task *task, uintptr_t va, size_t size);

/* The physical frame behind a user page, for the loader: 0 or -ENOENT. */
int task_page_frame(struct task *task, uintptr_t va, uint32_t *pa);

/* Frees every user page and page table of a dead task. */
void task_memory_release(struct task *task);

#endif
