/*
 * errno: one per thread, so a failing call in one thread cannot overwrite
 * the error another is about to read. The E* numbers are the kernel's
 * (uapi/errno.h), positive here; system calls return them negated.
 */
#ifndef LOCUS_USER_ERRNO_H
#define LOCUS_USER_ERRNO_H

#include "uapi/errno.h"

extern __thread int errno;

#endif
