/*
 * The robustness suite: user programs that throw everything at the
 * kernel run to their end (user/tests/utest_fuzz.c: random system calls
 * with hostile arguments; utest_ipc_storm.c: IPC, capability passing and
 * task kills from many threads), and then every count of what the kernel
 * hands out must be back at its baseline (test/accounting.h). A panic or
 * a hang fails the boot; docs/robustness.md tells how to replay.
 *
 * The boot option args=SEED,CALLS[,THREADS[,FLAG...]] replaces the
 * default fuzz run: `make fuzz SEED=... ITER=...` boots with it.
 */
#include "boot/boot_options.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "sched/thread.h"
#include "smp/smp.h"
#include "test/accounting.h"
#include "test/ktest.h"
#include "test/programs.h"

/* Sized so that each takes well under a minute under TCG on 8 cores. */
#define FUZZ_DEFAULT_ARGS "1 100000 0"
#define STORM_DEFAULT_ARGS "1 20"
/* Orphaned children of the fuzzer (it spawns short programs and may
 * drop their capabilities) may still be finishing when it ends. */
#define SETTLE_MS 10000

static void run_and_account(const char *program, const char *args)
{
	struct kernel_counts base;
	int status = -1;

	counts_steady(&base);
	int err = run_program(program, args, THREAD_ANY_CPU, &status);

	if (err) {
		ktest_fail(__FILE__, __LINE__, "%s %s: spawn failed (%d)", program, args, err);
		return;
	}
	if (status != 0)
		ktest_fail(__FILE__, __LINE__, "%s %s: exit status %d", program, args, status);
	char what[CMDLINE_VALUE_MAX + 32];

	ksnprintf(what, sizeof(what), "%s %s", program, args);
	if (!KT_CHECK_COUNTS_BACK_TO(&base, SETTLE_MS, what))
		return;
	kprintf("%s: nothing leaked (%u frames, %u heap objects, %u threads, %u tasks, "
		"%u endpoints, %u notifications, %u capability slots, %u UTCB slots, "
		"%u vmap pages as before)\n",
		program, base.frames, base.heap_objects, base.objects[KOBJ_THREAD],
		base.objects[KOBJ_TASK], base.objects[KOBJ_ENDPOINT],
		base.objects[KOBJ_NOTIFICATION], base.cap_slots, base.utcb_slots, base.vmap_pages);
}

KTEST(fuzz, syscalls)
{
	char args[CMDLINE_VALUE_MAX];

	strlcpy(args, boot_options.args[0] ? boot_options.args : FUZZ_DEFAULT_ARGS,
		sizeof(args));
	/* The command line cannot hold spaces: commas stand for them. */
	for (char *p = args; *p; p++)
		if (*p == ',')
			*p = ' ';
	run_and_account("utest_fuzz", args);
}

KTEST(fuzz, ipc_storm)
{
	run_and_account("utest_ipc_storm", STORM_DEFAULT_ARGS);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The leak check itself can fail: it names what is missing, and it sees
 * the counts come back once the memory is returned. */
KTEST(fuzz, accounting_names_leaks)
{
	struct kernel_counts base, now;
	char diff[256];

	counts_steady(&base);
	paddr_t frame = frame_alloc();

	KT_ASSERT(frame != 0);
	counts_take(&now);
	counts_describe(&base, &now, diff, sizeof(diff));
	KT_CHECK_EQ(strcmp(diff, "1 frame leaked"), 0);
	void *object = kmalloc(48);

	KT_ASSERT(object != NULL);
	counts_take(&now);
	counts_describe(&base, &now, diff, sizeof(diff));
	KT_CHECK(ends_with(diff, ", 1 heap object leaked"));
	kfree(object);
	frame_free(frame);
	KT_CHECK(counts_back_to(&base, &now, COUNTS_SETTLE_MS));
	counts_describe(&base, &now, diff, sizeof(diff));
	KT_CHECK_EQ(strcmp(diff, ""), 0);
}
