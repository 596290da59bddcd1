; kernel/trap/probe_i386.asm - memory accesses and instructions that may
; fault on purpose. Each faulting instruction has an entry in .extable;
; when it faults, the trap handler records the fault (trap/probe.h) and
; resumes at the fixup, which returns -1 instead of 0.
;
; Receives: cdecl arguments on the stack, kernel segments, any interrupt
; state. Leaves: eax = 0 on success, -1 after a fault; preserves the
; cdecl callee-saved registers.

section .text

%macro EXTABLE 2
section .extable
	dd %1, %2
section .text
%endmacro

; int probe_read32(uintptr_t addr, uint32_t *value)
global probe_read32
probe_read32:
	mov ecx, [esp + 4]
.access:
	mov eax, [ecx]
	mov edx, [esp + 8]
	mov [edx], eax
	xor eax, eax
	ret
.fixup:
	mov eax, -1
	ret
EXTABLE probe_read32.access, probe_read32.fixup

; int probe_write32(uintptr_t addr, uint32_t value)
global probe_write32
probe_write32:
	mov ecx, [esp + 4]
	mov eax, [esp + 8]
.access:
	mov [ecx], eax
	xor eax, eax
	ret
.fixup:
	mov eax, -1
	ret
EXTABLE probe_write32.access, probe_write32.fixup

; int probe_divide(uint32_t dividend, uint32_t divisor, uint32_t *quotient)
global probe_divide
probe_divide:
	mov eax, [esp + 4]
	xor edx, edx
	mov ecx, [esp + 8]
.access:
	div ecx
	mov edx, [esp + 12]
	mov [edx], eax
	xor eax, eax
	ret
.fixup:
	mov eax, -1
	ret
EXTABLE probe_divide.access, probe_divide.fixup

; int probe_breakpoint(void): executes int3, a trap, so the saved eip is
; the instruction after it; the extable entry is keyed on that address.
global probe_breakpoint
probe_breakpoint:
	xor eax, eax
	int3
.after:
	ret
.fixup:
	mov eax, -1
	ret
EXTABLE probe_breakpoint.after, probe_breakpoint.fixup

; int probe_breakpoint_with_gs(uint16_t selector, uint16_t *gs_after)
global probe_breakpoint_with_gs
probe_breakpoint_with_gs:
	mov ecx, [esp + 4]
	mov edx, gs
	xor eax, eax
	mov gs, cx
	int3
.after:
	mov ecx, gs
	mov gs, dx
	mov edx, [esp + 8]
	mov [edx], cx
	ret
.fixup:
	mov eax, -1
	jmp .after
EXTABLE probe_breakpoint_with_gs.after, probe_breakpoint_with_gs.fixup

; int probe_load_gs(uint16_t selector): loads %gs, then restores KTLS.
global probe_load_gs
probe_load_gs:
	mov eax, [esp + 4]
	mov ecx, gs
.access:
	mov gs, ax
	mov gs, cx
	xor eax, eax
	ret
.fixup:
	mov gs, cx
	mov eax, -1
	ret
EXTABLE probe_load_gs.access, probe_load_gs.fixup
