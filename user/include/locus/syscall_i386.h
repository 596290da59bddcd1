/*
 * Entering the kernel from user code: int 0x80 with the number in %eax
 * and the arguments in %ebx, %ecx, %edx, %esi, %edi, %ebp (uapi/syscall.h).
 */
#ifndef LOCUS_USER_SYSCALL_I386_H
#define LOCUS_USER_SYSCALL_I386_H

#include <stdint.h>

#include "uapi/syscall.h"

static inline int32_t syscall0(uint32_t n)
{
	int32_t r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n) : "memory");
	return r;
}

static inline int32_t syscall1(uint32_t n, uint32_t a)
{
	int32_t r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a) : "memory");
	return r;
}

static inline int32_t syscall2(uint32_t n, uint32_t a, uint32_t b)
{
	int32_t r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b) : "memory");
	return r;
}

static inline int32_t syscall3(uint32_t n, uint32_t a, uint32_t b, uint32_t c)
{
	int32_t r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static inline int32_t syscall5(uint32_t n, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
			       uint32_t e)
{
	int32_t r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return r;
}

/*
 * Six arguments need %ebp, the frame pointer: it is saved around the
 * call, and the number and the first and sixth arguments are loaded from
 * memory inside the asm (the compiler may be using %ebx and %ebp).
 */
static inline int32_t syscall6(uint32_t n, uint32_t a, uint32_t b, uint32_t c, uint32_t d,
			       uint32_t e, uint32_t f)
{
	int32_t r;
	uint32_t in[3] = { a, f, n };

	__asm__ volatile("pushl %%ebp\n\t"
			 "pushl %%ebx\n\t"
			 "movl 4(%%eax), %%ebp\n\t"
			 "movl 0(%%eax), %%ebx\n\t"
			 "movl 8(%%eax), %%eax\n\t"
			 "int $0x80\n\t"
			 "popl %%ebx\n\t"
			 "popl %%ebp"
			 : "=a"(r)
			 : "a"(in), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return r;
}

/* Results from -4095 to -1 are errors (-errno); anything else is a value
 * (mem_map returns addresses above 2 GiB, negative as int32_t). */
static inline int syscall_failed(int32_t r)
{
	return r < 0 && r >= -4095;
}

#endif
