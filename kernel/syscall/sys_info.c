/* System calls that describe the system: boot modules, threads, cores. */
#include "syscall/syscall.h"

#include "boot/boot_info.h"
#include "ipc/ipc.h"
#include "lib/compiler.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "sched/sched.h"
#include "sched/thread.h"
#include "smp/smp.h"
#include "smp/timer.h"
#include "task/task.h"
#include "task/uaccess.h"
#include "uapi/errno.h"
#include "uapi/sysinfo.h"

/* thread_info.state is the kernel's enum, numbered as uapi/sysinfo.h says. */
_Static_assert(THREAD_NEW == THREAD_STATE_NEW, "thread states differ");
_Static_assert(THREAD_RUNNABLE == THREAD_STATE_RUNNABLE, "thread states differ");
_Static_assert(THREAD_RUNNING == THREAD_STATE_RUNNING, "thread states differ");
_Static_assert(THREAD_BLOCKED == THREAD_STATE_BLOCKED, "thread states differ");
_Static_assert(THREAD_DEAD == THREAD_STATE_DEAD, "thread states differ");

#define THREAD_LIST_MAX 512
#define MODULE_READ_CHUNK 512

/* (index, struct module_info *) */
int32_t sys_module_info(struct trap_frame *tf)
{
	uint32_t index = SYSCALL_ARG1(tf);
	struct module_info info = { 0 };

	if (index >= boot_info.module_count)
		return -ENOENT;
	const struct boot_module *m = &boot_info.modules[index];
	const uint8_t *bytes = phys_to_virt(m->phys_start);

	strlcpy(info.name, m->name, sizeof(info.name));
	info.size = m->phys_end - m->phys_start;
	info.is_program = info.size >= 4 && bytes[0] == 0x7F && bytes[1] == 'E' &&
			  bytes[2] == 'L' && bytes[3] == 'F';
	return copy_to_user(SYSCALL_ARG2(tf), &info, sizeof(info));
}

/* (name, offset, buf, len) -> bytes read: boot modules as read-only files. */
int32_t sys_module_read(struct trap_frame *tf)
{
	char name[SYSINFO_NAME_MAX];
	uint32_t offset = SYSCALL_ARG2(tf), len = SYSCALL_ARG4(tf);
	uintptr_t buf = SYSCALL_ARG3(tf);
	int err = string_from_user(name, SYSCALL_ARG1(tf), sizeof(name));

	if (err < 0)
		return err;
	const struct boot_module *m = boot_module_find(name);

	if (!m)
		return -ENOENT;
	uint32_t size = m->phys_end - m->phys_start;

	if (offset >= size)
		return 0;
	len = MIN(len, size - offset);
	for (uint32_t done = 0; done < len; done += MODULE_READ_CHUNK) {
		uint32_t n = MIN(len - done, (uint32_t)MODULE_READ_CHUNK);

		err = copy_to_user(buf + done, (const uint8_t *)phys_to_virt(m->phys_start) +
						       offset + done, n);
		if (err)
			return err;
	}
	return (int32_t)len;
}

struct listing {
	struct thread_info *out;
	unsigned count;
	unsigned max;
};

static void list_task_threads(struct task *task, void *ctx)
{
	struct listing *l = ctx;
	struct list_node *pos;

	spin_lock(&task->lock);
	list_for_each(pos, &task->threads) {
		const struct thread *t = list_entry(pos, struct thread, task_node);
		struct thread_info *i;

		if (l->count == l->max)
			break;
		i = &l->out[l->count++];
		*i = (struct thread_info){
			.tid = t->tid,
			.task_id = task->id,
			.state = (uint8_t)READ_ONCE(t->state),
			.cpu = READ_ONCE(t->cpu),
			.priority = t->priority,
			.ticks = (uint32_t)READ_ONCE(t->ticks_run),
		};
		strlcpy(i->task_name, task->name, sizeof(i->task_name));
	}
	spin_unlock(&task->lock);
}

/* (struct thread_info *, max) -> how many threads of all tasks it wrote */
int32_t sys_thread_list(struct trap_frame *tf)
{
	struct listing l = { .max = MIN(SYSCALL_ARG2(tf), (uint32_t)THREAD_LIST_MAX) };

	if (l.max == 0)
		return 0;
	l.out = kmalloc(l.max * sizeof(*l.out));
	if (!l.out)
		return -ENOMEM;
	task_for_each(list_task_threads, &l);
	int err = copy_to_user(SYSCALL_ARG1(tf), l.out, l.count * sizeof(*l.out));

	kfree(l.out);
	return err ? err : (int32_t)l.count;
}

/* (cpu, struct cpu_info *) */
int32_t sys_cpu_info(struct trap_frame *tf)
{
	unsigned cpu = SYSCALL_ARG1(tf);
	struct sched_stats s;

	if (!cpu_is_online(cpu))
		return -EINVAL;
	sched_cpu_stats(cpu, &s);
	struct cpu_info info = {
		.apic_id = cpu_apic_id(cpu),
		.queued = s.queued,
		.running_tid = s.running_tid,
		.switches = s.switches,
		.steals = s.steals,
		.syscalls = syscalls_taken(cpu),
		.ipc_fastpath = ipc_fastpath_count(cpu),
		.idle_ticks = s.idle_ticks,
		.ticks = timer_ticks_of(cpu),
	};

	return copy_to_user(SYSCALL_ARG2(tf), &info, sizeof(info));
}
