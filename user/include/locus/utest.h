/*
 * Checks for user test programs: a failed check prints its condition and
 * place and is counted; the program exits with the number of failures,
 * which the kernel test that spawned it checks.
 */
#ifndef LOCUS_USER_UTEST_H
#define LOCUS_USER_UTEST_H

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

#endif
