/* The kernel test runner (see ktest.h for the serial protocol). */
#include "test/ktest.h"

#include <stdarg.h>

#include "dev/qemu_exit.h"
#include "lib/cmdline.h"
#include "lib/console.h"
#include "lib/format.h"

extern const struct ktest __ktests_start[];
extern const struct ktest __ktests_end[];

#define REASON_MAX 200

enum outcome { OUTCOME_OK, OUTCOME_FAIL, OUTCOME_SKIP };

/* The running test's state: tests run one at a time on the boot core. */
static enum outcome outcome;
static char reason[REASON_MAX];

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	if (outcome == OUTCOME_FAIL)
		return;
	va_list ap;
	int n = ksnprintf(reason, sizeof(reason), "%s:%d: ", file, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(reason))
		kvsnprintf(reason + n, sizeof(reason) - (size_t)n, fmt, ap);
	va_end(ap);
	outcome = OUTCOME_FAIL;
}

void ktest_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	outcome = OUTCOME_SKIP;
}

bool ktest_failed(void)
{
	return outcome == OUTCOME_FAIL;
}

void ktest_run(const char *patterns)
{
	unsigned passed = 0, failed = 0, skipped = 0;

	for (const struct ktest *t = __ktests_start; t < __ktests_end; t++) {
		if (!cmdline_pattern_match(patterns, t->name))
			continue;
		kprintf("RUN %s\n", t->name);
		outcome = OUTCOME_OK;
		reason[0] = '\0';
		t->fn();
		switch (outcome) {
		case OUTCOME_OK:
			kprintf("TEST %s ok\n", t->name);
			passed++;
			break;
		case OUTCOME_FAIL:
			kprintf("TEST %s FAIL %s\n", t->name, reason);
			failed++;
			break;
		case OUTCOME_SKIP:
			kprintf("TEST %s skip %s\n", t->name, reason);
			skipped++;
			break;
		}
	}
	kprintf("TESTS DONE passed=%u failed=%u skipped=%u\n", passed, failed, skipped);
	qemu_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}
