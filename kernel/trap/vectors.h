/*
 * Interrupt vector numbers (shared with nasm through a generated .inc).
 *
 *   0 .. 31   CPU exceptions
 *  32 .. 47   legacy IRQs 0 .. 15 (routed through the I/O APIC)
 *  0x40 ..    kernel IPIs and the local APIC's own interrupts
 *  0x80       system call (int 0x80, callable from ring 3)
 */
#ifndef LOCUS_TRAP_VECTORS_H
#define LOCUS_TRAP_VECTORS_H

#define VEC_DIVIDE_ERROR 0
#define VEC_DEBUG 1
#define VEC_NMI 2
#define VEC_BREAKPOINT 3
#define VEC_OVERFLOW 4
#define VEC_BOUND 5
#define VEC_INVALID_OPCODE 6
#define VEC_DEVICE_NOT_AVAILABLE 7
#define VEC_DOUBLE_FAULT 8
#define VEC_INVALID_TSS 10
#define VEC_SEGMENT_NOT_PRESENT 11
#define VEC_STACK_FAULT 12
#define VEC_GENERAL_PROTECTION 13
#define VEC_PAGE_FAULT 14
#define VEC_X87_FAULT 16
#define VEC_ALIGNMENT_CHECK 17
#define VEC_MACHINE_CHECK 18
#define VEC_SIMD_FAULT 19
#define VEC_EXCEPTIONS 32

#define VEC_IRQ_BASE 32
#define VEC_IRQ_COUNT 16

#define VEC_IPI_RESCHEDULE 0x40
#define VEC_IPI_CALL 0x41
#define VEC_LAPIC_TIMER 0x48
#define VEC_LAPIC_ERROR 0x49
#define VEC_SYSCALL 0x80
#define VEC_SPURIOUS 0xFF

#define VEC_COUNT 256

#endif
