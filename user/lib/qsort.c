/*
 * qsort as a heapsort.
 *
 * Why heapsort: it is O(n log n) even on the inputs that make a naive
 * quicksort quadratic (already sorted, all equal), it needs no recursion
 * and no memory beyond a few locals (user threads have small fixed
 * stacks, and qsort must not depend on malloc), and it fits in one
 * screen. What it gives up: it is not stable (C does not ask qsort to
 * be) and it is slower than a good quicksort on random data.
 *
 * The array is first rearranged into a max-heap: element i is >= its
 * children 2i+1 and 2i+2. Then the largest element (the root) is swapped
 * to the end, the heap shrinks by one, and the new root sinks to its
 * place; repeated, this fills the array from the back in order.
 */
#include <stdlib.h>

#include "libc_names.h"

typedef int (*compare_fn)(const void *, const void *);

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Moves element root down the heap of the first n elements until it is
 * no smaller than its children. */
static void sift_down(char *base, size_t root, size_t n, size_t size, compare_fn cmp)
{
	/* For n >= 2 the first child 2*root+1 exists while root <= (n-2)/2;
	 * testing it this way cannot overflow. */
	while (n >= 2 && root <= (n - 2) / 2) {
		size_t child = 2 * root + 1;

		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void LIBC_NAME(qsort)(void *base, size_t n, size_t size, compare_fn cmp)
{
	char *a = base;

	if (n < 2 || size == 0)
		return;
	/* Heapify: sift down every element that has children, last first. */
	for (size_t i = (n - 2) / 2 + 1; i-- > 0;)
		sift_down(a, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_bytes(a, a + end * size, size);
		sift_down(a, 0, end, size, cmp);
	}
}
