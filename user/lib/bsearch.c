/* bsearch: binary search of an array sorted in cmp's order. */
#include <stdlib.h>

#include "libc_names.h"

void *LIBC_NAME(bsearch)(const void *key, const void *base, size_t n, size_t size,
			 int (*cmp)(const void *, const void *))
{
	const char *a = base;
	size_t lo = 0, hi = n;	/* the key, if present, is in [lo, hi) */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;	/* (lo + hi) / 2 could overflow */
		const void *p = a + mid * size;
		int c = cmp(key, p);

		if (c == 0)
			return (void *)p;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
