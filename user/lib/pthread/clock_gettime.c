/* clock_gettime over the kernel's clock_ns(): both clocks count from boot. */
#include <errno.h>
#include <time.h>

#include "locus.h"

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	if (!ts || (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME)) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ns = clock_ns();

	ts->tv_sec = (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
	return 0;
}
