/* The host test harness: runs every registered test, reports each. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_TESTS 256

struct host_test {
	char name[128];
	void (*fn)(void);
};

static struct host_test tests[MAX_TESTS];
static int test_count;
static bool current_failed;
static char current_reason[512];

void host_test_register(const char *file, const char *name, void (*fn)(void))
{
	const char *base = strrchr(file, '/');
	char suite[64];

	base = base ? base + 1 : file;
	snprintf(suite, sizeof(suite), "%s", base);
	char *suffix = strstr(suite, "_test.c");

	if (suffix)
		*suffix = '\0';
	if (test_count < MAX_TESTS) {
		snprintf(tests[test_count].name, sizeof(tests[test_count].name), "host.%s.%s",
			 suite, name);
		tests[test_count].fn = fn;
		test_count++;
	}
}

void host_test_fail(const char *file, int line, const char *fmt, ...)
{
	if (current_failed)
		return;
	va_list ap;
	int n = snprintf(current_reason, sizeof(current_reason), "%s:%d: ", file, line);

	va_start(ap, fmt);
	vsnprintf(current_reason + n, sizeof(current_reason) - (size_t)n, fmt, ap);
	va_end(ap);
	current_failed = true;
}

int main(void)
{
	int failed = 0;

	/* Line-buffered, so a crash in a test still shows which one ran. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < test_count; i++) {
		printf("RUN %s\n", tests[i].name);
		current_failed = false;
		tests[i].fn();
		if (current_failed) {
			printf("TEST %s FAIL %s\n", tests[i].name, current_reason);
			failed++;
		} else {
			printf("TEST %s ok\n", tests[i].name);
		}
	}
	return failed ? 1 : 0;
}
