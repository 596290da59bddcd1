/*
 * Tests of IPC through UTCBs, capabilities and notifications: each runs
 * user programs (user/tests/utest_ipc_*, utest_notify, utest_com1_irq).
 */
#include "cap/object.h"
#include "drivers/device_caps.h"
#include "ipc/ipc.h"
#include "sched/thread.h"
#include "smp/smp.h"
#include "test/accounting.h"
#include "test/ktest.h"
#include "test/programs.h"
#include "lib/format.h"
#include "uapi/cap.h"

#define PINGPONG_ROUNDS "10000"

static uint32_t fastpath_total(void)
{
	uint32_t n = 0;

	for (unsigned c = 0; c < cpu_count(); c++)
		n += ipc_fastpath_count(c);
	return n;
}

/* Runs the ping-pong with the client on core client and the server on
 * core server; returns how many calls and replies took the fast path. */
static uint32_t pingpong(unsigned client, unsigned server, const char *rounds)
{
	char args[32];
	int status = -1;
	uint32_t before = fastpath_total();

	ksnprintf(args, sizeof(args), "%s %u", rounds, server);
	KT_CHECK_EQ(run_program("utest_ipc_pingpong", args, (int)client, &status), 0);
	KT_CHECK_EQ(status, 0);
	return fastpath_total() - before;
}

KTEST(ipc, pingpong_same_core)
{
	uint32_t fast = pingpong(0, 0, PINGPONG_ROUNDS);

	/* Short messages between two tasks on one core take the fast path. */
	KT_CHECK(fast > 1000);
}

KTEST(ipc, pingpong_across_cores)
{
	if (cpu_count() < 2) {
		ktest_skip("needs two cores");
		return;
	}
	pingpong(0, 1, PINGPONG_ROUNDS);
}

/* The same exchanges through the full path only give the same results
 * (every reply is checked against what it must be). */
KTEST(ipc, fast_and_full_path_agree)
{
	ipc_fastpath_enabled = false;
	uint32_t fast = pingpong(0, 0, "2000");

	ipc_fastpath_enabled = true;
	KT_CHECK_EQ(fast, 0);
	KT_CHECK(pingpong(0, 0, "2000") > 0);
}

KTEST(ipc, many_clients_one_server)
{
	KT_ASSERT_PROGRAM_PASSES("utest_ipc_clients", "", 0);
}

KTEST(ipc, capability_rules)
{
	KT_ASSERT_PROGRAM_PASSES("utest_ipc_caps", "", THREAD_ANY_CPU);
}

KTEST(ipc, server_death_fails_blocked_clients)
{
	KT_ASSERT_PROGRAM_PASSES("utest_ipc_death", "", THREAD_ANY_CPU);
}

KTEST(ipc, utcbs_private_per_thread)
{
	KT_ASSERT_PROGRAM_PASSES("utest_ipc_utcb", "", THREAD_ANY_CPU);
}

KTEST(ipc, notification_signal_wait_poll)
{
	KT_ASSERT_PROGRAM_PASSES("utest_notify", "", THREAD_ANY_CPU);
}

/* Every IPC object those programs made is gone with them. */
KTEST(ipc, objects_freed_with_their_tasks)
{
	struct kernel_counts base;

	counts_steady(&base);
	KT_ASSERT_PROGRAM_PASSES("utest_ipc_caps", "", THREAD_ANY_CPU);
	KT_ASSERT_PROGRAM_PASSES("utest_ipc_death", "", THREAD_ANY_CPU);
	/* The last references may still be being dropped on other cores. */
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after the IPC programs");
	KT_CHECK_EQ(kobject_live(KOBJ_ENDPOINT), 0);
	KT_CHECK_EQ(kobject_live(KOBJ_NOTIFICATION), 0);
	KT_CHECK_EQ(kobject_live(KOBJ_TASK), 0);
}

/* Needs a byte typed on COM1: tests/suites.py runs it in a boot of its
 * own that answers "ready for input" with a 'Z'. */
KTEST(ipc_input, com1_irq_wakes_notification)
{
	struct cap caps[2] = {
		{ &device_irq(4)->obj, CAP_RIGHT_CONTROL, 0 },
		{ &device_com1_ports()->obj, CAP_RIGHT_CONTROL, 0 },
	};
	int status = -1;

	KT_ASSERT_EQ(run_program_with_caps("utest_com1_irq", "", THREAD_ANY_CPU, caps, 2, &status),
		     0);
	KT_ASSERT_EQ(status, 0);
}
