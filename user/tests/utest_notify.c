/*
 * Notifications: bits accumulate until taken; wait blocks until a signal
 * comes (from another core); poll never blocks.
 */
#include <stdio.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/uthread.h"
#include "locus/utest.h"

static int note;

static void signaller(void *arg)
{
	(void)arg;
	for (uint32_t bit = 0; bit < 20; bit++) {
		sleep_ms(1);
		UCHECK_EQ(notify_signal(note, 1u << bit), 0);
	}
}

int main(void)
{
	note = notification_create();
	UCHECK(note > 0);
	UCHECK_EQ(notify_poll(note), 0);
	UCHECK_EQ(notify_signal(note, 0x5), 0);
	UCHECK_EQ(notify_signal(note, 0x10), 0);
	UCHECK_EQ(notify_poll(note), 0x15);
	UCHECK_EQ(notify_poll(note), 0);
	UCHECK_EQ(notify_signal(note, 0x80000000u), -EINVAL);

	struct uthread t;
	uint32_t all = 0;

	UCHECK_EQ(uthread_create(&t, signaller, NULL, 10, (cpu_id() + 1) % cpu_count(), 0), 0);
	while (all != 0xFFFFF) {
		int bits = notify_wait(note);

		UCHECK(bits > 0);
		if (bits <= 0)
			break;
		UCHECK(((uint32_t)bits & all) == 0);
		all |= (uint32_t)bits;
	}
	UCHECK_EQ(uthread_join(&t, NULL), 0);
	printf("utest_notify: %d failures\n", utest_failures);
	return utest_failures;
}
