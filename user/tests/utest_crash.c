/*
 * Hostile and buggy behaviour, one kind per run ("utest_crash KIND"):
 * each must kill only this task, with exit status 128 + the vector.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "locus.h"

#define SEL_KTLS_RPL3 0x33
#define SEL_KERNEL_DATA_RPL3 0x13
#define SEL_BEYOND_GDT 0x1FB

static volatile uintptr_t zero;

/* Recurses until the stack runs out (zero is always 0: the compiler
 * cannot see that the recursion never ends). */
static int recurse(int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth < 0 && zero)
		return 0;
	return recurse(depth + 1) + pad[0];
}

/*
 * "SEG_SEL": loads selector SEL (ktls, kernel_data or garbage) into
 * segment register SEG (gs, fs, ds, es or ss). Returns false for a kind
 * of another form.
 */
static bool load_segment(const char *kind)
{
	static const struct {
		const char *name;
		uint16_t sel;
	} sels[] = {
		{ "ktls", SEL_KTLS_RPL3 },
		{ "kernel_data", SEL_KERNEL_DATA_RPL3 },
		{ "garbage", SEL_BEYOND_GDT },
	};
	const char *sel_name = kind + 3;

	if (strlen(kind) < 4 || kind[2] != '_')
		return false;
	for (unsigned i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		uint16_t sel = sels[i].sel;

		if (strcmp(sel_name, sels[i].name))
			continue;
		if (!strncmp(kind, "gs", 2))
			__asm__ volatile("movw %0, %%gs" : : "r"(sel));
		else if (!strncmp(kind, "fs", 2))
			__asm__ volatile("movw %0, %%fs" : : "r"(sel));
		else if (!strncmp(kind, "ds", 2))
			__asm__ volatile("movw %0, %%ds" : : "r"(sel));
		else if (!strncmp(kind, "es", 2))
			__asm__ volatile("movw %0, %%es" : : "r"(sel));
		else if (!strncmp(kind, "ss", 2))
			__asm__ volatile("movw %0, %%ss" : : "r"(sel));
		else
			return false;
		return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *kind = argc > 1 ? argv[1] : "";

	printf("utest_crash: %s\n", kind);
	if (!strcmp(kind, "null_write"))
		*(volatile int *)zero = 1;
	else if (!strcmp(kind, "kernel_read"))
		(void)*(volatile int *)(zero + 0xC0100000);
	else if (!strcmp(kind, "jump_to_kernel"))
		((void (*)(void))(zero + 0xC0100000))();
	else if (!strcmp(kind, "write_own_code"))
		*(volatile uint8_t *)(uintptr_t)main = 0xC3;
	else if (!strcmp(kind, "stack_overflow"))
		recurse(0);
	else if (load_segment(kind)) {
		/* It faulted, or it reports below that it did not. */
	}
	else if (!strcmp(kind, "cli"))
		__asm__ volatile("cli");
	else if (!strcmp(kind, "hlt"))
		__asm__ volatile("hlt");
	else if (!strcmp(kind, "port_in"))
		__asm__ volatile("inb $0x60, %%al" : : : "eax");
	else if (!strcmp(kind, "port_out"))
		__asm__ volatile("outb %%al, $0x80" : : "a"(0));
	else if (!strcmp(kind, "lgdt")) {
		static uint8_t descriptor[6];

		__asm__ volatile("lgdt %0" : : "m"(descriptor));
	} else if (!strcmp(kind, "lidt")) {
		static uint8_t descriptor[6];

		__asm__ volatile("lidt %0" : : "m"(descriptor));
	} else if (!strcmp(kind, "wrmsr"))
		__asm__ volatile("wrmsr" : : "c"(0x1B), "a"(0), "d"(0));
	else if (!strcmp(kind, "invalid_opcode"))
		__asm__ volatile("ud2");
	else if (!strcmp(kind, "divide_by_zero")) {
		/* Not 1 / d, which GCC turns into comparisons. */
		volatile int n = 100, d = (int)zero;

		printf("%d\n", n / d);
	} else if (!strcmp(kind, "utcb_unused_page")) {
		/* The last page of the UTCB area: never mapped in this task
		 * (other tasks' UTCBs are never mapped here at all). */
		(void)*(volatile int *)(zero + 0xBFC00000 + 0x3FF000);
	} else if (!strcmp(kind, "use_after_unmap")) {
		int *p = mem_map(NULL, 4096, PROT_READ | PROT_WRITE, NULL);

		*p = 1;
		mem_unmap(p, 4096);
		*(volatile int *)p = 2;
	} else {
		printf("utest_crash: unknown kind '%s'\n", kind);
		return 2;
	}
	printf("utest_crash: %s did not fault\n", kind);
	return 1;
}
