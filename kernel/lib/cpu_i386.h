/*
 * i386 instructions C cannot express: port I/O, control registers, the
 * interrupt flag, TLB invalidation, the time-stamp counter.
 */
#ifndef LOCUS_LIB_CPU_I386_H
#define LOCUS_LIB_CPU_I386_H

#include <stdint.h>
#include <stdbool.h>

#define EFLAGS_IF (1u << 9)

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t read_eflags(void)
{
	uint32_t f;

	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline bool interrupts_enabled(void)
{
	return read_eflags() & EFLAGS_IF;
}

static inline void cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline void sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}

/* Disables interrupts and returns whether they were on. */
static inline bool irq_save(void)
{
	bool was_on = interrupts_enabled();

	cli();
	return was_on;
}

static inline void irq_restore(bool was_on)
{
	if (was_on)
		sti();
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void halt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

/* Enables interrupts and halts as one step: sti takes effect only after
 * the next instruction, so no interrupt can slip in between and leave the
 * core asleep with work to do. */
static inline void enable_interrupts_and_halt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

static inline uint32_t read_cr0(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint16_t read_gs(void)
{
	uint16_t v;

	__asm__ volatile("mov %%gs, %0" : "=r"(v));
	return v;
}

static inline void load_gs(uint16_t sel)
{
	__asm__ volatile("mov %0, %%gs" : : "r"(sel) : "memory");
}

#endif
