/*
 * libFuzzer target: the kernel command line (kernel/lib/cmdline.c).
 *
 * The input, NUL-terminated, is parsed as a command line; then its first
 * NUL splits it into a pattern list and a name for cmdline_pattern_match,
 * whose answer is compared, for short strings, with a plain dynamic-
 * programming glob matcher written here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmdline.h"

#define REFERENCE_MAX 64	/* longest pattern/name compared with the reference */

static void require(bool cond)
{
	if (!cond)
		abort();
}

static void count_warning(void *ctx, const char *message)
{
	/* The message buffer is 128 bytes: strlen runs off it unless the
	 * message is terminated inside, and ASan would say so. */
	require(message[0] && strlen(message) < 128);
	++*(int *)ctx;
}

/* Does name match the len bytes of pat ('*' any run, '?' any one)? */
static bool reference_glob(const char *pat, size_t len, const char *name)
{
	size_t n = strlen(name);
	bool row[REFERENCE_MAX + 1], next[REFERENCE_MAX + 1];

	/* row[j]: does pat[0..i) match name[0..j)? */
	row[0] = true;
	for (size_t j = 1; j <= n; j++)
		row[j] = false;
	for (size_t i = 0; i < len; i++) {
		next[0] = row[0] && pat[i] == '*';
		for (size_t j = 1; j <= n; j++) {
			if (pat[i] == '*')
				next[j] = row[j] || next[j - 1];
			else
				next[j] = row[j - 1] && (pat[i] == '?' || pat[i] == name[j - 1]);
		}
		memcpy(row, next, sizeof(row));
	}
	return row[n];
}

/* The rule, stated plainly: some pattern includes the name and no
 * "-pattern" excludes it. */
static bool reference_match(const char *patterns, const char *name)
{
	bool included = false, excluded = false;

	for (const char *p = patterns;; ) {
		size_t len = strcspn(p, ",");

		if (len > 1 && p[0] == '-')
			excluded |= reference_glob(p + 1, len - 1, name);
		else if (len)
			included |= reference_glob(p, len, name);
		if (!p[len])
			break;
		p += len + 1;
	}
	return included && !excluded;
}

static void check_terminated(const char *field)
{
	require(memchr(field, '\0', CMDLINE_VALUE_MAX) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct boot_options opts;
	int warnings = 0;

	memcpy(text, data, size);
	text[size] = '\0';

	int count = cmdline_parse(text, &opts, count_warning, &warnings);

	require(count == warnings && count >= 0);
	check_terminated(opts.test);
	check_terminated(opts.bench);
	check_terminated(opts.crash);
	check_terminated(opts.init);
	check_terminated(opts.args);
	check_terminated(opts.acpi);

	const char *patterns = text;
	size_t patterns_len = strlen(text);
	const char *name = patterns_len < size ? text + patterns_len + 1 : "";
	bool match = cmdline_pattern_match(patterns, name);

	if (patterns_len <= REFERENCE_MAX && strlen(name) <= REFERENCE_MAX)
		require(match == reference_match(patterns, name));
	free(text);
	return 0;
}
