/*
 * The user pthread library (user/lib/pthread): its test programs run to
 * the end, print a TEST line per case (counted by the runner as tests of
 * their own) and exit with the number of failed cases; everything they
 * held comes back.
 */
#include "sched/thread.h"
#include "test/accounting.h"
#include "test/ktest.h"
#include "test/programs.h"

static void run_to_the_end(const char *program)
{
	struct kernel_counts base;
	int status = -1;

	counts_steady(&base);
	KT_ASSERT_EQ(run_program(program, "", THREAD_ANY_CPU, &status), 0);
	KT_CHECK_EQ(status, 0);
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, program);
}

KTEST(user, pthreads)
{
	run_to_the_end("utest_pthread");
}

KTEST(user, tls_16_pthreads)
{
	run_to_the_end("utest_tls16");
}
