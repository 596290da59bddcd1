/*
 * Where the application-processor trampoline lives and how the boot core
 * passes it what each AP needs (shared with nasm through a generated .inc,
 * so only plain "#define NAME value" lines belong here).
 *
 * A STARTUP IPI starts the AP in real mode at TRAMPOLINE_PHYS (it must be
 * page-aligned and below 1 MiB); the parameter block sits at the end of
 * the same page.
 */
#ifndef LOCUS_SMP_TRAMPOLINE_H
#define LOCUS_SMP_TRAMPOLINE_H

#define TRAMPOLINE_PHYS 0x8000
#define TRAMPOLINE_MAX_SIZE 0xF00
#define AP_PARAMS_PHYS 0x8F00

#define AP_PARAM_CR3 0
#define AP_PARAM_GDT_LIMIT 4
#define AP_PARAM_GDT_BASE 6
#define AP_PARAM_STACK_TOP 12
#define AP_PARAM_ENTRY 16
#define AP_PARAM_STARTED 20

#endif
