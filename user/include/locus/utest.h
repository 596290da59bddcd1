/*
 * Checks for user test programs: a failed check prints its condition and
 * place and is counted; the program exits with the number of failures,
 * which the kernel test that spawned it checks.
 */
#ifndef LOCUS_USER_UTEST_H
#define LOCUS_USER_UTEST_H

#include <stdbool.h>
#include <stdio.h>

extern int utest_failures;

#define UCHECK(cond)                                                                 \
	do {                                                                         \
		if (!(cond)) {                                                       \
			printf("  check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			__atomic_add_fetch(&utest_failures, 1, __ATOMIC_RELAXED);    \
		}                                                                    \
	} while (0)

#define UCHECK_EQ(a, b)                                                                    \
	do {                                                                               \
		long long a__ = (long long)(a), b__ = (long long)(b);                      \
		if (a__ != b__) {                                                          \
			printf("  check failed: %s == %s: %lld != %lld (%s:%d)\n", #a, #b, a__, \
			       b__, __FILE__, __LINE__);                                   \
			__atomic_add_fetch(&utest_failures, 1, __ATOMIC_RELAXED);          \
		}                                                                          \
	} while (0)

/*
 * Waits until another thread has published its thread_self() in *tid
 * and then blocks, polling the kernel's list of threads a millisecond
 * apart; false if that has not happened within max_ms. For a test that
 * must know a thread has reached its wait before it goes on, where a
 * fixed sleep would only make that likely.
 */
bool utest_wait_until_blocked(const volatile int *tid, unsigned max_ms);

#endif
