/*
 * Tests of tasks, user mode and system calls: each spawns a user test
 * program (user/tests) from its boot module and checks how it ended, and
 * that everything it held came back.
 */
#include "mm/frame.h"
#include "mm/heap.h"
#include "sched/thread.h"
#include "smp/smp.h"
#include "task/task.h"
#include "task/user_mode.h"
#include "test/accounting.h"
#include "test/ktest.h"
#include "test/programs.h"
#include "trap/vectors.h"
#include "uapi/errno.h"

KTEST(user, spawn_passes_arguments)
{
	KT_ASSERT_PROGRAM_PASSES("utest_hello", "one two three", THREAD_ANY_CPU);
}

KTEST(user, spawn_unknown_module_fails)
{
	int status;

	KT_ASSERT_EQ(run_program("no_such_program", "", THREAD_ANY_CPU, &status), -ENOENT);
}

KTEST(user, task_memory_returns)
{
	struct kernel_counts base;
	int status = -1;

	counts_steady(&base);
	for (int i = 0; i < 5; i++)
		KT_ASSERT_EQ(run_program("utest_hello", "one two three", i % cpu_count(), &status),
			     0);
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after five programs");
	KT_CHECK_EQ(kobject_live(KOBJ_TASK), 0);
}

/* Sum over all cores of the returns to user mode that checked UTLS. */
static uint32_t utls_checks_total(void)
{
	uint32_t n = 0;

	for (unsigned c = 0; c < cpu_count(); c++)
		n += utls_checks_of(c);
	return n;
}

KTEST(user, tls_isolated_per_thread)
{
	uint32_t checks = utls_checks_total();

	KT_ASSERT_PROGRAM_PASSES("utest_tls", "", THREAD_ANY_CPU);
	/* Each return to ring 3 checked UTLS against the thread's TLS. */
	KT_CHECK(utls_checks_total() > checks + 1000);
}

KTEST(user, threads_create_join_detach)
{
	KT_ASSERT_PROGRAM_PASSES("utest_threads", "", THREAD_ANY_CPU);
}

KTEST(user, bad_system_call_input)
{
	struct kernel_counts base;

	counts_steady(&base);
	KT_ASSERT_PROGRAM_PASSES("utest_syscalls", "", THREAD_ANY_CPU);
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after utest_syscalls");
}

/* Every hostile or buggy kind kills only its own task, with the vector. */
KTEST(user, faults_kill_only_the_task)
{
	static const struct {
		const char *kind;
		unsigned vector;
	} cases[] = {
		{ "null_write", VEC_PAGE_FAULT },
		{ "kernel_read", VEC_PAGE_FAULT },
		{ "jump_to_kernel", VEC_PAGE_FAULT },
		{ "write_own_code", VEC_PAGE_FAULT },
		{ "stack_overflow", VEC_PAGE_FAULT },
		{ "use_after_unmap", VEC_PAGE_FAULT },
		{ "utcb_unused_page", VEC_PAGE_FAULT },
		{ "gs_ktls", VEC_GENERAL_PROTECTION },
		{ "gs_kernel_data", VEC_GENERAL_PROTECTION },
		{ "gs_garbage", VEC_GENERAL_PROTECTION },
		{ "fs_ktls", VEC_GENERAL_PROTECTION },
		{ "fs_kernel_data", VEC_GENERAL_PROTECTION },
		{ "fs_garbage", VEC_GENERAL_PROTECTION },
		{ "ds_ktls", VEC_GENERAL_PROTECTION },
		{ "ds_kernel_data", VEC_GENERAL_PROTECTION },
		{ "ds_garbage", VEC_GENERAL_PROTECTION },
		{ "es_ktls", VEC_GENERAL_PROTECTION },
		{ "es_kernel_data", VEC_GENERAL_PROTECTION },
		{ "es_garbage", VEC_GENERAL_PROTECTION },
		{ "ss_ktls", VEC_GENERAL_PROTECTION },
		{ "ss_kernel_data", VEC_GENERAL_PROTECTION },
		{ "ss_garbage", VEC_GENERAL_PROTECTION },
		{ "cli", VEC_GENERAL_PROTECTION },
		{ "hlt", VEC_GENERAL_PROTECTION },
		{ "port_in", VEC_GENERAL_PROTECTION },
		{ "port_out", VEC_GENERAL_PROTECTION },
		{ "lgdt", VEC_GENERAL_PROTECTION },
		{ "lidt", VEC_GENERAL_PROTECTION },
		{ "wrmsr", VEC_GENERAL_PROTECTION },
		{ "invalid_opcode", VEC_INVALID_OPCODE },
		{ "divide_by_zero", VEC_DIVIDE_ERROR },
	};
	struct kernel_counts base;

	counts_steady(&base);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		int status = -1;

		KT_ASSERT_EQ(run_program("utest_crash", cases[i].kind, (int)(i % cpu_count()),
					 &status),
			     0);
		if (status != TASK_EXIT_FAULT_BASE + (int)cases[i].vector)
			ktest_fail(__FILE__, __LINE__, "%s: exit status %d, expected %d",
				   cases[i].kind, status,
				   TASK_EXIT_FAULT_BASE + (int)cases[i].vector);
	}
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after the faulting programs");
	KT_CHECK_EQ(kobject_live(KOBJ_TASK), 0);
}

/* A thread that spins forever does not keep others off its core. */
KTEST(user, spinner_does_not_starve_its_core)
{
	int err, status = -1;
	unsigned core = cpu_count() - 1;
	struct task *spinner = task_spawn("utest_spin", "spin", (int)core, NULL, NULL, 0, &err);

	KT_ASSERT(spinner != NULL);
	KT_CHECK_EQ(run_program("utest_spin", "work", (int)core, &status), 0);
	KT_CHECK_EQ(status, 0);
	task_kill(spinner, TASK_EXIT_KILLED);
	KT_CHECK_EQ(task_wait(spinner, &status), 0);
	KT_CHECK_EQ(status, TASK_EXIT_KILLED);
	task_put(spinner);
}

KTEST(user, spinners_share_a_core_fairly)
{
	KT_ASSERT_PROGRAM_PASSES("utest_fair", "", THREAD_ANY_CPU);
}

KTEST(user, busy_threads_spread_over_cores)
{
	if (cpu_count() < 4) {
		ktest_skip("needs 4 cores");
		return;
	}
	KT_ASSERT_PROGRAM_PASSES("utest_spread", "", THREAD_ANY_CPU);
}

/* Malformed modules are refused (the kernel prints why; tests/suites.py
 * checks those lines) and the system goes on. */
KTEST(user, malformed_modules_refused)
{
	static const char *const bad[] = { "bad_elf_truncated", "bad_elf_kernel_segment",
					   "bad_elf_bad_entry" };
	int status;

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		KT_CHECK_EQ(run_program(bad[i], "", THREAD_ANY_CPU, &status), -ENOEXEC);
	KT_CHECK_EQ(run_program("utest_hello", "one two three", THREAD_ANY_CPU, &status), 0);
}

/* The C library: malloc and friends in two threads, until the quota
 * says no, then everything freed. */
KTEST(user, libc)
{
	struct kernel_counts base;

	counts_steady(&base);
	KT_ASSERT_PROGRAM_PASSES("utest_libc", "", THREAD_ANY_CPU);
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after utest_libc");
}
