/*
 * Error codes shared by the kernel and user code. System calls return
 * them negated (-EINVAL); the user C library stores them positive in
 * errno. The numbers are the familiar Linux ones.
 */
#ifndef LOCUS_UAPI_ERRNO_H
#define LOCUS_UAPI_ERRNO_H

#define EPERM 1		/* operation not permitted (missing rights) */
#define ENOENT 2	/* no such module, name or object */
#define ESRCH 3		/* no such thread or task */
#define EINTR 4		/* interrupted */
#define EIO 5		/* device error */
#define E2BIG 7		/* message or argument list too long */
#define ENOEXEC 8	/* malformed executable */
#define EBADF 9		/* empty or invalid capability slot */
#define ECHILD 10	/* nothing to wait for */
#define EAGAIN 11	/* would block, or try again */
#define ENOMEM 12	/* out of memory */
#define EACCES 13	/* access denied by protection */
#define EFAULT 14	/* bad user address */
#define EBUSY 16	/* resource busy */
#define EEXIST 17	/* already exists */
#define EXDEV 18	/* object belongs to another task */
#define EINVAL 22	/* invalid argument */
#define EMFILE 24	/* capability table full */
#define ENOSPC 28	/* no space left (table, area) */
#define EPIPE 32	/* IPC partner is gone */
#define ERANGE 34	/* value out of range */
#define EDEADLK 35	/* would deadlock */
#define ENAMETOOLONG 36	/* name too long */
#define ENOSYS 38	/* no such system call */
#define ENOTSUP 95	/* operation not supported */
#define ETIMEDOUT 110	/* timed out */

#endif
