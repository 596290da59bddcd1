/*
 * The kernel's own symbol table, assembled into .ksyms by the second link
 * (tools/ksyms.sh), so that backtraces show function names.
 */
#ifndef LOCUS_LIB_KSYMS_H
#define LOCUS_LIB_KSYMS_H

#include <stdint.h>

/* The function containing addr, or NULL; *offset is addr - its start. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

#endif
