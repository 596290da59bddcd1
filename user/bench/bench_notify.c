/*
 * "bench_notify NAME CPU": a notification round trip. This thread
 * signals `ping` and waits on `pong`; a second thread of the task, on
 * core CPU and blocked in notify_wait(ping), wakes, returns to ring 3
 * and signals `pong` back. One operation is that round trip: two signals,
 * two wake-ups, two waits. With CPU the other core, every wake-up is a
 * reschedule IPI to a halted core, and both cores' instructions count.
 */
#include <stdlib.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/bench.h"
#include "locus/ipc.h"
#include "locus/uthread.h"

#define PRIORITY 10
#define PING 0x1
#define STOP 0x2

struct pair {
	int ping;
	int pong;
};

static void waiter(void *arg)
{
	const struct pair *p = arg;

	for (;;) {
		int bits = notify_wait(p->ping);

		if (bits < 0) {
			bench_fail("notify_wait: %d", bits);
			return;
		}
		if (bits & STOP)
			return;
		notify_signal(p->pong, PING);
	}
}

static uint64_t round_trip_loop(unsigned ops, void *arg)
{
	const struct pair *p = arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		if (notify_signal(p->ping, PING) || notify_wait(p->pong) != PING)
			bench_fail("notify_signal or notify_wait failed");
		barrier();
	}
	return bench_tsc() - start;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	struct pair p = { notification_create(), notification_create() };
	struct uthread t;

	if (p.ping < 0 || p.pong < 0) {
		bench_fail("notification_create: %d %d", p.ping, p.pong);
		return 1;
	}
	int err = uthread_create(&t, waiter, &p, PRIORITY, atoi(argv[2]), 0);

	if (err) {
		bench_fail("uthread_create: %d", err);
		return 1;
	}
	int result = bench_instructions(argv[1], round_trip_loop, bench_empty_loop, &p);

	notify_signal(p.ping, STOP);
	err = uthread_join(&t, NULL);
	if (err)
		bench_fail("uthread_join: %d", err);
	return result || err || bench_failed();
}
