/* Leaving QEMU through its isa-debug-exit device (iobase 0xf4). */
#ifndef LOCUS_DEV_QEMU_EXIT_H
#define LOCUS_DEV_QEMU_EXIT_H

#include "lib/compiler.h"

/*
 * QEMU exits with status (code << 1) | 1, so these become 33, 35 and 37;
 * tests/run.py knows them by those numbers.
 */
#define QEMU_EXIT_PASS 0x10
#define QEMU_EXIT_FAIL 0x11
#define QEMU_EXIT_PANIC 0x12

/* Ends the machine; on hardware without the device it halts forever. */
__noreturn void qemu_exit(unsigned code);

#endif
