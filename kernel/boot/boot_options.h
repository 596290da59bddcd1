/* The options the kernel was booted with (parsed in kmain). */
#ifndef LOCUS_BOOT_BOOT_OPTIONS_H
#define LOCUS_BOOT_BOOT_OPTIONS_H

#include "lib/cmdline.h"

extern struct boot_options boot_options;

#endif
