#include "locus/utest.h"

#include "locus.h"
#include "uapi/sysinfo.h"

/* The list holds the threads of every task: more than run at once
 * while a test program waits (a thread past the end reads as not
 * blocked, and the wait fails, saying so). */
#define LISTED_THREADS_MAX 64

int utest_failures;

/* False while tid is 0: not published yet. */
static bool is_blocked(int tid)
{
	struct thread_info threads[LISTED_THREADS_MAX];
	int n = tid ? thread_list(threads, LISTED_THREADS_MAX) : 0;

	for (int i = 0; i < n && i < LISTED_THREADS_MAX; i++)
		if (threads[i].tid == (uint32_t)tid)
			return threads[i].state == THREAD_STATE_BLOCKED;
	return false;
}

bool utest_wait_until_blocked(const volatile int *tid, unsigned max_ms)
{
	for (unsigned waited = 0; !is_blocked(*tid); waited++) {
		if (waited == max_ms)
			return false;
		sleep_ms(1);
	}
	return true;
}
