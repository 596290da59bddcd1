#include "syscall/syscall.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "trace/trace.h"
#include "task/user_mode.h"
#include "uapi/errno.h"
#include "uapi/syscall.h"

static const syscall_fn syscalls[SYS_COUNT] = {
	[SYS_NULL] = sys_null,
	[SYS_DEBUG_WRITE] = sys_debug_write,
	[SYS_THREAD_CREATE] = sys_thread_create,
	[SYS_THREAD_EXIT] = sys_thread_exit,
	[SYS_THREAD_JOIN] = sys_thread_join,
	[SYS_YIELD] = sys_yield,
	[SYS_SLEEP] = sys_sleep,
	[SYS_SET_TLS] = sys_set_tls,
	[SYS_TASK_SPAWN] = sys_task_spawn,
	[SYS_TASK_EXIT] = sys_task_exit,
	[SYS_TASK_WAIT] = sys_task_wait,
	[SYS_MEM_MAP] = sys_mem_map,
	[SYS_MEM_UNMAP] = sys_mem_unmap,
	[SYS_CPU_ID] = sys_cpu_id,
	[SYS_CPU_COUNT] = sys_cpu_count,
	[SYS_CLOCK] = sys_clock,
	[SYS_TASK_KILL] = sys_task_kill,
	[SYS_THREAD_SELF] = sys_thread_self,
	[SYS_CAP_DELETE] = sys_cap_delete,
	[SYS_ENDPOINT_CREATE] = sys_endpoint_create,
	[SYS_NOTIFICATION_CREATE] = sys_notification_create,
	[SYS_CAP_DERIVE] = sys_cap_derive,
	[SYS_IPC_SEND] = sys_ipc_send,
	[SYS_IPC_RECV] = sys_ipc_recv,
	[SYS_IPC_CALL] = sys_ipc_call,
	[SYS_IPC_REPLY] = sys_ipc_reply,
	[SYS_IPC_REPLY_RECV] = sys_ipc_reply_recv,
	[SYS_NOTIFY_SIGNAL] = sys_notify_signal,
	[SYS_NOTIFY_WAIT] = sys_notify_wait,
	[SYS_NOTIFY_POLL] = sys_notify_poll,
	[SYS_IRQ_BIND] = sys_irq_bind,
	[SYS_IO_IN] = sys_io_in,
	[SYS_IO_OUT] = sys_io_out,
	[SYS_FUTEX_WAIT] = sys_futex_wait,
	[SYS_FUTEX_WAKE] = sys_futex_wake,
	[SYS_MODULE_INFO] = sys_module_info,
	[SYS_MODULE_READ] = sys_module_read,
	[SYS_THREAD_LIST] = sys_thread_list,
	[SYS_CPU_INFO] = sys_cpu_info,
};

static CPU_LOCAL uint32_t taken;

void syscall_entry(struct trap_frame *tf)
{
	uint32_t n = tf->eax;

	taken++;
	trace_syscall_enter(n);
	if (likely(n < SYS_COUNT && syscalls[n])) {
		tf->eax = (uint32_t)syscalls[n](tf);
		trace_syscall_exit(n, tf->eax);
	} else {
		tf->eax = (uint32_t)-ENOSYS;
	}
	return_to_user(tf);
}

uint32_t syscalls_taken(unsigned cpu)
{
	return READ_ONCE(*cpu_local_of(&taken, cpu));
}
