/*
 * The C library in a real task: malloc and friends, strtol, qsort and
 * errno, in two threads at once, then malloc at the task's memory quota.
 * Exits with the number of failed checks (the kernel test wants 0).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locus.h"
#include "locus/utest.h"
#include "locus/uthread.h"

#define SLOTS 48
#define STEPS 1500

static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 13);
}

static int filled(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 13))
			return 0;
	return 1;
}

/* Random malloc/realloc/calloc/free, every block checked before it
 * changes hands: another thread's writes must never show up in it. */
static void heap_workout(uint32_t seed)
{
	/* Each caller's fill depends on its seed too: a block handed to two
	 * threads at once is caught even at the same address. */
	const unsigned owner = seed * 2654435761u;
	unsigned char *p[SLOTS] = { 0 };
	size_t size[SLOTS] = { 0 };

	for (int step = 0; step < STEPS; step++) {
		unsigned i = next_random(&seed) % SLOTS;
		size_t want = next_random(&seed) % 8 ? next_random(&seed) % 3000 :
			      next_random(&seed) % (256 * 1024);

		if (p[i])
			UCHECK(filled(p[i], size[i], (unsigned)(uintptr_t)p[i] ^ owner));
		switch (next_random(&seed) % 4) {
		case 0: {
			unsigned char *q = realloc(p[i], want);

			if (p[i] && want)
				UCHECK(filled(q, want < size[i] ? want : size[i],
					      (unsigned)(uintptr_t)p[i] ^ owner));
			p[i] = q;
			break;
		}
		case 1:
			free(p[i]);
			p[i] = calloc(1, want);
			for (size_t j = 0; p[i] && j < want; j++)
				if (p[i][j]) {
					UCHECK(p[i][j] == 0);
					break;
				}
			break;
		case 2:
			free(p[i]);
			p[i] = NULL;
			want = 0;
			break;
		default:
			free(p[i]);
			p[i] = malloc(want);
			break;
		}
		UCHECK(p[i] || !want);
		UCHECK_EQ((uintptr_t)p[i] % 16, 0);
		size[i] = p[i] ? want : 0;
		if (p[i])
			fill(p[i], size[i], (unsigned)(uintptr_t)p[i] ^ owner);
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		if (p[i])
			UCHECK(filled(p[i], size[i], (unsigned)(uintptr_t)p[i] ^ owner));
		free(p[i]);
	}
}

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void sort_workout(uint32_t seed)
{
	enum { N = 1000 };
	int *a = malloc(N * sizeof(int));

	UCHECK(a != NULL);
	if (!a)
		return;
	for (int i = 0; i < N; i++)
		a[i] = (int)(next_random(&seed) % 5000) - 2500;
	qsort(a, N, sizeof(int), compare_ints);
	for (int i = 1; i < N; i++)
		UCHECK(a[i - 1] <= a[i]);
	for (int i = 0; i < N; i += 37) {
		int *found = bsearch(&a[i], a, N, sizeof(int), compare_ints);

		UCHECK(found && *found == a[i]);
	}
	int missing = 9999;

	UCHECK(bsearch(&missing, a, N, sizeof(int), compare_ints) == NULL);
	free(a);
}

/* errno is per thread: each sets a different error, waits until the
 * other has set its own, and still sees its own. */
static int errno_step[2];

static void wait_for(int *flag)
{
	for (int i = 0; i < 5000 && !__atomic_load_n(flag, __ATOMIC_ACQUIRE); i++)
		sleep_ms(1);
	UCHECK(__atomic_load_n(flag, __ATOMIC_ACQUIRE));
}

static void errno_workout(int me)
{
	char *end;

	errno = 0;
	if (me == 0) {
		UCHECK_EQ(strtol("99999999999", &end, 10), LONG_MAX);
		UCHECK_EQ(*end, '\0');
		UCHECK_EQ(errno, ERANGE);
	} else {
		UCHECK_EQ(strtoul("12", &end, 1), 0);
		UCHECK_EQ(errno, EINVAL);
	}
	__atomic_store_n(&errno_step[me], 1, __ATOMIC_RELEASE);
	wait_for(&errno_step[!me]);
	UCHECK_EQ(errno, me == 0 ? ERANGE : EINVAL);
}

static void worker(void *arg)
{
	int me = (int)(uintptr_t)arg;

	errno_workout(me);
	heap_workout(12345u + 777u * (unsigned)me);
	sort_workout(99u + (unsigned)me);
}

static void strtol_checks(void)
{
	char *end;
	const char *s = "  -0x7fffffff!";

	UCHECK_EQ(strtol(s, &end, 0), -0x7fffffffL);
	UCHECK_EQ(end - s, 13);
	UCHECK_EQ(strtol("-2147483648", NULL, 10), LONG_MIN);
	errno = 0;
	UCHECK_EQ(strtol("-2147483649", NULL, 10), LONG_MIN);
	UCHECK_EQ(errno, ERANGE);
	UCHECK_EQ(strtoul("4294967295", NULL, 10), ULONG_MAX);
	UCHECK_EQ(strtoul("-1", NULL, 10), ULONG_MAX);
	UCHECK_EQ(strtol("z", NULL, 36), 35);
	UCHECK_EQ(strtol("0777", NULL, 0), 0777);
	s = "xyz";
	UCHECK_EQ(strtol(s, &end, 10), 0);
	UCHECK(end == s);
	UCHECK_EQ(atoi(" 42"), 42);
}

/* Allocate 1 MiB blocks until the task's memory quota says no, then
 * give everything back and check the heap works again. */
static void quota_checks(void)
{
	void *held = NULL;
	int got = 0;
	void *p;
	/* volatile: GCC rejects a constant size this big at compile time. */
	volatile size_t huge = (size_t)3 << 30;

	errno = 0;
	UCHECK(malloc(huge) == NULL);
	UCHECK_EQ(errno, ENOMEM);
	errno = 0;
	while (got < 4096 && (p = malloc(1024 * 1024)) != NULL) {
		*(void **)p = held;
		held = p;
		got++;
	}
	UCHECK(got > 0 && got < 4096);
	UCHECK_EQ(errno, ENOMEM);
	while (held) {
		p = *(void **)held;
		free(held);
		held = p;
	}
	p = malloc(1024 * 1024);
	UCHECK(p != NULL);
	free(p);
	printf("utest_libc: %d MiB before the quota\n", got);
}

int main(void)
{
	struct uthread t[2];
	int status;

	strtol_checks();
	errno = EBADF;
	for (int i = 0; i < 2; i++)
		UCHECK_EQ(uthread_create(&t[i], worker, (void *)(uintptr_t)i, 10, CPU_ANY, 0), 0);
	for (int i = 0; i < 2; i++) {
		UCHECK_EQ(uthread_join(&t[i], &status), 0);
		UCHECK_EQ(status, 0);
	}
	/* The threads' errno values never touched this one's. */
	UCHECK_EQ(errno, EBADF);
	heap_workout(4242);
	quota_checks();
	printf("utest_libc: %d failures\n", utest_failures);
	return utest_failures;
}
