/* System calls about the machine: null, debug output, cores, the clock. */
#include "syscall/syscall.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/console.h"
#include "smp/smp.h"
#include "smp/timer.h"
#include "task/uaccess.h"
#include "uapi/errno.h"

#define DEBUG_WRITE_MAX 4096
#define DEBUG_WRITE_CHUNK 512

int32_t sys_null(struct trap_frame *tf)
{
	(void)tf;
	return 0;
}

/* Writes straight to the console, DEBUG_WRITE_CHUNK bytes at a time (each
 * chunk lands whole). Returns the bytes written. */
int32_t sys_debug_write(struct trap_frame *tf)
{
	uintptr_t buf = SYSCALL_ARG1(tf);
	size_t len = MIN((size_t)SYSCALL_ARG2(tf), (size_t)DEBUG_WRITE_MAX);
	char chunk[DEBUG_WRITE_CHUNK];

	for (size_t done = 0; done < len;) {
		size_t n = MIN(len - done, sizeof(chunk));
		int err = copy_from_user(chunk, buf + done, n);

		if (err)
			return err;
		console_write(chunk, n);
		done += n;
	}
	return (int32_t)len;
}

int32_t sys_cpu_id(struct trap_frame *tf)
{
	(void)tf;
	return (int32_t)cpu_id();
}

int32_t sys_cpu_count(struct trap_frame *tf)
{
	(void)tf;
	return (int32_t)cpu_count();
}

int32_t sys_clock(struct trap_frame *tf)
{
	uint64_t ns = clock_ns();

	tf->edx = (uint32_t)(ns >> 32);
	return (int32_t)(uint32_t)ns;
}
