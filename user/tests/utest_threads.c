/* Thread create, exit status, join, detach and self. */
#include <stdio.h>

#include "locus.h"
#include "locus/uthread.h"
#include "locus/utest.h"

static void exit_with(void *arg)
{
	thread_exit((int)(uintptr_t)arg);
}

static void just_return(void *arg)
{
	(void)arg;
}

static volatile int detached_done;

static void detached(void *arg)
{
	(void)arg;
	detached_done = 1;
}

int main(void)
{
	struct uthread t[8];
	int status;

	for (int i = 0; i < 8; i++)
		UCHECK_EQ(uthread_create(&t[i], exit_with, (void *)(uintptr_t)(100 + i), 10,
					 i % 2 ? CPU_ANY : i % cpu_count(), 0), 0);
	for (int i = 0; i < 8; i++) {
		status = -1;
		UCHECK_EQ(uthread_join(&t[i], &status), 0);
		UCHECK_EQ(status, 100 + i);
	}
	/* Joining consumed the capability. */
	UCHECK_EQ(thread_join(t[0].cap, &status), -EBADF);

	UCHECK_EQ(uthread_create(&t[0], just_return, NULL, 10, CPU_ANY, 0), 0);
	UCHECK_EQ(uthread_join(&t[0], &status), 0);
	UCHECK_EQ(status, 0);

	/* Detached: drop the capability; the thread still runs and is freed
	 * by the kernel when it ends. */
	UCHECK_EQ(uthread_create(&t[1], detached, NULL, 10, CPU_ANY, 0), 0);
	UCHECK_EQ(cap_delete(t[1].cap), 0);
	for (int i = 0; i < 1000 && !detached_done; i++)
		sleep_ms(1);
	UCHECK(detached_done);

	UCHECK(thread_self() > 0);
	printf("utest_threads: %d failures\n", utest_failures);
	return utest_failures;
}
