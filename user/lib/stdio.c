/*
 * printf and friends over the kernel's formatter (lib/format.c), writing
 * through write(): to the console service, or straight to the serial
 * port when there is none (locus/io.c). Input is read a line at a time
 * into one buffer shared by the program's threads, under a lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "lib/format.h"
#include "lib/string.h"

struct locus_file {
	int fd;
};

static struct locus_file files[3] = { { STDIN_FILENO }, { STDOUT_FILENO }, { STDERR_FILENO } };
FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

struct output {
	int fd;
	char buf[STDIO_ATOMIC_MAX];
	size_t len;
};

static void flush(struct output *o)
{
	if (o->len)
		write(o->fd, o->buf, o->len);
	o->len = 0;
}

static void put(void *ctx, char c)
{
	struct output *o = ctx;

	if (o->len == sizeof(o->buf))
		flush(o);
	o->buf[o->len++] = c;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct output o;

	o.fd = f->fd;
	o.len = 0;
	int n = vformat(put, &o, fmt, ap);

	flush(&o);
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
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

int fputs(const char *s, FILE *f)
{
	size_t len = strlen(s);

	return write(f->fd, s, len) == (int)len ? 0 : EOF;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	return write(f->fd, &ch, 1) == 1 ? (unsigned char)c : EOF;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fflush(FILE *f)
{
	(void)f;
	return 0;	/* nothing is buffered */
}

/* The rest of the last line the console gave us, under input_lock: two
 * threads taking its last byte at once would both move input_pos. The
 * lock is held across the read that refills it, so a line goes to one
 * reader. */
static pthread_mutex_t input_lock = PTHREAD_MUTEX_INITIALIZER;
static char input[256];
static size_t input_len, input_pos;

int fgetc(FILE *f)
{
	int c = EOF;

	if (f != stdin) {
		errno = EBADF;
		return EOF;
	}
	pthread_mutex_lock(&input_lock);
	if (input_pos >= input_len) {
		ssize_t n = read(STDIN_FILENO, input, sizeof(input));

		input_len = n > 0 ? (size_t)n : 0;
		input_pos = 0;
	}
	if (input_pos < input_len)
		c = (unsigned char)input[input_pos++];
	pthread_mutex_unlock(&input_lock);
	return c;
}

int getchar(void)
{
	return fgetc(stdin);
}

char *fgets(char *buf, int size, FILE *f)
{
	int i = 0;

	if (size <= 0)
		return NULL;
	while (i < size - 1) {
		int c = fgetc(f);

		if (c == EOF)
			break;
		buf[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return NULL;
	buf[i] = '\0';
	return buf;
}
