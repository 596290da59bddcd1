/*
 * printf-style formatting into any sink. Pure logic: the kernel console,
 * ksnprintf and the host unit tests all use this one formatter.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%; flags '-' '0' '+' ' ';
 * width and precision (also as '*'); length modifiers hh h l ll z j t.
 */
#ifndef LOCUS_LIB_FORMAT_H
#define LOCUS_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/compiler.h"

/* Called for each output character; ctx is passed through. */
typedef void (*format_put_fn)(void *ctx, char c);

/* Returns the number of characters produced. */
int vformat(format_put_fn put, void *ctx, const char *fmt, va_list ap);

/*
 * Like snprintf: always terminates (when size > 0) and returns the length
 * the full output would have had.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf_like(3, 4);

#endif
