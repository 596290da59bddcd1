/*
 * Tests of memcpy, memset and memmove at every alignment of source and
 * destination and every length around the word size: the aligned cases
 * take the word-at-a-time path, the others the byte path, and the bytes
 * either side of the range must stay untouched.
 */
#include "lib/string.h"
#include "test/ktest.h"

#define BUF 64
#define MAX_LEN 40
#define GUARD 0xa5

static void fill_pattern(uint8_t *buf, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

/* buf[from..from+len) must equal want[0..len), the rest GUARD. */
static bool only_range_written(const uint8_t *buf, size_t from, size_t len, const uint8_t *want)
{
	for (size_t i = 0; i < BUF; i++) {
		bool inside = i >= from && i < from + len;

		if (buf[i] != (inside ? want[i - from] : GUARD))
			return false;
	}
	return true;
}

KTEST(lib, memcpy_every_alignment)
{
	static uint8_t src[BUF], dst[BUF] __aligned(4);

	fill_pattern(src, BUF, 1);
	for (size_t d = 0; d < 4; d++)
		for (size_t s = 0; s < 4; s++)
			for (size_t len = 0; len <= MAX_LEN; len++) {
				for (size_t i = 0; i < BUF; i++)
					dst[i] = GUARD;
				KT_ASSERT(memcpy(dst + d, src + s, len) == dst + d);
				if (!only_range_written(dst, d, len, src + s)) {
					ktest_fail(__FILE__, __LINE__, "dst+%zu src+%zu len %zu", d,
						   s, len);
					return;
				}
			}
}

KTEST(lib, memset_every_alignment)
{
	static uint8_t dst[BUF] __aligned(4);
	uint8_t want[MAX_LEN];

	for (size_t i = 0; i < MAX_LEN; i++)
		want[i] = 0x3c;
	for (size_t d = 0; d < 4; d++)
		for (size_t len = 0; len <= MAX_LEN; len++) {
			for (size_t i = 0; i < BUF; i++)
				dst[i] = GUARD;
			/* Only the low byte of c counts. */
			KT_ASSERT(memset(dst + d, 0x713c, len) == dst + d);
			if (!only_range_written(dst, d, len, want)) {
				ktest_fail(__FILE__, __LINE__, "dst+%zu len %zu", d, len);
				return;
			}
		}
}

KTEST(lib, memmove_overlapping)
{
	static uint8_t buf[BUF] __aligned(4);
	uint8_t want[BUF];

	for (size_t shift = 1; shift < 8; shift++) {
		/* Forward overlap (dst below src) goes through memcpy. */
		fill_pattern(buf, BUF, 9);
		fill_pattern(want, BUF, 9);
		memmove(buf, buf + shift, MAX_LEN);
		KT_CHECK(memcmp(buf, want + shift, MAX_LEN) == 0);
		/* Backward overlap (dst above src) copies from the end. */
		fill_pattern(buf, BUF, 9);
		memmove(buf + shift, buf, MAX_LEN);
		KT_CHECK(memcmp(buf + shift, want, MAX_LEN) == 0);
	}
}
