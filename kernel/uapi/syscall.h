/*
 * The system call ABI (i386): int 0x80 with the number in %eax and up to
 * six arguments in %ebx, %ecx, %edx, %esi, %edi, %ebp; the result comes
 * back in %eax (a negative value is -errno, uapi/errno.h). SYS_CLOCK also
 * returns the high word of its 64-bit result in %edx.
 */
#ifndef LOCUS_UAPI_SYSCALL_H
#define LOCUS_UAPI_SYSCALL_H

#define SYSCALL_VECTOR 0x80

/* Threads a task may have alive at once (thread_create: -EAGAIN beyond);
 * as many as a task has UTCB slots (uapi/utcb.h). */
#define TASK_THREADS_MAX 256

#define SYS_NULL 0		/* () -> 0: the cheapest round trip */
#define SYS_DEBUG_WRITE 1	/* (buf, len) -> len: straight to the serial port */
#define SYS_THREAD_CREATE 2	/* (entry, stack, tls, arg, priority, cpu) -> thread cap */
#define SYS_THREAD_EXIT 3	/* (status) */
#define SYS_THREAD_JOIN 4	/* (thread cap, int *status) -> 0 */
#define SYS_YIELD 5		/* () -> 0 */
#define SYS_SLEEP 6		/* (milliseconds) -> 0 */
#define SYS_SET_TLS 7		/* (tcb) -> 0: this thread's UTLS base */
#define SYS_TASK_SPAWN 8	/* (struct spawn_request *) -> task cap */
#define SYS_TASK_EXIT 9		/* (status) */
#define SYS_TASK_WAIT 10	/* (task cap, int *status) -> 0 */
#define SYS_MEM_MAP 11		/* (hint, size, prot) -> address */
#define SYS_MEM_UNMAP 12	/* (address, size) -> 0 */
#define SYS_CPU_ID 13		/* () -> the core running the caller */
#define SYS_CPU_COUNT 14	/* () -> cores online */
#define SYS_CLOCK 15		/* () -> nanoseconds since boot, in %edx:%eax */
#define SYS_TASK_KILL 16	/* (task cap) -> 0 */
#define SYS_THREAD_SELF 17	/* () -> this thread's id */
#define SYS_CAP_DELETE 18	/* (slot) -> 0 */
#define SYS_ENDPOINT_CREATE 19	/* () -> endpoint cap (all rights) */
#define SYS_NOTIFICATION_CREATE 20 /* () -> notification cap (all rights) */
#define SYS_CAP_DERIVE 21	/* (slot, rights, badge, dest or 0) -> new slot: fewer rights, a badge */
#define SYS_IPC_SEND 22		/* (endpoint cap, flags) -> 0: the message in the UTCB */
#define SYS_IPC_RECV 23		/* (endpoint cap, flags) -> 0: the message in the UTCB */
#define SYS_IPC_CALL 24		/* (endpoint cap) -> 0: the reply in the UTCB */
#define SYS_IPC_REPLY 25	/* () -> 0: to the last caller */
#define SYS_IPC_REPLY_RECV 26	/* (endpoint cap) -> 0: reply, then wait for the next */
#define SYS_NOTIFY_SIGNAL 27	/* (notification cap, bits) -> 0 */
#define SYS_NOTIFY_WAIT 28	/* (notification cap) -> the bits (blocks until non-zero) */
#define SYS_NOTIFY_POLL 29	/* (notification cap) -> the bits (maybe 0) */
#define SYS_IRQ_BIND 30		/* (irq cap, notification cap, bits) -> 0 */
#define SYS_IO_IN 31		/* (io ports cap, offset) -> the byte read */
#define SYS_IO_OUT 32		/* (io ports cap, offset, byte) -> 0 */
#define SYS_FUTEX_WAIT 33	/* (uint32_t *addr, expected, timeout ms or 0) -> 0 */
#define SYS_FUTEX_WAKE 34	/* (uint32_t *addr, count) -> threads woken */
#define SYS_MODULE_INFO 35	/* (index, struct module_info *) -> 0, -ENOENT past the end */
#define SYS_MODULE_READ 36	/* (name, offset, buf, len) -> bytes read */
#define SYS_THREAD_LIST 37	/* (struct thread_info *, max) -> threads (all tasks) */
#define SYS_CPU_INFO 38		/* (cpu, struct cpu_info *) -> 0 */
#define SYS_COUNT 39

/* ipc_send / ipc_recv flags. */
#define IPC_NONBLOCK 0x1

/* Notification words have 31 bits, so that a word is never a -errno. */
#define NOTIFY_BITS_MASK 0x7FFFFFFFu

/* mem_map protections. */
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

/* thread_create's cpu argument: let the kernel choose. */
#define CPU_ANY (-1)

#define SPAWN_NAME_MAX 32
#define SPAWN_ARGS_MAX 128
#define SPAWN_CAPS_MAX 8

/* What task_spawn starts. */
struct spawn_request {
	const char *name;		/* a boot module */
	const char *args;		/* space-separated words, argv[1..] */
	int cpu;			/* the main thread's core, or CPU_ANY */
	unsigned cap_count;		/* capabilities to give the child: */
	int caps[SPAWN_CAPS_MAX];	/* caller's slots, copied ... */
	int cap_dest[SPAWN_CAPS_MAX];	/* ... to these child slots (0: slot i + 1) */
};

#endif
