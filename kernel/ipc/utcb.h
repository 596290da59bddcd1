/*
 * UTCB slots: each user thread gets one 512-byte UTCB in its task's UTCB
 * area, eight to a page. A page is mapped into the task (and only that
 * task) when its first slot is taken and unmapped when its last is
 * freed; the kernel reaches every UTCB through its direct map of the
 * frame, so IPC never needs the partner's page tables.
 */
#ifndef LOCUS_IPC_UTCB_H
#define LOCUS_IPC_UTCB_H

#include <stdint.h>

#include "uapi/utcb.h"

struct task;

#define UTCB_TASK_SLOTS 256

/* Takes a free slot: 0 with the kernel's view and the user address, or
 * -ENOSPC (no slot) / -ENOMEM. */
int utcb_alloc(struct task *task, struct utcb **kernel_view, uintptr_t *user_addr);
void utcb_free(struct task *task, uintptr_t user_addr);

/* The task's memory is going: its UTCB frames go with the address space. */
void utcb_area_release(struct task *task);

/* Slots in use in every task (for leak checks). */
unsigned utcb_slots_in_use(void);

#endif
