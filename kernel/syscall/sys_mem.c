/* System calls on the caller's user memory. */
#include "syscall/syscall.h"

#include "sched/thread.h"
#include "task/task.h"
#include "task/task_memory.h"
#include "uapi/errno.h"

/* (hint, size, prot) -> the address of size bytes of zeroed memory */
int32_t sys_mem_map(struct trap_frame *tf)
{
	uintptr_t addr;
	int err = task_mem_map(current_thread()->task, SYSCALL_ARG1(tf), SYSCALL_ARG2(tf),
			       SYSCALL_ARG3(tf), &addr);

	return err ? err : (int32_t)addr;
}

int32_t sys_mem_unmap(struct trap_frame *tf)
{
	return task_mem_unmap(current_thread()->task, SYSCALL_ARG1(tf), SYSCALL_ARG2(tf));
}
