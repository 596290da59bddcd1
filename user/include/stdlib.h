/* A small stdlib for Locus programs. */
#ifndef LOCUS_USER_STDLIB_H
#define LOCUS_USER_STDLIB_H

#include <stddef.h>

__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void abort(void);
int atoi(const char *s);

#endif
