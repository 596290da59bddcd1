/*
 * ASCII character classes. Every test first rejects anything outside
 * 0..127, which covers EOF (-1) and the upper half of unsigned char
 * (no locale gives those bytes a meaning here).
 */
#include <ctype.h>

#include "libc_names.h"

static int in_range(int c, int lo, int hi)
{
	return c >= lo && c <= hi;
}

int LIBC_NAME(isupper)(int c)
{
	return in_range(c, 'A', 'Z');
}

int LIBC_NAME(islower)(int c)
{
	return in_range(c, 'a', 'z');
}

int LIBC_NAME(isalpha)(int c)
{
	return LIBC_NAME(isupper)(c) || LIBC_NAME(islower)(c);
}

int LIBC_NAME(isdigit)(int c)
{
	return in_range(c, '0', '9');
}

int LIBC_NAME(isalnum)(int c)
{
	return LIBC_NAME(isalpha)(c) || LIBC_NAME(isdigit)(c);
}

int LIBC_NAME(isxdigit)(int c)
{
	return LIBC_NAME(isdigit)(c) || in_range(c, 'a', 'f') || in_range(c, 'A', 'F');
}

/* Space, and \t \n \v \f \r, which are consecutive. */
int LIBC_NAME(isspace)(int c)
{
	return c == ' ' || in_range(c, '\t', '\r');
}

/* Everything from space to tilde; below is control, 127 is DEL. */
int LIBC_NAME(isprint)(int c)
{
	return in_range(c, ' ', '~');
}

int LIBC_NAME(iscntrl)(int c)
{
	return in_range(c, 0, 0x1f) || c == 0x7f;
}

int LIBC_NAME(ispunct)(int c)
{
	return LIBC_NAME(isprint)(c) && c != ' ' && !LIBC_NAME(isalnum)(c);
}

/* The cases differ in one bit: 'a' - 'A' == 0x20. */
int LIBC_NAME(toupper)(int c)
{
	return LIBC_NAME(islower)(c) ? c - ('a' - 'A') : c;
}

int LIBC_NAME(tolower)(int c)
{
	return LIBC_NAME(isupper)(c) ? c + ('a' - 'A') : c;
}
