/* POSIX-style I/O on the standard descriptors of a Locus program. */
#ifndef LOCUS_USER_UNISTD_H
#define LOCUS_USER_UNISTD_H

#include <stddef.h>

typedef int ssize_t;

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* Standard output and error go to the console service as messages,
 * standard input comes from it; -1 with errno on failure. */
ssize_t write(int fd, const void *buf, size_t count);
ssize_t read(int fd, void *buf, size_t count);

#endif
