/*
 * strtol and strtoul: [spaces][sign][0x or 0]digits in bases 2..36, or
 * base 0 to take the base from the prefix (0x: 16, 0: 8, else 10).
 *
 * Both share one parser that accumulates the magnitude as an unsigned
 * long and notes when it no longer fits; each then decides what its own
 * type can hold. Digits keep being consumed after an overflow, so
 * *endptr always points just past the number.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

#include "libc_names.h"

struct number {
	unsigned long magnitude;
	bool negative;
	bool overflow;		/* magnitude > ULONG_MAX: it holds ULONG_MAX */
};

/* 0..35 for 0-9, a-z, A-Z; 36 (too big for any base) otherwise. */
static int digit_value(int c)
{
	if (LIBC_NAME(isdigit)(c))
		return c - '0';
	if (LIBC_NAME(isalpha)(c))
		return LIBC_NAME(tolower)(c) - 'a' + 10;
	return 36;
}

/* Returns where the number ends, or nptr when there are no digits. */
static const char *parse(const char *nptr, int base, struct number *n)
{
	const unsigned char *s = (const unsigned char *)nptr;

	n->magnitude = 0;
	n->negative = false;
	n->overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return nptr;
	}
	while (LIBC_NAME(isspace)(*s))
		s++;
	if (*s == '+' || *s == '-')
		n->negative = *s++ == '-';
	/* "0x" is a prefix only when a hex digit follows: in "0xg" the
	 * number is the 0 and the x is where it ends. */
	if ((base == 0 || base == 16) && s[0] == '0' && LIBC_NAME(tolower)(s[1]) == 'x' &&
	    LIBC_NAME(isxdigit)(s[2])) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}

	const unsigned char *digits = s;
	unsigned long limit = ULONG_MAX / (unsigned long)base;
	int last = (int)(ULONG_MAX % (unsigned long)base);

	for (int d; (d = digit_value(*s)) < base; s++) {
		if (n->overflow)
			continue;
		if (n->magnitude > limit || (n->magnitude == limit && d > last)) {
			n->overflow = true;
			n->magnitude = ULONG_MAX;
		} else {
			n->magnitude = n->magnitude * (unsigned long)base + (unsigned long)d;
		}
	}
	return s == digits ? nptr : (const char *)s;
}

long LIBC_NAME(strtol)(const char *nptr, char **endptr, int base)
{
	struct number n;
	const char *end = parse(nptr, base, &n);
	/* -LONG_MIN does not fit a long, but does fit the unsigned magnitude. */
	unsigned long max = n.negative ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;

	if (endptr)
		*endptr = (char *)end;
	if (n.overflow || n.magnitude > max) {
		errno = ERANGE;
		return n.negative ? LONG_MIN : LONG_MAX;
	}
	if (n.negative)	/* written so that LONG_MIN never overflows */
		return n.magnitude ? -(long)(n.magnitude - 1) - 1 : 0;
	return (long)n.magnitude;
}

/* As in C: "-1" is ULONG_MAX (the negation is done in unsigned long). */
unsigned long LIBC_NAME(strtoul)(const char *nptr, char **endptr, int base)
{
	struct number n;
	const char *end = parse(nptr, base, &n);

	if (endptr)
		*endptr = (char *)end;
	if (n.overflow) {
		errno = ERANGE;
		return ULONG_MAX;
	}
	return n.negative ? -n.magnitude : n.magnitude;
}

int LIBC_NAME(atoi)(const char *s)
{
	return (int)LIBC_NAME(strtol)(s, NULL, 10);
}

long LIBC_NAME(atol)(const char *s)
{
	return LIBC_NAME(strtol)(s, NULL, 10);
}
