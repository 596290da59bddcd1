/*
 * Deliberate crashes, for the tests that expect a panic (tests/run.py
 * boots with crash=NAME and checks the panic message). Each hook runs at
 * one point of the boot.
 */
#ifndef LOCUS_TEST_CRASH_HOOKS_H
#define LOCUS_TEST_CRASH_HOOKS_H

#include "lib/compiler.h"

enum crash_phase {
	CRASH_PHASE_EARLY,	/* before the boot core's cpu-locals exist */
	CRASH_PHASE_BOOTED,	/* after the whole kernel is up */
};

struct crash_hook {
	const char *name;
	enum crash_phase phase;
	void (*fn)(void);
};

#define CRASH_HOOK(hook_name, hook_phase)                                        \
	static void crash_##hook_name(void);                                     \
	static const struct crash_hook crash_desc_##hook_name                    \
		__section(".crash_hooks") __used __aligned(4) = {                \
			#hook_name, hook_phase, crash_##hook_name };             \
	static void crash_##hook_name(void)

/* Runs the hook called name if it belongs to phase (name "" runs none). */
void crash_hooks_run(enum crash_phase phase, const char *name);

#endif
