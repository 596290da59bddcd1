; boot/ap_entry.asm - an application core's entry into the higher half,
; and the trampoline image the boot core copies below 1 MiB.
;
; Receives (from ap_trampoline.asm): protected mode, paging on, GDTR =
; this core's own GDT, CS = SEL_KERNEL_CODE, ESP = this core's stack,
; interrupts off; the other segment registers still hold the trampoline's.
; Leaves: data segments reloaded from this core's GDT, TR = its TSS,
; %gs = KTLS (its cpu-local region: cpu-locals work from the first C
; instruction), EBP = 0; calls ap_main(), which never returns.

%include "selectors.inc"

section .text
extern ap_main
global ap_entry
ap_entry:
	mov ax, SEL_KERNEL_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov ax, SEL_TSS
	ltr ax
	mov ax, SEL_KTLS
	mov gs, ax
	xor ebp, ebp
	call ap_main
.hang:
	cli
	hlt
	jmp .hang

section .rodata
global ap_trampoline_start
global ap_trampoline_end
ap_trampoline_start:
	incbin "ap_trampoline.bin"
ap_trampoline_end:
