/*
 * The kernel's symbol table (.ksyms, written by tools/ksyms.sh) names
 * every function from the first in .text, and nothing outside it.
 */
#include "lib/ksyms.h"
#include "lib/string.h"
#include "test/ktest.h"

extern const char __text_start[];

KTEST(lib, ksyms_name_functions)
{
	uintptr_t off = 1;
	const char *name = ksym_lookup((uintptr_t)ksym_lookup + 3, &off);

	KT_ASSERT(name != NULL);
	KT_CHECK(strcmp(name, "ksym_lookup") == 0);
	KT_CHECK_EQ(off, 3);
	/* The first function of .text has its own name (not a linker
	 * marker, which tools/ksyms.sh leaves out). */
	name = ksym_lookup((uintptr_t)__text_start, &off);
	KT_ASSERT(name != NULL);
	KT_CHECK(name[0] != '\0' && strncmp(name, "__", 2) != 0);
	KT_CHECK_EQ(off, 0);
	/* Below the kernel's code there is nothing to name. */
	KT_CHECK(ksym_lookup((uintptr_t)__text_start - 1, &off) == NULL);
	KT_CHECK(ksym_lookup(0x1000, &off) == NULL);
}
