/*
 * What the kernel tells user programs about the system: the boot modules
 * (programs and files), the threads and the cores, for tools like the
 * shell's help, ps and cpus.
 */
#ifndef LOCUS_UAPI_SYSINFO_H
#define LOCUS_UAPI_SYSINFO_H

#include <stdint.h>

#define SYSINFO_NAME_MAX 32

struct module_info {
	char name[SYSINFO_NAME_MAX];
	uint32_t size;
	uint32_t is_program;		/* an ELF executable (else a data file) */
};

/* Thread states, as the kernel's enum thread_state numbers them. */
#define THREAD_STATE_NEW 0
#define THREAD_STATE_RUNNABLE 1
#define THREAD_STATE_RUNNING 2
#define THREAD_STATE_BLOCKED 3
#define THREAD_STATE_DEAD 4

struct thread_info {
	uint32_t tid;
	uint32_t task_id;
	char task_name[SYSINFO_NAME_MAX];
	uint8_t state;
	uint8_t cpu;
	uint8_t priority;
	uint8_t pad;
	uint32_t ticks;			/* timer ticks it ran */
};

struct cpu_info {
	uint32_t apic_id;
	uint32_t queued;		/* runnable threads waiting */
	uint32_t running_tid;		/* 0: idle */
	uint32_t switches;
	uint32_t steals;
	uint32_t syscalls;
	uint32_t ipc_fastpath;
	uint32_t idle_ticks;
	uint64_t ticks;
};

#endif
