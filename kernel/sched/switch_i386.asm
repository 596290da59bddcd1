; kernel/sched/switch_i386.asm - switching kernel stacks between threads.
;
; void context_switch(uint32_t *save_esp, uint32_t load_esp)
; Receives: interrupts off, this core's run-queue lock held (the thread
; switched to releases it, in sched_finish_switch). Pushes the cdecl
; callee-saved registers on the current stack, stores esp in *save_esp,
; switches to load_esp and pops the next thread's callee-saved registers.
; Leaves: returns into the next thread where it called context_switch, or
; into thread_first_run if it never ran. eax, ecx, edx are clobbered.

extern sched_finish_switch
extern return_to_user
extern trap_return
extern thread_exit

section .text
global context_switch
context_switch:
	mov eax, [esp + 4]
	mov edx, [esp + 8]
	push ebp
	push ebx
	push esi
	push edi
	mov [eax], esp
	mov esp, edx
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

; The first instructions of every thread. thread.c builds the stack so
; that context_switch "returns" here with:
;   ebx = the entry function of a kernel thread, esi = its argument;
;   ebx = 0 for a user thread, whose trap frame is now on top of the stack.
; Leaves: a kernel thread runs entry(arg) with interrupts on and exits
; with its return value; a user thread goes through the same checks as
; every return to user mode (return_to_user), then trap_return into ring 3.
global thread_first_run
thread_first_run:
	call sched_finish_switch
	test ebx, ebx
	jnz .kernel_thread
	push esp
	call return_to_user
	add esp, 4
	jmp trap_return
.kernel_thread:
	sti
	push esi
	call ebx
	push eax
	call thread_exit
