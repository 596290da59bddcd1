/*
 * Function calls between cores. Each core has a queue of requests (a
 * cpu-local, so its lock sits in that core's region); a sender appends a
 * request to the target's queue and sends it a VEC_IPI_CALL interrupt.
 * A synchronous request lives on the sender's stack and is marked done by
 * the target; an asynchronous one is allocated and freed by the target.
 */
#include "smp/ipi.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "smp/lapic.h"
#include "smp/smp.h"
#include "smp/spinlock.h"
#include "trap/trap.h"
#include "uapi/errno.h"

struct smp_call {
	smp_call_fn fn;
	void *arg;
	struct smp_call *next;
	bool asynchronous;	/* the target frees it */
	int done;		/* set by the target when fn has returned */
};

struct call_queue {
	/* Protects head and tail; taken by senders on any core. */
	struct spinlock lock;
	struct smp_call *head;
	struct smp_call *tail;
};

static CPU_LOCAL struct call_queue call_queue = { .lock = SPINLOCK_INIT("ipi call queue") };
static CPU_LOCAL uint32_t reschedules_received;

static void enqueue(unsigned cpu, struct smp_call *call)
{
	struct call_queue *q = cpu_local_of(&call_queue, cpu);

	call->next = NULL;
	spin_lock(&q->lock);
	if (q->tail)
		q->tail->next = call;
	else
		q->head = call;
	q->tail = call;
	spin_unlock(&q->lock);
	lapic_send_ipi(cpu_apic_id(cpu), VEC_IPI_CALL);
}

void smp_run_pending_calls(void)
{
	for (;;) {
		spin_lock(&call_queue.lock);
		struct smp_call *call = call_queue.head;

		call_queue.head = call_queue.tail = NULL;
		spin_unlock(&call_queue.lock);
		if (!call)
			return;
		while (call) {
			struct smp_call *next = call->next;

			call->fn(call->arg);
			if (call->asynchronous)
				kfree(call);
			else
				__atomic_store_n(&call->done, 1, __ATOMIC_RELEASE);
			call = next;
		}
	}
}

static void call_interrupt(struct trap_frame *tf)
{
	(void)tf;
	lapic_eoi();
	smp_run_pending_calls();
}

static void wait_done(struct smp_call *call)
{
	spin_assert_none_held("waiting for another core");
	while (!__atomic_load_n(&call->done, __ATOMIC_ACQUIRE)) {
		smp_run_pending_calls();
		cpu_relax();
	}
}

static void run_here(smp_call_fn fn, void *arg)
{
	bool irq = irq_save();

	fn(arg);
	irq_restore(irq);
}

int smp_call(unsigned cpu, smp_call_fn fn, void *arg, bool wait)
{
	if (!cpu_is_online(cpu))
		return -EINVAL;
	if (cpu == cpu_id()) {
		run_here(fn, arg);
		return 0;
	}
	if (wait) {
		struct smp_call call = { .fn = fn, .arg = arg };

		enqueue(cpu, &call);
		wait_done(&call);
		return 0;
	}
	struct smp_call *call = kmalloc(sizeof(*call));

	if (!call)
		return -ENOMEM;
	*call = (struct smp_call){ .fn = fn, .arg = arg, .asynchronous = true };
	enqueue(cpu, call);
	return 0;
}

void smp_call_many(uint32_t mask, smp_call_fn fn, void *arg)
{
	struct smp_call calls[MAX_CPUS];
	unsigned me = cpu_id();

	mask &= cpu_online_mask();
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!(mask & (1u << cpu)) || cpu == me)
			continue;
		calls[cpu] = (struct smp_call){ .fn = fn, .arg = arg };
		enqueue(cpu, &calls[cpu]);
	}
	if (mask & (1u << me))
		run_here(fn, arg);
	for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++)
		if ((mask & (1u << cpu)) && cpu != me)
			wait_done(&calls[cpu]);
}

void smp_send_reschedule(unsigned cpu)
{
	if (cpu_is_online(cpu) && cpu != cpu_id())
		lapic_send_ipi(cpu_apic_id(cpu), VEC_IPI_RESCHEDULE);
}

static void reschedule_interrupt(struct trap_frame *tf)
{
	(void)tf;
	reschedules_received++;
	sched_reschedule_requested();
	lapic_eoi();
}

uint32_t ipi_reschedules_received(void)
{
	return reschedules_received;
}

void ipi_setup(void)
{
	trap_set_handler(VEC_IPI_CALL, call_interrupt);
	trap_set_handler(VEC_IPI_RESCHEDULE, reschedule_interrupt);
}
