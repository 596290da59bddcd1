/*
 * A small deterministic random generator (Marsaglia's xorshift32) for
 * tests, fuzzers and benchmarks: the same seed gives the same sequence,
 * so a failure can be replayed. The state must not be 0.
 */
#ifndef LOCUS_LIB_XORSHIFT_H
#define LOCUS_LIB_XORSHIFT_H

#include <stdint.h>

static inline uint32_t xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

#endif
