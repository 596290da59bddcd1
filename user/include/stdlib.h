/* A small stdlib for Locus programs. */
#ifndef LOCUS_USER_STDLIB_H
#define LOCUS_USER_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

__attribute__((noreturn)) void exit(int status);
/* Ends the task with status 134 (128 + SIGABRT's 6, as a shell shows it). */
__attribute__((noreturn)) void abort(void);

/* Integers from text (strtol.c). Overflow clamps and sets errno to
 * ERANGE; atoi and atol are strtol(s, NULL, 10). */
long strtol(const char *nptr, char **endptr, int base);
unsigned long strtoul(const char *nptr, char **endptr, int base);
int atoi(const char *s);
long atol(const char *s);

int abs(int v);
long labs(long v);

/* Heapsort (qsort.c): not stable, O(n log n) always, no extra memory. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *));

/* The heap (malloc.c): every pointer is 16-byte aligned; failures return
 * NULL with errno = ENOMEM; safe to call from any thread. */
void *malloc(size_t size) __attribute__((malloc, alloc_size(1)));
void free(void *p);
void *calloc(size_t n, size_t size) __attribute__((malloc, alloc_size(1, 2)));
void *realloc(void *p, size_t size) __attribute__((alloc_size(2)));

#endif
