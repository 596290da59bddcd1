/*
 * printf and friends over the kernel's formatter (lib/format.c). Output
 * is gathered per call and written with one system call, so lines printed
 * by different threads and tasks do not mix.
 */
#include <stdio.h>

#include "lib/format.h"
#include "lib/string.h"
#include "locus.h"

#define OUTPUT_CHUNK 512

struct output {
	char buf[OUTPUT_CHUNK];
	size_t len;
};

static void flush(struct output *o)
{
	if (o->len)
		debug_write(o->buf, o->len);
	o->len = 0;
}

static void put(void *ctx, char c)
{
	struct output *o = ctx;

	if (o->len == sizeof(o->buf))
		flush(o);
	o->buf[o->len++] = c;
}

int vprintf(const char *fmt, va_list ap)
{
	struct output o;

	o.len = 0;
	int n = vformat(put, &o, fmt, ap);

	flush(&o);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return kvsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}
