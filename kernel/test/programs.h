/* Kernel tests that run user test programs (user/tests) to their end. */
#ifndef LOCUS_TEST_PROGRAMS_H
#define LOCUS_TEST_PROGRAMS_H

#include <stdint.h>

#include "cap/cap_table.h"
#include "test/ktest.h"

/* Spawns a boot module (with copies of caps in its slots 1, 2, ...) and
 * waits for it: 0 with its exit status, or the spawn error. */
int run_program(const char *name, const char *args, int cpu, int *status);
/* A test step: the program runs to its end with exit status 0, or the
 * test fails (and returns) at the caller's line. */
#define KT_ASSERT_PROGRAM_PASSES(name, args, cpu)                          \
	do {                                                               \
		int status__ = -1;                                         \
                                                                           \
		KT_ASSERT_EQ(run_program(name, args, cpu, &status__), 0); \
		KT_ASSERT_EQ(status__, 0);                                 \
	} while (0)

int run_program_with_caps(const char *name, const char *args, int cpu, const struct cap *caps,
			  unsigned ncaps, int *status);

/* Free frames, counting the heap's slab pages and the kernel stacks the
 * cores keep for reuse as free (they come and go). */
uint32_t frames_available(void);
/* Pages of the kernel area in use, not counting the cached stacks. */
uint32_t vmap_pages_in_use(void);

#endif
