/*
 * Per-core run queues and the switch between threads.
 *
 * Each core's run queue is a cpu-local with its own lock. The lock
 * protects the queue and the scheduling fields of the threads that belong
 * to the core (thread->cpu), including its sleepers. Other cores take it
 * to wake a thread of this core or to steal one; a core takes at most one
 * run-queue lock at a time, so there is no lock order to get wrong.
 *
 * The switch: schedule_locked() is entered with the run-queue lock held
 * and interrupts off; it picks the next thread and switches stacks with
 * the lock still held. The thread switched to releases it, in
 * sched_finish_switch(), once the previous thread's registers are saved.
 * Until then the previous thread is marked on_cpu, and no other core will
 * run it even if it was woken and queued meanwhile.
 */
#include "sched/sched.h"

#include "gdt/gdt.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "smp/ipi.h"
#include "smp/smp.h"
#include "smp/timer.h"
#include "task/task.h"
#include "trace/trace.h"
#include "uapi/errno.h"

extern void context_switch(uint32_t *save_esp, uint32_t load_esp);

struct run_queue {
	/* Guards the levels, queued, sleepers and the state of the threads
	 * on them; crosses the switch (see above). */
	struct spinlock lock;
	uint32_t bitmap;			/* bit p: levels[p] is not empty */
	struct list_node levels[THREAD_PRIORITIES];
	unsigned queued;			/* threads in the levels */
	struct list_node sleepers;		/* by wake_tick, earliest first */
	struct thread *idle;
	/* What runs now, for other cores deciding whether to interrupt this
	 * one (read without the lock: a hint, never dereferenced). */
	uint8_t running_priority;
	bool running_idle;
	uint32_t running_tid;
	uint32_t switches;
	uint32_t steals;
	uint32_t idle_ticks;
};

static CPU_LOCAL struct run_queue rq = { .lock = SPINLOCK_INIT("run queue") };
CPU_LOCAL struct thread *current_thread_slot;
CPU_LOCAL bool sched_resched_due;
/* The thread this core switched away from, for sched_finish_switch. */
static CPU_LOCAL struct thread *switched_from;

static void enqueue(struct run_queue *q, struct thread *t)
{
	list_push_back(&q->levels[t->priority], &t->rq_node);
	q->bitmap |= 1u << t->priority;
	q->queued++;
}

static void dequeue(struct run_queue *q, struct thread *t)
{
	list_remove(&t->rq_node);
	if (list_empty(&q->levels[t->priority]))
		q->bitmap &= ~(1u << t->priority);
	q->queued--;
}

/* The first thread of the highest non-empty level, or NULL. */
static struct thread *highest(struct run_queue *q)
{
	if (!q->bitmap)
		return NULL;
	unsigned level = 31 - (unsigned)__builtin_clz(q->bitmap);

	return list_entry(q->levels[level].next, struct thread, rq_node);
}

static void idle_release(struct kobject *o)
{
	(void)o;
	panic("an idle thread was released");
}

static const struct kobject_ops idle_ops = { .release = idle_release };

void sched_init_this_cpu(void)
{
	for (unsigned p = 0; p < THREAD_PRIORITIES; p++)
		list_init(&rq.levels[p]);
	list_init(&rq.sleepers);

	struct thread *idle = kzalloc(sizeof(*idle));

	if (!idle)
		panic("sched: no memory for the idle thread of cpu %u", cpu_id());
	kobject_init(&idle->obj, KOBJ_THREAD, &idle_ops);
	ksnprintf(idle->name, sizeof(idle->name), "idle/%u", cpu_id());
	idle->state = THREAD_RUNNING;
	idle->on_cpu = true;
	idle->cpu = (uint8_t)cpu_id();
	idle->affinity = (int8_t)cpu_id();
	list_init(&idle->rq_node);
	list_init(&idle->sleep_node);
	list_init(&idle->task_node);
	list_init(&idle->wait_node);
	spin_init(&idle->join_lock, "idle join");
	rq.idle = idle;
	rq.running_idle = true;
	current_thread_slot = idle;
}

/* The machine-dependent half of a switch: kernel stack for traps from
 * ring 3, address space, user TLS segment, then the stacks themselves. */
static void switch_to(struct thread *prev, struct thread *next)
{
	tss_set_kernel_stack(next->kstack_top);
	if (next->task) {
		address_space_switch(&next->task->space);
		if (gdt_utls_base() != next->user_tls)
			gdt_set_utls_base(next->user_tls);
	} else {
		address_space_switch(&kernel_space);
	}
	context_switch(&prev->esp, next->esp);
}

/* Called by every thread right after it was switched to (never inline:
 * it must read the cpu-locals of the core it now runs on). */
__noinline void sched_finish_switch(void);

void sched_finish_switch(void)
{
	struct thread *prev = switched_from;
	bool dead = prev->state == THREAD_DEAD;

	prev->on_cpu = false;
	spin_unlock(&rq.lock);
	if (dead)
		thread_reap(prev);
}

/* rq.lock held, interrupts off: makes next (taken off any queue) run,
 * with `slice` ticks left. Returns when the previous thread runs again,
 * with the lock released. */
static void switch_locked(struct thread *prev, struct thread *next, uint32_t slice)
{
	sched_resched_due = false;
	next->state = THREAD_RUNNING;
	next->slice_left = slice;
	rq.running_priority = next->priority;
	rq.running_idle = next == rq.idle;
	rq.running_tid = next->tid;
	if (next == prev) {
		spin_unlock(&rq.lock);
		return;
	}
	trace_switch(prev, next);
	next->on_cpu = true;
	next->switches++;
	rq.switches++;
	current_thread_slot = next;
	switched_from = prev;
	switch_to(prev, next);
	sched_finish_switch();
}

/*
 * Is t, about to block, a thread of a task being killed? task_kill wakes
 * the threads it finds blocked; one still running in the kernel (on its
 * way into a wait) it can only interrupt, which it notices on its return
 * to user mode, so it must not go to sleep now: nothing may ever wake it,
 * and its task could never end. Both sides take the run-queue lock after
 * their store (task state, thread state) and read the other's under it,
 * so one of them sees the other.
 */
static bool killed_while_blocking(const struct thread *t)
{
	return t->state == THREAD_BLOCKED && t->task &&
	       READ_ONCE(t->task->state) != TASK_RUNNING;
}

/* rq.lock held, interrupts off. Returns (possibly much later, possibly on
 * another core) with the lock released. */
static void schedule_locked(void)
{
	struct thread *prev = current_thread_slot;

	KASSERT(!interrupts_enabled());
	if (killed_while_blocking(prev)) {
		/* As if task_kill had woken it: the waiter leaves its queue. */
		if (list_linked(&prev->sleep_node))
			list_remove(&prev->sleep_node);
		prev->wait_result = -EINTR;
		prev->state = THREAD_RUNNING;
	}
	if (prev->state == THREAD_RUNNING) {
		prev->state = THREAD_RUNNABLE;
		if (prev != rq.idle && !list_linked(&prev->rq_node))
			enqueue(&rq, prev);
	}

	struct thread *next = highest(&rq);

	if (next)
		dequeue(&rq, next);
	else
		next = rq.idle;
	switch_locked(prev, next, SLICE_TICKS);
}

static void schedule(void)
{
	spin_lock(&rq.lock);
	schedule_locked();
}

/* Moves one runnable, unpinned thread from another core to this one. */
static bool try_steal(void)
{
	unsigned me = cpu_id();
	unsigned n = cpu_count();

	for (unsigned i = 1; i < n; i++) {
		unsigned victim = (me + i) % n;
		struct run_queue *q = cpu_local_of(&rq, victim);
		struct thread *found = NULL;

		if (!READ_ONCE(q->queued))
			continue;
		spin_lock(&q->lock);
		for (int p = THREAD_PRIORITY_MAX; p >= 0 && !found; p--) {
			struct list_node *pos;

			list_for_each(pos, &q->levels[p]) {
				struct thread *t = list_entry(pos, struct thread, rq_node);

				if (!t->on_cpu && t->affinity == THREAD_ANY_CPU) {
					found = t;
					break;
				}
			}
		}
		if (found) {
			dequeue(q, found);
			found->cpu = (uint8_t)me;
		}
		spin_unlock(&q->lock);
		if (found) {
			spin_lock(&rq.lock);
			enqueue(&rq, found);
			rq.steals++;
			spin_unlock(&rq.lock);
			return true;
		}
	}
	return false;
}

void sched_idle_loop(void)
{
	for (;;) {
		cli();
		if (READ_ONCE(rq.queued) || try_steal()) {
			schedule();
		} else {
			trace_idle_enter();
			enable_interrupts_and_halt();
			trace_idle_exit();
		}
	}
}

static unsigned load_of(unsigned cpu)
{
	struct run_queue *q = cpu_local_of(&rq, cpu);

	return READ_ONCE(q->queued) + !READ_ONCE(q->running_idle);
}

unsigned sched_choose_cpu(int affinity)
{
	if (affinity >= 0 && cpu_is_online((unsigned)affinity))
		return (unsigned)affinity;
	unsigned best = cpu_id();
	unsigned best_load = load_of(best);

	for (unsigned c = 0; c < cpu_count() && best_load; c++) {
		unsigned l = load_of(c);

		if (l < best_load) {
			best = c;
			best_load = l;
		}
	}
	return best;
}

/* A thread of this priority was just queued on core cpu: make that core
 * look at it soon if it is more important than what runs there. */
static void kick(unsigned cpu, unsigned priority)
{
	struct run_queue *q = cpu_local_of(&rq, cpu);

	if (!READ_ONCE(q->running_idle) && priority <= READ_ONCE(q->running_priority))
		return;
	if (cpu == cpu_id())
		sched_resched_due = true;
	else
		smp_send_reschedule(cpu);
}

void sched_enqueue_new(struct thread *t)
{
	struct run_queue *q = cpu_local_of(&rq, t->cpu);

	unsigned cpu = t->cpu, priority = t->priority;

	spin_lock(&q->lock);
	t->state = THREAD_RUNNABLE;
	enqueue(q, t);
	spin_unlock(&q->lock);
	/* t may already run, and even be gone: use the copies. */
	kick(cpu, priority);
}

bool sched_wake(struct thread *t, int result)
{
	for (;;) {
		unsigned cpu = READ_ONCE(t->cpu);
		struct run_queue *q = cpu_local_of(&rq, cpu);

		spin_lock(&q->lock);
		if (t->cpu != cpu) {
			spin_unlock(&q->lock);
			continue;
		}
		if (t->state != THREAD_BLOCKED) {
			spin_unlock(&q->lock);
			return false;
		}
		unsigned priority = t->priority;

		t->wait_result = result;
		t->state = THREAD_RUNNABLE;
		if (list_linked(&t->sleep_node))
			list_remove(&t->sleep_node);
		enqueue(q, t);
		spin_unlock(&q->lock);
		kick(cpu, priority);
		return true;
	}
}

void sched_prepare_block(void)
{
	current_thread_slot->state = THREAD_BLOCKED;
	current_thread_slot->wait_result = 0;
}

int sched_wait(void)
{
	KASSERT(!interrupts_enabled());
	schedule();
	return current_thread_slot->wait_result;
}

int sched_block(struct spinlock *held)
{
	/* Keep interrupts off from here to the switch; give the caller back
	 * the state it had when it took `held` once it runs again. */
	bool irq = held->irq_was_on;

	held->irq_was_on = false;
	sched_prepare_block();
	spin_unlock(held);
	int result = sched_wait();

	irq_restore(irq);
	return result;
}

bool sched_direct_lock(const struct thread *next)
{
	KASSERT(!interrupts_enabled());
	spin_lock(&rq.lock);
	/* Only a thread blocked on this core, and only if nothing more
	 * important is waiting here. The current thread still runs, so
	 * killed_while_blocking cannot tell yet: look at its task directly,
	 * under the lock as that does; its state becomes BLOCKED before the
	 * lock is released (by next, in sched_finish_switch). A switch that
	 * is due (a spent slice, someone waiting) goes through the queue. */
	if (next->state != THREAD_BLOCKED || next->cpu != cpu_id() || next->on_cpu ||
	    (rq.bitmap && 31 - (unsigned)__builtin_clz(rq.bitmap) > next->priority) ||
	    READ_ONCE(current_thread_slot->task->state) != TASK_RUNNING || sched_resched_due) {
		spin_unlock(&rq.lock);
		return false;
	}
	return true;
}

int sched_direct_switch(struct thread *next)
{
	struct thread *prev = current_thread_slot;

	KASSERT(prev->state == THREAD_BLOCKED);
	next->wait_result = 0;
	/* next runs on prev's slice: two threads calling each other share
	 * one, and its end lets the others on this core have their turn. */
	switch_locked(prev, next, prev->slice_left);
	return prev->wait_result;
}

void sched_exit_current(void)
{
	cli();
	spin_lock(&rq.lock);
	current_thread_slot->state = THREAD_DEAD;
	schedule_locked();
	panic("a dead thread was scheduled again");
}

void sched_yield(void)
{
	bool irq = irq_save();

	schedule();
	irq_restore(irq);
}

/* rq.lock held: t wakes after ticks more ticks with wait_result = result,
 * unless something wakes it first (sched_wake takes it off the list). */
static void add_sleeper(struct thread *t, uint64_t ticks, int result)
{
	struct list_node *pos;

	t->wake_tick = timer_ticks() + ticks;
	t->timeout_result = result;
	/* Sorted insert: the tick handler looks only at the front. */
	list_for_each(pos, &rq.sleepers)
		if (list_entry(pos, struct thread, sleep_node)->wake_tick > t->wake_tick)
			break;
	list_insert_between(&t->sleep_node, pos->prev, pos);
}

int sched_sleep_ms(uint32_t ms)
{
	struct thread *t = current_thread_slot;
	uint64_t ticks = ((uint64_t)ms * TIMER_HZ + 999) / 1000;
	bool irq = irq_save();

	if (ticks == 0) {
		schedule();
		irq_restore(irq);
		return 0;
	}
	spin_lock(&rq.lock);
	add_sleeper(t, ticks, 0);
	t->state = THREAD_BLOCKED;
	t->wait_result = 0;
	schedule_locked();
	irq_restore(irq);
	return t->wait_result;
}

int sched_block_timeout(struct spinlock *held, uint32_t ms)
{
	struct thread *t = current_thread_slot;
	uint64_t ticks = MAX(((uint64_t)ms * TIMER_HZ + 999) / 1000, (uint64_t)1);
	bool irq = held->irq_was_on;

	held->irq_was_on = false;
	sched_prepare_block();
	spin_lock(&rq.lock);
	add_sleeper(t, ticks, -ETIMEDOUT);
	spin_unlock(&rq.lock);
	spin_unlock(held);
	int result = sched_wait();

	irq_restore(irq);
	return result;
}

void sched_tick(void)
{
	struct thread *cur = current_thread_slot;

	cur->ticks_run++;
	if (cur == rq.idle)
		rq.idle_ticks++;
	/* A spent slice is only given up when someone is waiting; it stays
	 * spent, so a thread queued later still gets the core at the next tick. */
	if (cur != rq.idle) {
		if (cur->slice_left)
			cur->slice_left--;
		if (cur->slice_left == 0 && READ_ONCE(rq.queued))
			sched_resched_due = true;
	}
	if (list_empty(&rq.sleepers))
		return;
	spin_lock(&rq.lock);
	uint64_t now = timer_ticks();

	while (!list_empty(&rq.sleepers)) {
		struct thread *t = list_entry(rq.sleepers.next, struct thread, sleep_node);

		if (t->wake_tick > now)
			break;
		list_remove(&t->sleep_node);
		t->wait_result = t->timeout_result;
		t->state = THREAD_RUNNABLE;
		enqueue(&rq, t);
		if (cur == rq.idle || t->priority > cur->priority)
			sched_resched_due = true;
	}
	spin_unlock(&rq.lock);
}

void sched_reschedule_requested(void)
{
	sched_resched_due = true;
}

void sched_preempt(void)
{
	if (sched_resched_due)
		schedule();
}

void sched_cpu_stats(unsigned cpu, struct sched_stats *stats)
{
	const struct run_queue *q = cpu_local_of(&rq, cpu);

	*stats = (struct sched_stats){
		.queued = READ_ONCE(q->queued),
		.running_tid = READ_ONCE(q->running_tid),
		.switches = READ_ONCE(q->switches),
		.steals = READ_ONCE(q->steals),
		.idle_ticks = READ_ONCE(q->idle_ticks),
	};
}
