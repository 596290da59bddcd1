/*
 * The user pthread library (user/lib/pthread): its test programs run to
 * the end, print a TEST line per case (counted by the runner as tests of
 * their own) and exit with the number of failed cases; everything they
 * held comes back.
 */
#include "mm/frame.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "task/task.h"
#include "test/ktest.h"
#include "test/programs.h"

#define SETTLE_TRIES 50

/*
 * frames_available() adds up the pool and every core's frame cache
 * without stopping the other cores, so it is off while one of them is
 * moving frames (still finishing a task's teardown, say). The baseline is
 * a reading two readings a millisecond apart agree on; the end, a
 * reading that comes back to it within SETTLE_TRIES ms.
 */
static uint32_t frames_steady(void)
{
	uint32_t last = frames_available();

	for (int i = 0; i < SETTLE_TRIES; i++) {
		sched_sleep_ms(1);
		uint32_t now = frames_available();

		if (now == last)
			break;
		last = now;
	}
	return last;
}

static uint32_t frames_back_to(uint32_t baseline)
{
	uint32_t now = frames_available();

	for (int i = 0; i < SETTLE_TRIES && now != baseline; i++) {
		sched_sleep_ms(1);
		now = frames_available();
	}
	return now;
}

static void run_to_the_end(const char *program)
{
	uint32_t frames = frames_steady();
	uint32_t threads = threads_live();
	int status = -1;

	KT_ASSERT_EQ(run_program(program, "", THREAD_ANY_CPU, &status), 0);
	KT_CHECK_EQ(status, 0);
	KT_CHECK_EQ(threads_live(), threads);
	KT_CHECK_EQ(frames_back_to(frames), frames);
}

KTEST(user, pthreads)
{
	run_to_the_end("utest_pthread");
}

KTEST(user, tls_16_pthreads)
{
	run_to_the_end("utest_tls16");
}
