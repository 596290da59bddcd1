/*
 * The scheduling and IPC trace (docs/tracing.md).
 *
 * Every core records what it does into a ring of 16-byte events, a
 * cpu-local: context switches, system calls, IPC messages, interrupts and
 * halts of the idle loop. The boot option `trace` runs a scenario (an IPC
 * ping-pong across cores, then a threaded program) with recording on, and
 * prints every core's ring on the serial port as lines
 *
 *	TRACE <cpu> <tsc> <kind> <a> <b>
 *
 * for tools/trace_convert.py to turn into a timeline.
 *
 * Tracing is compiled in only with -DLOCUS_TRACE (make trace). Otherwise
 * every trace point is an empty statement whose arguments are never
 * evaluated: the default kernel holds no trace code, data or symbol
 * (tests/scripts/trace_check.sh checks the symbols).
 */
#ifndef LOCUS_TRACE_TRACE_H
#define LOCUS_TRACE_TRACE_H

#include <stdint.h>

enum trace_kind {
	TRACE_SWITCH = 1,	/* a: tid switched from, b: tid switched to */
	TRACE_SYSCALL_ENTER,	/* a: number, b: calling tid */
	TRACE_SYSCALL_EXIT,	/* a: number, b: result */
	TRACE_IPC_SEND,		/* a: receiver's tid, b: message id */
	TRACE_IPC_RECV,		/* a: sender's tid, b: message id */
	TRACE_IRQ,		/* a: vector */
	TRACE_IDLE_ENTER,	/* the idle loop halts the core */
	TRACE_IDLE_EXIT,	/* ... and an interrupt woke it */
};

/* 16 bytes: a ring of 8192 events is 128 KiB per core. */
struct trace_event {
	uint64_t tsc;		/* rdtsc: one clock for every core */
	uint32_t kind : 8;
	uint32_t a : 24;
	uint32_t b;
};

#ifdef LOCUS_TRACE

struct thread;

/* The trace points: each records one event on this core while recording
 * is on (the trace scenario), and does nothing otherwise. */
void trace_switch(const struct thread *prev, const struct thread *next);
void trace_syscall_enter(uint32_t number);
/* Also records the receive of a message the thread was given meanwhile:
 * this is when it sees it. */
void trace_syscall_exit(uint32_t number, uint32_t result);
/* from's message was copied into to's UTCB. */
void trace_ipc_send(const struct thread *from, const struct thread *to);
/* Every vector but the system call's (that one is a syscall event). */
void trace_irq(unsigned vector);
void trace_idle_enter(void);
void trace_idle_exit(void);

/* Boot option `trace`: starts the scenario thread, which ends the machine. */
void trace_start_scenario(void);

#else /* !LOCUS_TRACE */

#include "dev/qemu_exit.h"
#include "lib/console.h"

#define trace_switch(prev, next) do { } while (0)
#define trace_syscall_enter(n) do { } while (0)
#define trace_syscall_exit(n, result) do { } while (0)
#define trace_ipc_send(from, to) do { } while (0)
#define trace_irq(vector) do { } while (0)
#define trace_idle_enter() do { } while (0)
#define trace_idle_exit() do { } while (0)

static inline void trace_start_scenario(void)
{
	kprintf("trace: this kernel was built without tracing; `make trace` builds one\n");
	qemu_exit(QEMU_EXIT_FAIL);
}

#endif /* LOCUS_TRACE */

#endif
