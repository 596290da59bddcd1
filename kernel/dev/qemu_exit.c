#include "dev/qemu_exit.h"

#include "lib/cpu_i386.h"

#define QEMU_DEBUG_EXIT_PORT 0xF4

void qemu_exit(unsigned code)
{
	outl(QEMU_DEBUG_EXIT_PORT, code);
	for (;;) {
		cli();
		halt();
	}
}
