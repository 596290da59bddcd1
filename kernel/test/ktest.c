/* The kernel test runner (see ktest.h for the serial protocol). */
#include "test/ktest.h"

#include <stdarg.h>

#include "cpu_locals/cpu_locals.h"
#include "dev/qemu_exit.h"
#include "lib/cmdline.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/format.h"
#include "smp/ipi.h"
#include "smp/smp.h"
#include "smp/spinlock.h"

extern const struct ktest __ktests_start[];
extern const struct ktest __ktests_end[];

#define REASON_MAX 200

enum outcome { OUTCOME_OK, OUTCOME_FAIL, OUTCOME_SKIP };

#define BARRIER_SPIN_LIMIT 200000000u

/*
 * The running test's state. Tests run one at a time, in one kernel thread
 * that may run on any core, but a test may fail on several cores at once:
 * outcome_lock guards outcome and reason, and keeps the first failure
 * whole.
 */
static enum outcome outcome;
static char reason[REASON_MAX];
static struct spinlock outcome_lock = SPINLOCK_INIT("ktest outcome");

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	spin_lock(&outcome_lock);
	if (outcome != OUTCOME_FAIL) {
		int n = ksnprintf(reason, sizeof(reason), "cpu %u: %s:%d: ", cpu_id(), file, line);

		va_start(ap, fmt);
		if (n >= 0 && (size_t)n < sizeof(reason))
			kvsnprintf(reason + n, sizeof(reason) - (size_t)n, fmt, ap);
		va_end(ap);
		outcome = OUTCOME_FAIL;
	}
	spin_unlock(&outcome_lock);
}

/* A failure recorded before stays: skipping must not hide it. */
void ktest_skip(const char *fmt, ...)
{
	va_list ap;

	spin_lock(&outcome_lock);
	if (outcome != OUTCOME_FAIL) {
		va_start(ap, fmt);
		kvsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
		outcome = OUTCOME_SKIP;
	}
	spin_unlock(&outcome_lock);
}

static void call_test_fn(void *fn)
{
	((void (*)(void))fn)();
}

void ktest_on_each_cpu(void (*fn)(void))
{
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu_is_online(cpu))
			smp_call(cpu, call_test_fn, (void *)fn, true);
}

bool ktest_barrier_wait(struct ktest_barrier *b, unsigned n)
{
	unsigned gen = __atomic_load_n(&b->generation, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == n) {
		__atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
		__atomic_add_fetch(&b->generation, 1, __ATOMIC_RELEASE);
		return true;
	}
	for (uint32_t spins = 0; spins < BARRIER_SPIN_LIMIT; spins++) {
		if (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) != gen)
			return true;
		cpu_relax();
	}
	ktest_fail(__FILE__, __LINE__, "barrier: only %u of %u cores arrived",
		   __atomic_load_n(&b->arrived, __ATOMIC_RELAXED), n);
	return false;
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
		/* Tests run like ordinary kernel code: interruptible, no lock held;
		 * and they must leave it so. */
		sti();
		t->fn();
		if (!interrupts_enabled())
			ktest_fail(__FILE__, __LINE__, "the test left interrupts disabled");
		spin_assert_none_held("a test returned");
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
