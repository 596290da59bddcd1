/*
 * The kernel command line (GRUB's multiboot line): space-separated words,
 * each "name=value" or a bare "name" flag. The first word is GRUB's path
 * of the kernel when it starts with '/', and is skipped.
 *
 *	test=PATTERN	run the kernel tests whose names match (',' separates
 *			several glob patterns; '*' matches anything)
 *	bench=NAME	run a benchmark configuration
 *	crash=NAME	run a deliberate-crash hook (for expected-panic tests)
 *	trace		record the trace timeline and dump it at the end
 *	init=MODULE	the first user program (default "init")
 *	args=ARGS	its arguments
 *	acpi=off	ignore the ACPI tables: run on the boot core only
 *	quiet		fewer boot messages
 *
 * Unknown words, flags given a value and values that do not fit produce a
 * warning naming the word; parsing goes on.
 */
#ifndef LOCUS_LIB_CMDLINE_H
#define LOCUS_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_VALUE_MAX 128

struct boot_options {
	char test[CMDLINE_VALUE_MAX];
	char bench[CMDLINE_VALUE_MAX];
	char crash[CMDLINE_VALUE_MAX];
	char init[CMDLINE_VALUE_MAX];
	char args[CMDLINE_VALUE_MAX];
	char acpi[CMDLINE_VALUE_MAX];
	bool trace;
	bool quiet;
};

/* Receives one warning message (no trailing newline). */
typedef void (*cmdline_warn_fn)(void *ctx, const char *message);

/* Fills opts (defaults first); returns the number of warnings given. */
int cmdline_parse(const char *cmdline, struct boot_options *opts, cmdline_warn_fn warn,
		  void *ctx);

/*
 * Does name match a pattern list like "mm.*,trap.divide"? '*' matches any
 * run of characters, '?' any one; a pattern starting with '-' excludes
 * the names it matches ("*,-ipc_input.*"); an empty list matches nothing.
 */
bool cmdline_pattern_match(const char *patterns, const char *name);

#endif
