/* Tests of kernel threads and the scheduler. */
#include "lib/cpu_i386.h"
#include "mm/vmap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "smp/smp.h"
#include "smp/timer.h"
#include "test/accounting.h"
#include "test/crash_hooks.h"
#include "test/ktest.h"
#include "test/programs.h"
#include "uapi/errno.h"

static int return_arg(void *arg)
{
	return (int)(uintptr_t)arg;
}

KTEST(sched, kernel_threads_join_with_status)
{
	struct thread *t[12];

	for (int i = 0; i < 12; i++) {
		t[i] = thread_create_kernel("k", return_arg, (void *)(uintptr_t)(i * 3),
					    THREAD_PRIORITY_DEFAULT, i % 2 ? THREAD_ANY_CPU
									   : (int)(i % cpu_count()));
		KT_ASSERT(t[i] != NULL);
		thread_start(t[i]);
	}
	for (int i = 0; i < 12; i++) {
		int status = -1;

		KT_CHECK_EQ(thread_join(t[i], &status), 0);
		KT_CHECK_EQ(status, i * 3);
		thread_put(t[i]);
	}
}

KTEST(sched, join_errors)
{
	struct thread *me = current_thread();
	int status;

	KT_CHECK_EQ(thread_join(me, &status), -EDEADLK);
}

/* Creating and reaping threads gives back every frame and page of the
 * kernel area. */
KTEST(sched, thread_memory_reaped)
{
	struct kernel_counts base;

	counts_steady(&base);
	for (int i = 0; i < 60; i++) {
		struct thread *t = thread_create_kernel("reaped", return_arg, NULL,
							THREAD_PRIORITY_DEFAULT, THREAD_ANY_CPU);

		KT_ASSERT(t != NULL);
		thread_start(t);
		KT_ASSERT_EQ(thread_join(t, NULL), 0);
		thread_put(t);
	}
	/* The last one may still be switching out on its core. */
	KT_CHECK_COUNTS_BACK_TO(&base, COUNTS_SETTLE_MS, "after 60 threads");
}

/* Runs a thread pinned to this core to its end and reaps it; returns
 * where its kernel stack was. */
static uintptr_t run_and_reap_here(void)
{
	struct thread *t = thread_create_kernel("stack", return_arg, NULL,
						THREAD_PRIORITY_DEFAULT, (int)cpu_id());

	if (!t)
		return 0;
	uintptr_t top = t->kstack_top;
	uint32_t threads = threads_live();

	thread_start(t);
	thread_join(t, NULL);
	thread_put(t);
	for (int i = 0; i < 100 && threads_live() >= threads; i++)
		sched_sleep_ms(1);
	return top;
}

/* Runs in a thread pinned to core 0, so that "here" stays one core. */
static int check_stacks_reused(void *unused)
{
	uintptr_t first = run_and_reap_here();
	uint32_t vmap = vmap_pages_used();
	uintptr_t second = run_and_reap_here();

	(void)unused;
	KT_CHECK(first != 0);
	KT_CHECK_EQ(second, first);
	KT_CHECK_EQ(vmap_pages_used(), vmap);
	return 0;
}

/* A kernel stack freed on a core is the next one a thread made there
 * gets: nothing is mapped or unmapped (no TLB shootdown) on the way. */
KTEST(sched, kernel_stacks_reused)
{
	struct thread *t = thread_create_kernel("stacks", check_stacks_reused, NULL,
						THREAD_PRIORITY_DEFAULT, 0);

	KT_ASSERT(t != NULL);
	thread_start(t);
	KT_CHECK_EQ(thread_join(t, NULL), 0);
	thread_put(t);
}

/* A 30 ms sleep lasts at least 3 ticks of the core's own timer. (Not
 * wall time: QEMU delivers late periodic ticks in a burst when the host
 * was busy, so the time-stamp counter may see less.) */
KTEST(sched, sleep_takes_at_least_its_time)
{
	bool irq = irq_save();
	unsigned cpu = cpu_id();
	uint64_t t0 = timer_ticks_of(cpu);

	irq_restore(irq);
	KT_ASSERT_EQ(sched_sleep_ms(30), 0);
	/* It sleeps on the core it started on: sleepers do not migrate. */
	KT_CHECK(timer_ticks_of(cpu) - t0 >= 30 * TIMER_HZ / 1000);
}

/* Two threads pinned to one core yield to each other: they alternate. */
struct ping_pong {
	volatile int turn;
	int rounds;
};

struct player {
	struct ping_pong *game;
	int me;
};

static int take_turns(void *arg)
{
	struct player *p = arg;

	for (int i = 0; i < p->game->rounds; i++) {
		int spins = 0;

		while (p->game->turn != p->me) {
			sched_yield();
			if (++spins > 1000000)
				return -1;
		}
		p->game->turn = !p->me;
	}
	return 0;
}

KTEST(sched, yield_alternates_on_one_core)
{
	struct ping_pong game = { .turn = 0, .rounds = 200 };
	struct player players[2] = { { &game, 0 }, { &game, 1 } };
	unsigned core = cpu_count() - 1;
	struct thread *a = thread_create_kernel("ping", take_turns, &players[0],
						THREAD_PRIORITY_DEFAULT, (int)core);
	struct thread *b = thread_create_kernel("pong", take_turns, &players[1],
						THREAD_PRIORITY_DEFAULT, (int)core);
	int sa = -1, sb = -1;

	KT_ASSERT(a && b);
	thread_start(a);
	thread_start(b);
	KT_CHECK_EQ(thread_join(a, &sa), 0);
	KT_CHECK_EQ(thread_join(b, &sb), 0);
	KT_CHECK_EQ(sa, 0);
	KT_CHECK_EQ(sb, 0);
	thread_put(a);
	thread_put(b);
}

/* A more important thread woken on a busy core runs before the busy one
 * gets its next turn. */
struct priority_order {
	volatile int log[4];
	volatile int n;
};

static int record_high(void *arg)
{
	struct priority_order *o = arg;

	o->log[o->n++] = 2;
	return 0;
}

static int low_then_spawn_high(void *arg)
{
	struct priority_order *o = arg;
	struct thread *high = thread_create_kernel("high", record_high, o,
						   THREAD_PRIORITY_DEFAULT + 5, (int)cpu_id());

	o->log[o->n++] = 1;
	thread_start(high);
	/* The yield must let the more important thread in first. */
	sched_yield();
	o->log[o->n++] = 3;
	thread_join(high, NULL);
	thread_put(high);
	return 0;
}

KTEST(sched, higher_priority_runs_first)
{
	struct priority_order o = { .n = 0 };
	struct thread *low = thread_create_kernel("low", low_then_spawn_high, &o,
						  THREAD_PRIORITY_DEFAULT, 0);

	KT_ASSERT(low != NULL);
	thread_start(low);
	KT_ASSERT_EQ(thread_join(low, NULL), 0);
	thread_put(low);
	KT_CHECK_EQ(o.n, 3);
	KT_CHECK_EQ(o.log[0], 1);
	KT_CHECK_EQ(o.log[1], 2);
	KT_CHECK_EQ(o.log[2], 3);
}

/* A kernel stack overflow runs into the guard page: a double fault that
 * names the thread (tests/suites.py checks the panic). */
static int overflow(void *arg)
{
	volatile char pad[256];

	pad[0] = (char)(uintptr_t)arg;
	if (arg == (void *)-1)
		return 0;
	return overflow((void *)((uintptr_t)arg + 1)) + pad[0];
}

CRASH_HOOK(kernel_stack_overflow, CRASH_PHASE_BOOTED)
{
	struct thread *t = thread_create_kernel("deep-recursion", overflow, NULL,
						THREAD_PRIORITY_DEFAULT, THREAD_ANY_CPU);

	thread_start(t);
	thread_join(t, NULL);
}
