/*
 * The names of the C library functions defined in user/lib.
 *
 * Host unit tests link these files into a program that also has the
 * host's own C library, with the same function names. There each
 * definition gets the prefix locus_ (locus_strtol, locus_malloc) so the
 * test can call ours and compare it with the host's; in Locus programs
 * LIBC_NAME(f) is just f. Calls from one of these files to another go
 * through LIBC_NAME too, so a host test runs our code all the way down.
 */
#ifndef LOCUS_USER_LIBC_NAMES_H
#define LOCUS_USER_LIBC_NAMES_H

#ifdef LOCUS_HOST_TEST
#include <stddef.h>

#define LIBC_NAME(f) locus_##f

/* The prototypes the host test (and our own files) see for the prefixed
 * names; user/include has the real ones. */
int locus_isalpha(int c);
int locus_isdigit(int c);
int locus_isalnum(int c);
int locus_isspace(int c);
int locus_isupper(int c);
int locus_islower(int c);
int locus_isxdigit(int c);
int locus_isprint(int c);
int locus_ispunct(int c);
int locus_iscntrl(int c);
int locus_toupper(int c);
int locus_tolower(int c);

long locus_strtol(const char *nptr, char **endptr, int base);
unsigned long locus_strtoul(const char *nptr, char **endptr, int base);
int locus_atoi(const char *s);
long locus_atol(const char *s);

void locus_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void *locus_bsearch(const void *key, const void *base, size_t n, size_t size,
		    int (*cmp)(const void *, const void *));

void *locus_malloc(size_t size);
void locus_free(void *p);
void *locus_calloc(size_t n, size_t size);
void *locus_realloc(void *p, size_t size);
/* The bytes malloc.c may map from the host before it fails like a task
 * at its memory quota (SIZE_MAX: no limit). */
extern size_t locus_malloc_host_quota;
#else
#define LIBC_NAME(f) f
#endif

#endif
