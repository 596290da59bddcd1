/*
 * A tiny unit-test harness for host tests of the kernel's pure logic.
 * Each HOST_TEST becomes "host.<file>.<name>" in the TEST protocol.
 *
 *	HOST_TEST(parses_flags)
 *	{
 *		CHECK(x == 1);
 *		CHECK_EQ(a, b);
 *		CHECK_STR(s, "expected");
 *	}
 */
#ifndef LOCUS_TESTS_HOST_CHECK_H
#define LOCUS_TESTS_HOST_CHECK_H

#include <stdbool.h>

void host_test_register(const char *file, const char *name, void (*fn)(void));
void host_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define HOST_TEST(name)                                                        \
	static void name(void);                                                \
	__attribute__((constructor)) static void register_##name(void)         \
	{                                                                      \
		host_test_register(__FILE__, #name, name);                     \
	}                                                                      \
	static void name(void)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			host_test_fail(__FILE__, __LINE__, "%s", #cond);   \
	} while (0)

#define CHECK_EQ(a, b)                                                                  \
	do {                                                                            \
		long long a__ = (long long)(a), b__ = (long long)(b);                   \
		if (a__ != b__)                                                         \
			host_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, \
				       a__, b__);                                       \
	} while (0)

#define CHECK_STR(a, b)                                                              \
	do {                                                                         \
		const char *a__ = (a), *b__ = (b);                                   \
		if (strcmp(a__, b__) != 0)                                           \
			host_test_fail(__FILE__, __LINE__, "%s: \"%s\" != \"%s\"", #a, a__, \
				       b__);                                         \
	} while (0)

#endif
