; boot/ap_trampoline.asm - the first instructions of an application core.
; Assembled as a flat binary and copied by the boot core to
; TRAMPOLINE_PHYS, below 1 MiB; smp.c fills the parameter block at
; AP_PARAMS_PHYS before each STARTUP IPI.
;
; Receives: real mode, CS:IP = (TRAMPOLINE_PHYS >> 4):0, interrupts off,
; nothing else set up.
; Leaves: protected mode with paging on (CR3 = the AP boot page directory:
; the kernel's plus an identity map of the first 4 MiB), ESP = this core's
; stack, GDTR = this core's own GDT (in its cpu-local region), and jumps
; with CS = SEL_KERNEL_CODE to the higher-half entry (ap_entry).

%include "trampoline.inc"
%include "selectors.inc"

CR0_PE		equ 1 << 0
CR0_WP		equ 1 << 16
CR0_PG		equ 1 << 31
CR4_PSE		equ 1 << 4
CR4_PGE		equ 1 << 7

bits 16
org TRAMPOLINE_PHYS

ap_start16:
	cli
	cld
	xor ax, ax
	mov ds, ax
	lgdt [temporary_gdt_pointer]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	jmp dword SEL_KERNEL_CODE:ap_start32

bits 32
ap_start32:
	mov ax, SEL_KERNEL_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr4
	or eax, CR4_PSE | CR4_PGE
	mov cr4, eax
	mov eax, [AP_PARAMS_PHYS + AP_PARAM_CR3]
	mov cr3, eax
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	mov esp, [AP_PARAMS_PHYS + AP_PARAM_STACK_TOP]
	lgdt [AP_PARAMS_PHYS + AP_PARAM_GDT_LIMIT]
	push dword SEL_KERNEL_CODE
	push dword [AP_PARAMS_PHYS + AP_PARAM_ENTRY]
	retf

; Flat code and data at the same indexes as in every core's own GDT, just
; enough to reach 32-bit mode.
align 8
temporary_gdt:
	dq 0
	dq 0x00CF9A000000FFFF		; SEL_KERNEL_CODE: base 0, 4 GiB, ring 0 code
	dq 0x00CF92000000FFFF		; SEL_KERNEL_DATA: base 0, 4 GiB, ring 0 data
temporary_gdt_end:

temporary_gdt_pointer:
	dw temporary_gdt_end - temporary_gdt - 1
	dd temporary_gdt

%if ($ - $$) > TRAMPOLINE_MAX_SIZE
%error "the trampoline overlaps its parameter block"
%endif
