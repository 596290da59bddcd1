// host-test-sources: user/lib/ctype.c user/lib/strtol.c user/lib/qsort.c user/lib/bsearch.c user/lib/malloc.c
/*
 * The user C library's pure logic, against the host's C library: ctype,
 * strtol/strtoul, qsort and bsearch must agree with it; malloc (on host
 * pages from mmap) must keep contents, alignment and its error rules.
 * Our functions carry the prefix locus_ here (user/lib/libc_names.h).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "lib/compiler.h"
#include "user/lib/libc_names.h"

/* A small deterministic generator, so failures repeat. */
static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return rng_state >> 8;
}

/* ---- ctype ---- */

HOST_TEST(ctype_matches_host_for_eof_and_every_byte)
{
	static const struct {
		const char *name;
		int (*ours)(int);
		int (*host)(int);
	} fns[] = {
		{ "isalpha", locus_isalpha, isalpha },	   { "isdigit", locus_isdigit, isdigit },
		{ "isalnum", locus_isalnum, isalnum },	   { "isspace", locus_isspace, isspace },
		{ "isupper", locus_isupper, isupper },	   { "islower", locus_islower, islower },
		{ "isxdigit", locus_isxdigit, isxdigit }, { "isprint", locus_isprint, isprint },
		{ "ispunct", locus_ispunct, ispunct },	   { "iscntrl", locus_iscntrl, iscntrl },
	};

	/* The host program runs in the "C" locale: ASCII, like ours. */
	for (int c = EOF; c <= UCHAR_MAX; c++) {
		for (size_t f = 0; f < sizeof(fns) / sizeof(fns[0]); f++)
			if (!fns[f].ours(c) != !fns[f].host(c))
				host_test_fail(__FILE__, __LINE__, "%s(%d): %d, host %d", fns[f].name,
					       c, fns[f].ours(c), fns[f].host(c));
		if (locus_toupper(c) != toupper(c) || locus_tolower(c) != tolower(c))
			host_test_fail(__FILE__, __LINE__, "toupper/tolower(%d)", c);
	}
}

/* ---- strtol, strtoul ---- */

static const char *const number_cases[] = {
	"", " ", "+", "-", "+-5", "- 5", "0", "-0", "+0", "00", "7", "-7", "  42", "\t\n\v\f\r 12",
	"42abc", "077", "08", "09", "0x", "0X", "0x1g", "0xg", "0x1A", "0XfF", "-0x80", " +0x7f",
	"0b101", "1e5", "z", "Zz", "zz", "-zz", "123456789", "2147483647", "2147483648",
	"-2147483648", "-2147483649", "4294967295", "4294967296", "-4294967295",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616", "99999999999999999999999999x",
	"0xFFFFFFFFFFFFFFFF", "0x10000000000000000", "-0x8000000000000000", "0x7fffffffffffffff",
	"01777777777777777777777", "02000000000000000000000", "3w5e11264sgsf", "3w5e11264sgsg",
	"1111111111111111111111111111111111111111111111111111111111111111",
	"11111111111111111111111111111111111111111111111111111111111111111",
};

static const int bases[] = { 0, 2, 3, 8, 10, 16, 35, 36 };

/* Ours against the host's for one input: value, end and errno. */
static void compare_strtol(const char *s, int base)
{
	char *end_ours, *end_host;

	errno = 0;
	long ours = locus_strtol(s, &end_ours, base);
	int errno_ours = errno;

	errno = 0;
	long host = strtol(s, &end_host, base);
	int errno_host = errno;

	if (ours != host || end_ours != end_host || errno_ours != errno_host)
		host_test_fail(__FILE__, __LINE__,
			       "strtol(\"%s\", %d): %ld end +%td errno %d; host %ld end +%td errno %d",
			       s, base, ours, end_ours - s, errno_ours, host, end_host - s,
			       errno_host);

	errno = 0;
	unsigned long uours = locus_strtoul(s, &end_ours, base);

	errno_ours = errno;
	errno = 0;
	unsigned long uhost = strtoul(s, &end_host, base);

	errno_host = errno;
	if (uours != uhost || end_ours != end_host || errno_ours != errno_host)
		host_test_fail(__FILE__, __LINE__,
			       "strtoul(\"%s\", %d): %lu end +%td errno %d; host %lu end +%td errno %d",
			       s, base, uours, end_ours - s, errno_ours, uhost, end_host - s,
			       errno_host);
}

HOST_TEST(strtol_matches_host_on_edge_cases)
{
	for (size_t i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
			compare_strtol(number_cases[i], bases[b]);
}

HOST_TEST(strtol_matches_host_on_random_text)
{
	static const char alphabet[] = "0000111789aAbBfFgxXzZ +-\t";
	char s[40];

	rng_state = 1;
	for (int i = 0; i < 100000; i++) {
		size_t len = rng() % (sizeof(s) - 1);

		for (size_t j = 0; j < len; j++)
			s[j] = alphabet[rng() % (sizeof(alphabet) - 1)];
		s[len] = '\0';
		compare_strtol(s, bases[rng() % (sizeof(bases) / sizeof(bases[0]))]);
		compare_strtol(s, (int)(rng() % 35) + 2);
	}
}

HOST_TEST(strtol_rejects_bad_bases)
{
	static const int bad[] = { -1, 1, 37, 100 };
	const char *s = "123";

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *end = NULL;

		errno = 0;
		CHECK_EQ(locus_strtol(s, &end, bad[i]), 0);
		CHECK_EQ(errno, EINVAL);
		CHECK(end == s);
		errno = 0;
		CHECK_EQ(locus_strtoul(s, &end, bad[i]), 0);
		CHECK_EQ(errno, EINVAL);
	}
}

HOST_TEST(atoi_and_atol)
{
	CHECK_EQ(locus_atoi("  -123xyz"), -123);
	CHECK_EQ(locus_atoi("+7"), 7);
	CHECK_EQ(locus_atoi("abc"), 0);
	CHECK_EQ(locus_atol("2147483647"), 2147483647L);
	CHECK_EQ(locus_atol("-9223372036854775808"), LONG_MIN);
	CHECK_EQ(locus_strtol("12", NULL, 10), 12);	/* endptr may be NULL */
}

/* ---- qsort, bsearch ---- */

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* An element whose size is not a multiple of any word. */
struct record {
	unsigned char key;
	char tag[6];
};

static int compare_keys(const void *a, const void *b)
{
	return ((const struct record *)a)->key - ((const struct record *)b)->key;
}

static int compare_records(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct record));
}

static void check_sorts_ints(int *a, size_t n)
{
	int *expect = malloc((n + 1) * sizeof(int));

	memcpy(expect, a, n * sizeof(int));
	qsort(expect, n, sizeof(int), compare_ints);
	locus_qsort(a, n, sizeof(int), compare_ints);
	/* Equal ints are indistinguishable, so an unstable sort of a
	 * permutation must give exactly the host's result. */
	if (n && memcmp(a, expect, n * sizeof(int)) != 0)
		host_test_fail(__FILE__, __LINE__, "qsort of %zu ints differs from the host's", n);
	free(expect);
}

HOST_TEST(qsort_sorts_ints_of_every_shape)
{
	int a[300];

	rng_state = 2;
	for (size_t n = 0; n <= 300; n += n < 20 ? 1 : 17) {
		for (size_t i = 0; i < n; i++)
			a[i] = (int)rng() - (1 << 23);
		check_sorts_ints(a, n);
		for (size_t i = 0; i < n; i++)	/* many duplicates */
			a[i] = (int)(rng() % 4);
		check_sorts_ints(a, n);
		for (size_t i = 0; i < n; i++)	/* already sorted */
			a[i] = (int)i;
		check_sorts_ints(a, n);
		for (size_t i = 0; i < n; i++)	/* reversed */
			a[i] = (int)(n - i);
		check_sorts_ints(a, n);
		a[0] = INT_MIN;
		if (n > 1)
			a[n - 1] = INT_MAX;
		check_sorts_ints(a, n);
	}
}

HOST_TEST(qsort_sorts_odd_sized_records_as_a_permutation)
{
	struct record r[500], expect[500];

	rng_state = 3;
	for (size_t i = 0; i < 500; i++) {
		r[i].key = (unsigned char)(rng() % 50);
		snprintf(r[i].tag, sizeof(r[i].tag), "%05zu", i);
	}
	memcpy(expect, r, sizeof(r));
	locus_qsort(r, 500, sizeof(r[0]), compare_keys);
	for (size_t i = 1; i < 500; i++)
		CHECK(r[i - 1].key <= r[i].key);
	/* Same multiset: both, fully ordered, must be equal. */
	qsort(r, 500, sizeof(r[0]), compare_records);
	qsort(expect, 500, sizeof(expect[0]), compare_records);
	CHECK(memcmp(r, expect, sizeof(r)) == 0);
	locus_qsort(r, 0, sizeof(r[0]), compare_keys);	/* nothing to do */
	locus_qsort(NULL, 0, sizeof(r[0]), compare_keys);
}

HOST_TEST(bsearch_finds_what_the_host_finds)
{
	int a[101];

	for (int i = 0; i < 101; i++)
		a[i] = 2 * i;
	for (size_t n = 0; n <= 101; n++)
		for (int key = -2; key <= 204; key++)
			if (locus_bsearch(&key, a, n, sizeof(int), compare_ints) !=
			    bsearch(&key, a, n, sizeof(int), compare_ints))
				host_test_fail(__FILE__, __LINE__, "bsearch(%d) in %zu", key, n);
}

/* ---- malloc ---- */

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static bool filled(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return false;
	return true;
}

HOST_TEST(malloc_aligns_every_size)
{
	void *p[600];
	size_t n = 0;

	for (size_t size = 0; size <= 9000; size += size < 300 ? 1 : 97) {
		p[n] = locus_malloc(size);
		CHECK(p[n] != NULL);
		CHECK_EQ((uintptr_t)p[n] % 16, 0);
		fill(p[n], size, (unsigned)size);
		n++;
	}
	n = 0;
	for (size_t size = 0; size <= 9000; size += size < 300 ? 1 : 97) {
		CHECK(filled(p[n], size, (unsigned)size));
		locus_free(p[n++]);
	}
	locus_free(NULL);
}

HOST_TEST(malloc_random_alloc_free_realloc_keep_contents)
{
	enum { SLOTS = 256 };
	static unsigned char *p[SLOTS];
	static size_t size[SLOTS];

	rng_state = 4;
	for (int step = 0; step < 40000; step++) {
		unsigned i = rng() % SLOTS;
		/* Mostly small, sometimes up to 256 KiB. */
		size_t want = rng() % 8 ? rng() % 3000 : rng() % (256 * 1024);

		if (p[i] && !filled(p[i], size[i], i + (unsigned)size[i]))
			host_test_fail(__FILE__, __LINE__, "slot %u (%zu bytes) changed", i, size[i]);
		switch (rng() % 3) {
		case 0:
			locus_free(p[i]);
			p[i] = locus_malloc(want);
			break;
		case 1: {
			unsigned char *q = locus_realloc(p[i], want);

			if (want && p[i] && !filled(q, MIN(want, size[i]), i + (unsigned)size[i]))
				host_test_fail(__FILE__, __LINE__, "realloc %zu -> %zu lost data",
					       size[i], want);
			p[i] = q;
			break;
		}
		default:
			locus_free(p[i]);
			p[i] = NULL;
			want = 0;
			break;
		}
		if (p[i] == NULL && want)
			host_test_fail(__FILE__, __LINE__, "allocating %zu failed", want);
		size[i] = p[i] ? want : 0;
		if (p[i]) {
			CHECK_EQ((uintptr_t)p[i] % 16, 0);
			fill(p[i], size[i], i + (unsigned)size[i]);
		}
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		CHECK(!p[i] || filled(p[i], size[i], i + (unsigned)size[i]));
		locus_free(p[i]);
		p[i] = NULL;
	}
}

HOST_TEST(calloc_zeroes_and_checks_overflow)
{
	/* A freed small block holds old data; calloc must clear it. */
	unsigned char *old = locus_malloc(100);

	memset(old, 0xaa, 100);
	locus_free(old);
	unsigned char *z = locus_calloc(25, 4);

	CHECK(z != NULL);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(z[i], 0);
	locus_free(z);

	z = locus_calloc(3, 100000);
	CHECK(z != NULL);
	for (int i = 0; i < 300000; i++)
		CHECK_EQ(z[i], 0);
	locus_free(z);

	errno = 0;
	CHECK(locus_calloc(SIZE_MAX / 2, 3) == NULL);
	CHECK_EQ(errno, ENOMEM);
	errno = 0;
	CHECK(locus_calloc((size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)) ==
	      NULL);
	CHECK_EQ(errno, ENOMEM);
	z = locus_calloc(0, 5);
	CHECK(z != NULL);
	locus_free(z);
}

HOST_TEST(realloc_grows_shrinks_and_follows_the_rules)
{
	unsigned char *p = locus_realloc(NULL, 10);	/* == malloc(10) */

	CHECK(p != NULL);
	fill(p, 10, 1);
	/* Through every class into large mappings and back down. */
	size_t sizes[] = { 16, 17, 100, 2048, 2049, 5000, 300000, 4000, 1000, 40, 3 };
	size_t have = 10;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = locus_realloc(p, sizes[i]);
		CHECK(p != NULL);
		CHECK_EQ((uintptr_t)p % 16, 0);
		CHECK(filled(p, MIN(have, sizes[i]), 1));
		fill(p, sizes[i], 1);
		have = sizes[i];
	}
	/* A small shrink keeps the block. */
	unsigned char *q = locus_malloc(1000);

	CHECK(locus_realloc(q, 900) == q);
	locus_free(q);
	/* realloc(p, 0) frees and returns NULL. */
	CHECK(locus_realloc(p, 0) == NULL);
	/* Failure leaves the old block alone. */
	p = locus_malloc(50);
	fill(p, 50, 9);
	errno = 0;
	CHECK(locus_realloc(p, SIZE_MAX - 10) == NULL);
	CHECK_EQ(errno, ENOMEM);
	CHECK(filled(p, 50, 9));
	locus_free(p);
}

HOST_TEST(malloc_fails_cleanly_when_pages_run_out)
{
	void *held = NULL;
	int got = 0;

	errno = 0;
	CHECK(locus_malloc(SIZE_MAX) == NULL);
	CHECK_EQ(errno, ENOMEM);

	/* Like a Locus task at its memory quota: mapping fails. */
	locus_malloc_host_quota = 0;
	errno = 0;
	CHECK(locus_malloc(100000) == NULL);
	CHECK_EQ(errno, ENOMEM);
	/* Small blocks still come from freed blocks and mapped chunks until
	 * those run out too; hold them in a list through their first word. */
	for (void *p; got < 1000000 && (p = locus_malloc(2048)) != NULL; got++) {
		*(void **)p = held;
		held = p;
	}
	CHECK(got < 1000000);
	CHECK_EQ(errno, ENOMEM);
	locus_malloc_host_quota = SIZE_MAX;
	while (held) {
		void *next = *(void **)held;

		locus_free(held);
		held = next;
	}
	void *again = locus_malloc(100000);

	CHECK(again != NULL);
	locus_free(again);
}

/* Runs fn in a child process; returns the signal that ended it, or 0. */
static int child_signal(void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();

	if (pid == 0) {
		/* Keep the child's complaint out of the test protocol. */
		if (!freopen("/dev/null", "w", stdout))
			_exit(1);
		fn();
		_exit(0);
	}
	int status = 0;

	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void free_twice(void)
{
	void *p = locus_malloc(64);

	locus_free(p);
	locus_free(p);
}

static void free_a_stranger(void)
{
	static _Alignas(16) char buf[64];

	locus_free(buf + 32);
}

static void realloc_after_free(void)
{
	void *p = locus_malloc(64);

	locus_free(p);
	locus_realloc(p, 128);
}

HOST_TEST(bad_frees_abort)
{
	CHECK_EQ(child_signal(free_twice), SIGABRT);
	CHECK_EQ(child_signal(free_a_stranger), SIGABRT);
	CHECK_EQ(child_signal(realloc_after_free), SIGABRT);
}

/* Threads sharing the heap: each checks that nobody else's writes land
 * in its blocks. */
static void *hammer(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	/* Each thread's fill depends on its own id too: a block handed to
	 * two threads at once is caught even at the same address. */
	const unsigned owner = seed * 2654435761u;
	unsigned char *p[32] = { 0 };
	size_t size[32] = { 0 };
	bool ok = true;

	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = (seed >> 8) % 32;

		if (p[i])
			ok &= filled(p[i], size[i], (unsigned)(uintptr_t)p[i] ^ owner);
		locus_free(p[i]);
		size[i] = (seed >> 12) % (step % 64 ? 600 : 20000);
		p[i] = locus_malloc(size[i]);
		if (!p[i])
			return (void *)0;
		fill(p[i], size[i], (unsigned)(uintptr_t)p[i] ^ owner);
	}
	for (unsigned i = 0; i < 32; i++) {
		ok &= filled(p[i], size[i], (unsigned)(uintptr_t)p[i] ^ owner);
		locus_free(p[i]);
	}
	return (void *)(uintptr_t)ok;
}

HOST_TEST(malloc_is_thread_safe)
{
	pthread_t t[4];

	for (uintptr_t i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, hammer, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		void *ok = NULL;

		pthread_join(t[i], &ok);
		CHECK(ok == (void *)1);
	}
}
