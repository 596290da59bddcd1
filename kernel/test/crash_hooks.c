#include "test/crash_hooks.h"

#include "lib/console.h"
#include "lib/string.h"

extern const struct crash_hook __crash_hooks_start[];
extern const struct crash_hook __crash_hooks_end[];

void crash_hooks_run(enum crash_phase phase, const char *name)
{
	bool known = false;

	for (const struct crash_hook *h = __crash_hooks_start; h < __crash_hooks_end; h++)
		known |= strcmp(h->name, name) == 0;
	if (!known) {
		if (name[0] && phase == CRASH_PHASE_EARLY)
			kprintf("warning: crash=%s: no such crash hook; ignored\n", name);
		return;
	}
	for (const struct crash_hook *h = __crash_hooks_start; h < __crash_hooks_end; h++) {
		if (h->phase != phase || strcmp(h->name, name) != 0)
			continue;
		kprintf("crash hook: %s\n", h->name);
		h->fn();
		kprintf("crash hook %s returned: it did not crash\n", h->name);
	}
}
