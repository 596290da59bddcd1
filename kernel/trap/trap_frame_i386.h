/*
 * The i386 trap frame: what trap_entry_i386.asm leaves on the kernel stack
 * for every interrupt, exception and system call. The CPU pushes the part
 * from eip up (user_esp and user_ss only when coming from ring 3); the
 * entry stub pushes the vector and error code, then the segment registers,
 * then pushad. The offsets are shared with nasm (the lines below).
 */
#ifndef LOCUS_TRAP_TRAP_FRAME_I386_H
#define LOCUS_TRAP_TRAP_FRAME_I386_H

#define TF_GS 32
#define TF_VECTOR 48
#define TF_EIP 56
#define TF_CS 60
#define TF_SIZE_KERNEL 68
#define TF_SIZE_USER 76

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
	/* pushad */
	uint32_t edi, esi, ebp, esp_at_pushad, ebx, edx, ecx, eax;
	/* pushed by the entry stub; gs is the interrupted context's */
	uint32_t gs, fs, es, ds;
	uint32_t vector;
	uint32_t error;
	/* pushed by the CPU */
	uint32_t eip, cs, eflags;
	/* pushed by the CPU only on a change from ring 3 */
	uint32_t user_esp, user_ss;
};

_Static_assert(offsetof(struct trap_frame, gs) == TF_GS, "TF_GS");
_Static_assert(offsetof(struct trap_frame, vector) == TF_VECTOR, "TF_VECTOR");
_Static_assert(offsetof(struct trap_frame, eip) == TF_EIP, "TF_EIP");
_Static_assert(offsetof(struct trap_frame, cs) == TF_CS, "TF_CS");
_Static_assert(offsetof(struct trap_frame, user_esp) == TF_SIZE_KERNEL, "kernel frame");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE_USER, "user frame");

static inline int trap_frame_from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) == 3;
}
#endif

#endif
