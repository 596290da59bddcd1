; kernel/trap/trap_entry_i386.asm - the one way into the kernel: every
; interrupt, exception and system call, from ring 0 or ring 3.
;
; Receives: interrupts off (all gates are interrupt gates); if the trap
; came from ring 3 the CPU has switched to this thread's kernel stack
; (TSS.esp0) and pushed user ss and esp; then eflags, cs, eip and, for some
; exceptions, an error code. Every other register still holds the
; interrupted context's values, %gs included (the user's UTLS selector, or
; KTLS when ring 0 was interrupted).
;
; Leaves for C: a struct trap_frame (trap_frame_i386.h) on the stack,
; %ds = %es = kernel data, %fs = null, %gs = KTLS (this core's cpu-locals),
; direction flag clear; calls trap_dispatch(frame), or for the system
; call vector syscall_entry(frame) (syscall.c), which skips the checks a
; system call never needs: it is neither an exception nor an NMI, and it
; always comes from ring 3 (the kernel never executes int 0x80).
;
; trap_return restores the frame: reloading the saved %gs is what makes a
; rewritten UTLS descriptor take effect, and iret returns to the saved
; context (and stack, when it returns to ring 3). New threads start here.

%include "selectors.inc"
%include "vectors.inc"

extern trap_dispatch
extern syscall_entry

; Vectors for which the CPU pushes an error code.
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

section .text

%macro TRAP_STUB 1
trap_stub_%1:
%if HAS_ERROR_CODE(%1) == 0
	push dword 0
%endif
	push dword %1
%if %1 == VEC_SYSCALL
	jmp syscall_common
%else
	jmp trap_common
%endif
%endmacro

; Saves the interrupted context and loads the kernel's segments.
%macro SAVE_CONTEXT 0
	push ds
	push es
	push fs
	push gs
	pushad
	mov ax, SEL_KERNEL_DATA
	mov ds, ax
	mov es, ax
	xor eax, eax
	mov fs, ax
	mov ax, SEL_KTLS
	mov gs, ax
	cld
%endmacro

%assign vec 0
%rep VEC_COUNT
TRAP_STUB vec
%assign vec vec + 1
%endrep

syscall_common:
	SAVE_CONTEXT
	push esp			; struct trap_frame *
	call syscall_entry
	add esp, 4
	jmp trap_return

trap_common:
	SAVE_CONTEXT
	push esp			; struct trap_frame *
	call trap_dispatch
	add esp, 4

global trap_return
trap_return:
	popad
	pop gs
	pop fs
	pop es
	pop ds
	add esp, 8			; vector and error code
	iret

section .rodata
global trap_stub_table
trap_stub_table:
%assign vec 0
%rep VEC_COUNT
	dd trap_stub_ %+ vec
%assign vec vec + 1
%endrep
