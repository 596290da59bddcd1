// host-test-sources: kernel/lib/format.c
/* The kernel's printf formatter, checked against expected strings. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lib/format.h"

static char buf[256];

/* ksnprintf without the format attribute, for deliberately odd formats. */
static int unchecked(char *b, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(b, size, fmt, ap);
	va_end(ap);
	return n;
}

#define FMT(expected, ...)                                         \
	do {                                                       \
		int n__ = ksnprintf(buf, sizeof(buf), __VA_ARGS__); \
		CHECK_STR(buf, expected);                          \
		CHECK_EQ(n__, (int)strlen(expected));              \
	} while (0)

HOST_TEST(decimal)
{
	FMT("0 -1 2147483647 -2147483648", "%d %d %d %d", 0, -1, 2147483647, (int)-2147483648LL);
	FMT("4294967295", "%u", 4294967295u);
	FMT("+5 -5  5", "%+d %+d % d", 5, -5, 5);
}

HOST_TEST(hex_and_octal)
{
	FMT("ff FF 0 deadbeef", "%x %X %x %x", 255, 255, 0, 0xdeadbeefu);
	FMT("17", "%o", 15);
}

HOST_TEST(widths_and_padding)
{
	FMT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	FMT("-0042", "%05d", -42);
	FMT("  -42", "%5d", -42);
	FMT("0000beef", "%08x", 0xbeef);
	FMT("   ab", "%*s", 5, "ab");
	FMT("ab   |", "%-*s|", 5, "ab");
}

HOST_TEST(precision)
{
	FMT("00042", "%.5d", 42);
	FMT("", "%.0d", 0);
	FMT("abc", "%.3s", "abcdef");
	FMT("ab", "%.*s", 2, "abcdef");
}

HOST_TEST(sixty_four_bit)
{
	FMT("18446744073709551615", "%llu", 18446744073709551615ull);
	FMT("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ull);
	FMT("4294967296", "%llu", 4294967296ull);
}

HOST_TEST(length_modifiers)
{
	FMT("255 65535", "%hhu %hu", 0x1ff, 0x1ffff);
	FMT("-1", "%hhd", 255);
	FMT("123", "%zu", (size_t)123);
	FMT("7", "%ld", 7L);
}

HOST_TEST(pointers_strings_chars)
{
	char expect[32];

	snprintf(expect, sizeof(expect), "0x%0*lx", (int)(2 * sizeof(void *)), 0x1234ul);
	FMT(expect, "%p", (void *)0x1234);
	unchecked(buf, sizeof(buf), "%s", (char *)NULL);
	CHECK_STR(buf, "(null)");
	FMT("a|  b|c  |%", "%c|%3c|%-3c|%%", 'a', 'b', 'c');
}

HOST_TEST(unknown_and_truncated)
{
	CHECK_EQ(unchecked(buf, sizeof(buf), "%q"), 2);
	CHECK_STR(buf, "%q");
	CHECK_EQ(unchecked(buf, sizeof(buf), "end%"), 4);
	CHECK_STR(buf, "end%");
	int n = ksnprintf(buf, 4, "%s", "abcdef");

	CHECK_STR(buf, "abc");
	CHECK_EQ(n, 6);
	n = ksnprintf(buf, 0, "%d", 12345);
	CHECK_EQ(n, 5);
}
