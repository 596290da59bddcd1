#include "trap/probe.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/cpu_i386.h"

struct extable_entry {
	uint32_t insn;
	uint32_t fixup;
};

extern const struct extable_entry __extable_start[];
extern const struct extable_entry __extable_end[];

static CPU_LOCAL struct probe_fault last_fault;

struct probe_fault probe_last_fault(void)
{
	return last_fault;
}

int probe_fixup(struct trap_frame *tf, uint32_t cr2)
{
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
		if (e->insn != tf->eip)
			continue;
		if (cpu_locals_ready()) {
			last_fault.vector = tf->vector;
			last_fault.error = tf->error;
			last_fault.cr2 = cr2;
			last_fault.eip = tf->eip;
			last_fault.saved_gs = (uint16_t)tf->gs;
			last_fault.handler_gs = read_gs();
			last_fault.count++;
		}
		tf->eip = e->fixup;
		return 1;
	}
	return 0;
}
