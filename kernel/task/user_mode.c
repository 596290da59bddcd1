#include "task/user_mode.h"

#include "cpu_locals/cpu_locals.h"
#include "gdt/gdt.h"
#include "lib/console.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "task/task.h"
#include "trap/trap.h"

static CPU_LOCAL uint32_t utls_checks;

void return_to_user(struct trap_frame *tf)
{
	(void)tf;
	for (;;) {
		struct thread *t = current_thread();

		if (READ_ONCE(t->task->state) != TASK_RUNNING)
			thread_exit(TASK_EXIT_KILLED);
		if (!sched_need_resched())
			break;
		sched_preempt();
	}
	/* Idea 2 of DESIGN.md: the scheduler rewrote UTLS for this thread;
	 * trap_return's reload of %gs makes it take effect. */
	if (gdt_utls_base() != current_thread()->user_tls)
		panic("UTLS base 0x%x is not thread %u's TLS 0x%x", gdt_utls_base(),
		      current_thread()->tid, current_thread()->user_tls);
	utls_checks++;
}

uint32_t utls_checks_of(unsigned cpu)
{
	return READ_ONCE(*cpu_local_of(&utls_checks, cpu));
}

void user_exception(struct trap_frame *tf)
{
	struct thread *t = current_thread();
	struct task *task = t->task;
	uint32_t address = tf->vector == VEC_PAGE_FAULT ? read_cr2() : 0;

	kprintf("task %s (%u) thread %u on cpu %u: %s (vector %u, error 0x%x) at eip 0x%x, "
		"address 0x%x: killed\n",
		task->name, task->id, t->tid, cpu_id(), trap_exception_name(tf->vector),
		tf->vector, tf->error, tf->eip, address);
	task_kill(task, TASK_EXIT_FAULT_BASE + (int)tf->vector);
	thread_exit(TASK_EXIT_FAULT_BASE + (int)tf->vector);
}
