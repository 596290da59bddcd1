/* The kernel's side of the boundary with ring 3 (trap/trap.c and
 * syscall/syscall.c call in). */
#ifndef LOCUS_TASK_USER_MODE_H
#define LOCUS_TASK_USER_MODE_H

#include <stdint.h>

#include "lib/compiler.h"
#include "trap/trap_frame_i386.h"

/*
 * Last stop before a thread returns to ring 3 (interrupts off): leaves if
 * its task is dying, switches threads if this core should, and checks
 * that the core's UTLS descriptor is the thread's TLS base.
 */
void return_to_user(struct trap_frame *tf);

/* An exception in user mode: report it in one line and kill the task. */
__noreturn void user_exception(struct trap_frame *tf);

/* UTLS checks done on a core (one per return to ring 3). */
uint32_t utls_checks_of(unsigned cpu);

#endif
