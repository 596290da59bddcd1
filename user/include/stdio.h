/*
 * A small stdio for Locus programs. Output is not buffered: each call
 * formats into a buffer and writes it with one write(), so a line up to
 * STDIO_ATOMIC_MAX bytes printed by one thread never mixes with another's.
 * Input comes from the console service a line at a time.
 */
#ifndef LOCUS_USER_STDIO_H
#define LOCUS_USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)
#define STDIO_ATOMIC_MAX 1024

typedef struct locus_file FILE;

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *f, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int puts(const char *s);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
int putchar(int c);
int fflush(FILE *f);

/* Input (stdin only). */
char *fgets(char *buf, int size, FILE *f);
int getchar(void);
int fgetc(FILE *f);

#endif
