/*
 * Limits of the integer types on i386 (ILP32: int, long and pointers are
 * 32 bits, long long is 64). Spelled with the compiler's own predefined
 * values, so they cannot disagree with what it actually does.
 */
#ifndef LOCUS_USER_LIMITS_H
#define LOCUS_USER_LIMITS_H

#define CHAR_BIT __CHAR_BIT__			/* 8 */

#define SCHAR_MAX __SCHAR_MAX__			/* 127 */
#define SCHAR_MIN (-SCHAR_MAX - 1)
#define UCHAR_MAX (SCHAR_MAX * 2 + 1)		/* 255 */
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN 0
#define CHAR_MAX UCHAR_MAX
#else						/* plain char is signed on i386 */
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#endif

#define SHRT_MAX __SHRT_MAX__			/* 32767 */
#define SHRT_MIN (-SHRT_MAX - 1)
#define USHRT_MAX (SHRT_MAX * 2 + 1)		/* 65535 */

#define INT_MAX __INT_MAX__			/* 2147483647 */
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1U)		/* 4294967295 */

#define LONG_MAX __LONG_MAX__			/* 2147483647 on i386 */
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)

#define LLONG_MAX __LONG_LONG_MAX__		/* 9223372036854775807 */
#define LLONG_MIN (-LLONG_MAX - 1LL)
#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)

#define SSIZE_MAX __PTRDIFF_MAX__		/* ssize_t is ptrdiff_t-sized */

#endif
