/* Kernel console output: COM1 plus the VGA mirror. */
#ifndef LOCUS_LIB_CONSOLE_H
#define LOCUS_LIB_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/compiler.h"

void console_init(void);
/* Writes len bytes as one unit: output of other cores never lands inside. */
void console_write(const char *buf, size_t len);
/* From now on the console ignores its lock (a panicking core owns it). */
void console_enter_panic_mode(void);

int kprintf(const char *fmt, ...) __printf_like(1, 2);
int kvprintf(const char *fmt, va_list ap);

#endif
