/*
 * System call dispatch: int 0x80 arrives as an interrupt gate (DPL 3) at
 * a stub of its own (trap_entry_i386.asm), which hands the frame straight
 * to syscall_entry, not through trap_dispatch. Handlers read
 * their arguments from the frame (SYSCALL_ARG1..6) and return the result
 * that goes back in %eax.
 */
#ifndef LOCUS_SYSCALL_SYSCALL_H
#define LOCUS_SYSCALL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/smp.h"
#include "trap/trap_frame_i386.h"
#include "uapi/syscall.h"

#define SYSCALL_ARG1(tf) ((tf)->ebx)
#define SYSCALL_ARG2(tf) ((tf)->ecx)
#define SYSCALL_ARG3(tf) ((tf)->edx)
#define SYSCALL_ARG4(tf) ((tf)->esi)
#define SYSCALL_ARG5(tf) ((tf)->edi)
#define SYSCALL_ARG6(tf) ((tf)->ebp)

/* A core a new thread may be pinned to: an online one, or CPU_ANY. */
static inline bool syscall_cpu_valid(int cpu)
{
	return cpu == CPU_ANY || cpu_is_online((unsigned)cpu);
}

typedef int32_t (*syscall_fn)(struct trap_frame *tf);

/* Runs the system call of a frame from int 0x80, then return_to_user. */
void syscall_entry(struct trap_frame *tf);

/* The handlers, by group (each file is one group). */
int32_t sys_null(struct trap_frame *tf);
int32_t sys_debug_write(struct trap_frame *tf);
int32_t sys_cpu_id(struct trap_frame *tf);
int32_t sys_cpu_count(struct trap_frame *tf);
int32_t sys_clock(struct trap_frame *tf);

int32_t sys_thread_create(struct trap_frame *tf);
int32_t sys_thread_exit(struct trap_frame *tf);
int32_t sys_thread_join(struct trap_frame *tf);
int32_t sys_thread_self(struct trap_frame *tf);
int32_t sys_yield(struct trap_frame *tf);
int32_t sys_sleep(struct trap_frame *tf);
int32_t sys_set_tls(struct trap_frame *tf);

int32_t sys_task_spawn(struct trap_frame *tf);
int32_t sys_task_exit(struct trap_frame *tf);
int32_t sys_task_wait(struct trap_frame *tf);
int32_t sys_task_kill(struct trap_frame *tf);
int32_t sys_cap_delete(struct trap_frame *tf);

int32_t sys_mem_map(struct trap_frame *tf);
int32_t sys_mem_unmap(struct trap_frame *tf);

int32_t sys_endpoint_create(struct trap_frame *tf);
int32_t sys_notification_create(struct trap_frame *tf);
int32_t sys_cap_derive(struct trap_frame *tf);
int32_t sys_ipc_send(struct trap_frame *tf);
int32_t sys_ipc_recv(struct trap_frame *tf);
int32_t sys_ipc_call(struct trap_frame *tf);
int32_t sys_ipc_reply(struct trap_frame *tf);
int32_t sys_ipc_reply_recv(struct trap_frame *tf);
int32_t sys_notify_signal(struct trap_frame *tf);
int32_t sys_notify_wait(struct trap_frame *tf);
int32_t sys_notify_poll(struct trap_frame *tf);
int32_t sys_irq_bind(struct trap_frame *tf);
int32_t sys_io_in(struct trap_frame *tf);
int32_t sys_io_out(struct trap_frame *tf);

int32_t sys_futex_wait(struct trap_frame *tf);
int32_t sys_futex_wake(struct trap_frame *tf);
int32_t sys_module_info(struct trap_frame *tf);
int32_t sys_module_read(struct trap_frame *tf);
int32_t sys_thread_list(struct trap_frame *tf);
int32_t sys_cpu_info(struct trap_frame *tf);

/* System calls taken on a core (statistics). */
uint32_t syscalls_taken(unsigned cpu);

#endif
