// host-test-sources: kernel/lib/cmdline.c kernel/lib/format.c
/* The kernel command-line parser and its pattern matching. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lib/cmdline.h"

static int warnings;
static char last_warning[256];

static void record(void *ctx, const char *msg)
{
	(void)ctx;
	warnings++;
	snprintf(last_warning, sizeof(last_warning), "%s", msg);
}

static int parse(const char *line, struct boot_options *o)
{
	warnings = 0;
	last_warning[0] = 0;
	return cmdline_parse(line, o, record, NULL);
}

HOST_TEST(defaults)
{
	struct boot_options o;

	CHECK_EQ(parse("", &o), 0);
	CHECK_STR(o.test, "");
	CHECK_STR(o.init, "init");
	CHECK(!o.trace && !o.quiet);
}

HOST_TEST(values_and_flags)
{
	struct boot_options o;

	CHECK_EQ(parse("/boot/locus.elf test=mm.*,trap.* trace  bench=ipc quiet", &o), 0);
	CHECK_STR(o.test, "mm.*,trap.*");
	CHECK_STR(o.bench, "ipc");
	CHECK(o.trace);
	CHECK(o.quiet);
}

HOST_TEST(unknown_option_warns_and_continues)
{
	struct boot_options o;

	CHECK_EQ(parse("frobnicate=3 test=x", &o), 1);
	CHECK(strstr(last_warning, "frobnicate") != NULL);
	CHECK_STR(o.test, "x");
}

HOST_TEST(malformed_options_warn)
{
	struct boot_options o;

	CHECK_EQ(parse("trace=yes test", &o), 2);
	CHECK(!o.trace);
	CHECK_STR(o.test, "");
	CHECK_EQ(parse("=x", &o), 1);
}

HOST_TEST(overlong_value_is_refused)
{
	struct boot_options o;
	char line[400] = "test=";

	memset(line + 5, 'a', 300);
	line[305] = 0;
	CHECK_EQ(parse(line, &o), 1);
	CHECK_STR(o.test, "");
	CHECK(strstr(last_warning, "too long") != NULL);
}

HOST_TEST(path_only_skipped_first)
{
	struct boot_options o;

	CHECK_EQ(parse("/kernel /other", &o), 1);
}

HOST_TEST(pattern_matching)
{
	CHECK(cmdline_pattern_match("*", "mm.frame"));
	CHECK(cmdline_pattern_match("mm.*", "mm.frame"));
	CHECK(!cmdline_pattern_match("mm.*", "trap.divide"));
	CHECK(cmdline_pattern_match("trap.*,mm.fr?me", "mm.frame"));
	CHECK(cmdline_pattern_match("*divide*", "trap.divide_error"));
	CHECK(!cmdline_pattern_match("", "anything"));
	CHECK(!cmdline_pattern_match("mm", "mm.frame"));
	CHECK(cmdline_pattern_match("a*b*c", "aXXbYYc"));
	CHECK(!cmdline_pattern_match("a*b*c", "aXXbYY"));
	CHECK(cmdline_pattern_match(",,mm.*", "mm.x"));
	/* A '*' in the name must not use up the pattern's wildcard (found by
	 * the fuzzer). */
	CHECK(cmdline_pattern_match("*me*", "a*me*,b"));
	/* Exclusions win, wherever they stand. */
	CHECK(!cmdline_pattern_match("*,-ipc_input.*", "ipc_input.com1"));
	CHECK(cmdline_pattern_match("*,-ipc_input.*", "ipc.pingpong"));
	CHECK(!cmdline_pattern_match("-mm.*,mm.*", "mm.frame"));
	CHECK(!cmdline_pattern_match("-mm.*", "trap.x"));
}
