/* Condition variable attributes: the clock timedwait deadlines are on. */
#include "pthread_internal.h"

#include <errno.h>

int pthread_condattr_init(pthread_condattr_t *attr)
{
	if (!attr)
		return EINVAL;
	attr->clock = CLOCK_MONOTONIC;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	return attr ? 0 : EINVAL;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (!attr || (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME))
		return EINVAL;
	attr->clock = clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
	if (!attr || !clock)
		return EINVAL;
	*clock = attr->clock;
	return 0;
}
