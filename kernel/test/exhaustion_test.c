/*
 * Running out of physical memory is an error code for the program that
 * asks, never a panic: the test takes nearly every free frame itself,
 * lets a user program map until the kernel says no, and then gives the
 * frames back and checks that everything is where it was.
 */
#include "lib/console.h"
#include "mm/frame.h"
#include "sched/thread.h"
#include "test/accounting.h"
#include "test/ktest.h"
#include "test/programs.h"

/* Left free for the program: its image, page tables, stack and UTCB,
 * its kernel thread, and some memory to map. */
#define FRAMES_LEFT 512

/* The frames taken, linked through their first word (direct map). */
static paddr_t hoard;

static uint32_t hoard_frames(uint32_t leave)
{
	uint32_t taken = 0;

	while (frames_available() > leave) {
		paddr_t pa = frame_alloc();

		if (!pa)
			break;
		*(paddr_t *)phys_to_virt(pa) = hoard;
		hoard = pa;
		taken++;
	}
	return taken;
}

static void release_hoard(void)
{
	while (hoard) {
		paddr_t pa = hoard;

		hoard = *(paddr_t *)phys_to_virt(pa);
		frame_free(pa);
	}
}

KTEST(exhaustion, out_of_frames_is_an_error)
{
	struct kernel_counts base;
	int status = -1;

	counts_steady(&base);
	uint32_t taken = hoard_frames(FRAMES_LEFT);

	kprintf("exhaustion: took %u frames, %u left\n", taken, frames_available());
	KT_CHECK(frames_available() <= FRAMES_LEFT);
	int err = run_program("utest_syscalls", "low_memory", THREAD_ANY_CPU, &status);

	release_hoard();
	KT_CHECK_EQ(err, 0);
	KT_CHECK_EQ(status, 0);
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after the low-memory run");
	/* With the frames back, the same program runs into its quota instead
	 * (the same -ENOMEM, for a different reason). */
	KT_CHECK_EQ(run_program("utest_syscalls", "low_memory", THREAD_ANY_CPU, &status), 0);
	KT_CHECK_EQ(status, 0);
}
