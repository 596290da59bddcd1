/*
 * Reading and writing user memory on behalf of a system call. Every user
 * pointer is checked against the calling task's address space (below
 * USER_TOP, no wrap-around, every page present and user-accessible, and
 * writable where written) while the space's lock keeps other threads from
 * unmapping those pages. A bad pointer is an error (-EFAULT), never a
 * kernel fault.
 */
#ifndef LOCUS_TASK_UACCESS_H
#define LOCUS_TASK_UACCESS_H

#include <stddef.h>
#include <stdint.h>

int copy_from_user(void *dst, uintptr_t src, size_t len);
int copy_to_user(uintptr_t dst, const void *src, size_t len);

/* Copies a NUL-terminated string of at most max - 1 characters: returns
 * its length, -EFAULT, or -ENAMETOOLONG if no NUL comes in time. */
int string_from_user(char *dst, uintptr_t src, size_t max);

#endif
