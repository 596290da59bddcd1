; boot/boot.asm - multiboot header and the first instructions of Locus.
;
; Receives (from GRUB, multiboot v1): 32-bit protected mode, paging off,
; flat 4 GiB code and data segments, interrupts off, EAX = 0x2BADB002 and
; EBX = physical address of the multiboot information. No usable stack.
;
; Leaves: paging on with boot_page_directory, which maps the first 4 MiB
; one to one (so the instruction after "mov cr0" still exists) and physical
; 0 .. 768 MiB at 0xC0000000 with 4 MiB pages; ESP at the top of the BSP's
; boot stack; EBP = 0 so backtraces stop here; then calls
; kmain(magic, multiboot_info_phys), which never returns.

%include "layout.inc"

MB_MAGIC	equ 0x1BADB002
MB_PAGE_ALIGN	equ 1 << 0		; modules on page boundaries
MB_MEMORY_INFO	equ 1 << 1		; we want the memory map
MB_FLAGS	equ MB_PAGE_ALIGN | MB_MEMORY_INFO

PDE_PRESENT	equ 1 << 0
PDE_WRITE	equ 1 << 1
PDE_LARGE	equ 1 << 7
PDE_GLOBAL	equ 1 << 8

CR0_PG		equ 1 << 31
CR0_WP		equ 1 << 16
CR4_PSE		equ 1 << 4
CR4_PGE		equ 1 << 7

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

section .boot
global _start
_start:
	cli
	mov ecx, boot_page_directory - KERNEL_VMA
	mov cr3, ecx
	mov ecx, cr4
	or ecx, CR4_PSE | CR4_PGE
	mov cr4, ecx
	mov ecx, cr0
	or ecx, CR0_PG | CR0_WP
	mov cr0, ecx
	mov ecx, higher_half
	jmp ecx

section .text
extern kmain
higher_half:
	mov esp, boot_stack_top
	xor ebp, ebp
	push ebx			; multiboot information, physical
	push eax			; multiboot magic
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .data
align 4096
; The kernel's master page directory. Entry 0 (identity) is removed once
; the kernel runs in the higher half; entries 768 .. 959 are the direct map
; and are shared, unchanged, by every address space.
global boot_page_directory
boot_page_directory:
	dd PDE_PRESENT | PDE_WRITE | PDE_LARGE
	times (KERNEL_VMA >> LARGE_PAGE_SHIFT) - 1 dd 0
%assign i 0
%rep DIRECT_MAP_PDES
	dd (i << LARGE_PAGE_SHIFT) | PDE_PRESENT | PDE_WRITE | PDE_LARGE | PDE_GLOBAL
%assign i i + 1
%endrep
	times 1024 - (KERNEL_VMA >> LARGE_PAGE_SHIFT) - DIRECT_MAP_PDES dd 0

section .bss
align 16
global boot_stack_bottom
boot_stack_bottom:
	resb BOOT_STACK_SIZE
global boot_stack_top
boot_stack_top:
