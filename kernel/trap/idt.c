/*
 * The IDT: 256 interrupt gates into trap_entry_i386.asm (interrupt gates,
 * so the kernel is always entered with interrupts off), int 0x80 and int3
 * callable from ring 3, and a task gate for the double fault so that it
 * runs on a stack of its own even when the kernel stack overflowed.
 */
#include "trap/trap.h"

#include <stdint.h>

#include "gdt/selectors.h"
#include "uapi/syscall.h"

/* User code enters with int SYSCALL_VECTOR (the ABI's number). */
_Static_assert(VEC_SYSCALL == SYSCALL_VECTOR, "system call vector");

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_high;
} __packed;

#define GATE_PRESENT 0x80
#define GATE_DPL(n) ((n) << 5)
#define GATE_INTERRUPT_32 0x0E
#define GATE_TASK 0x05

extern const uint32_t trap_stub_table[VEC_COUNT];

/* Written once by the boot core in idt_init; read-only afterwards. */
static struct idt_gate idt[VEC_COUNT] __aligned(8);

static struct idt_gate interrupt_gate(uint32_t handler, unsigned dpl)
{
	return (struct idt_gate){
		.offset_low = handler & 0xFFFF,
		.selector = SEL_KERNEL_CODE,
		.type_attr = GATE_PRESENT | GATE_DPL(dpl) | GATE_INTERRUPT_32,
		.offset_high = handler >> 16,
	};
}

void idt_init(void)
{
	for (unsigned v = 0; v < VEC_COUNT; v++)
		idt[v] = interrupt_gate(trap_stub_table[v], 0);
	idt[VEC_SYSCALL] = interrupt_gate(trap_stub_table[VEC_SYSCALL], 3);
	idt[VEC_BREAKPOINT] = interrupt_gate(trap_stub_table[VEC_BREAKPOINT], 3);
	idt[VEC_DOUBLE_FAULT] = (struct idt_gate){
		.selector = SEL_DOUBLE_FAULT_TSS,
		.type_attr = GATE_PRESENT | GATE_TASK,
	};
	idt_load();
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __packed idtr = { sizeof(idt) - 1, (uint32_t)idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}
