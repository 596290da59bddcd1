/*
 * Clocks. Locus has no battery-backed clock: both clocks count from boot
 * (the kernel's clock_ns()), so CLOCK_REALTIME is CLOCK_MONOTONIC here and
 * a deadline taken from either can be given to pthread_cond_timedwait.
 */
#ifndef LOCUS_USER_TIME_H
#define LOCUS_USER_TIME_H

/* 64 bits: seconds since boot never wrap, and neither would a real date. */
typedef long long time_t;
typedef int clockid_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;		/* 0 .. 999999999 */
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

/* 0, or -1 with errno EINVAL (unknown clock, NULL). */
int clock_gettime(clockid_t clock, struct timespec *ts);

#endif
