/*
 * Kernel tests. Each test is a function placed in the .ktests section by
 * KTEST; the command line's test=PATTERN selects which run. Results go to
 * the serial port in the protocol tests/run.py reads:
 *
 *	RUN <name>
 *	TEST <name> ok | TEST <name> FAIL <why> | TEST <name> skip <why>
 *	TESTS DONE passed=N failed=M skipped=K
 *
 *	KTEST(mm, frame_alloc_all)	-> test "mm.frame_alloc_all"
 *	{
 *		KT_ASSERT(frames_free() > 0);
 *		KT_ASSERT_EQ(a, b);
 *	}
 *
 * KT_ASSERT* return from the test function on failure; helpers called by
 * a test return bool and use KT_CHECK, which only records.
 */
#ifndef LOCUS_TEST_KTEST_H
#define LOCUS_TEST_KTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"

struct ktest {
	const char *name;
	void (*fn)(void);
};

/* Each descriptor gets a section named after the test; linker.ld sorts
 * them, so tests run in name order. */
#define KTEST(group, test)                                                         \
	static void ktest_##group##_##test(void);                                  \
	static const struct ktest ktest_desc_##group##_##test                      \
		__section(".ktests." #group "." #test) __used __aligned(4) = {     \
			#group "." #test, ktest_##group##_##test };                 \
	static void ktest_##group##_##test(void)

/* Records a failure of the running test (the first one is reported). */
void ktest_fail(const char *file, int line, const char *fmt, ...) __printf_like(3, 4);
/* Marks the running test skipped, with a reason. */
void ktest_skip(const char *fmt, ...) __printf_like(1, 2);

#define KT_CHECK(cond)                                                   \
	({                                                               \
		bool ok__ = (cond);                                      \
		if (!ok__)                                               \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);     \
		ok__;                                                    \
	})

#define KT_CHECK_EQ(a, b)                                                                \
	({                                                                               \
		long long a__ = (long long)(a), b__ = (long long)(b);                    \
		bool ok__ = a__ == b__;                                                  \
		if (!ok__)                                                               \
			ktest_fail(__FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx (%lld != %lld)", \
				   #a, #b, a__, b__, a__, b__);                          \
		ok__;                                                                    \
	})

#define KT_ASSERT(cond)            \
	do {                       \
		if (!KT_CHECK(cond)) \
			return;    \
	} while (0)

#define KT_ASSERT_EQ(a, b)            \
	do {                          \
		if (!KT_CHECK_EQ(a, b)) \
			return;       \
	} while (0)

/* Runs the selected tests, prints the summary and exits QEMU. */
__noreturn void ktest_run(const char *patterns);

/*
 * Runs fn on every online core, one core after the other (on each, in an
 * IPI with interrupts off); failures it records name the core.
 */
void ktest_on_each_cpu(void (*fn)(void));

/*
 * A barrier for n cores running concurrently (for instance through
 * smp_call_many). The wait is bounded: returns false, and fails the test,
 * if the others do not all arrive.
 */
struct ktest_barrier {
	unsigned arrived;
	unsigned generation;
};
bool ktest_barrier_wait(struct ktest_barrier *b, unsigned n);

#endif
