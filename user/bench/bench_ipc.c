/*
 * "bench_ipc NAME SERVER_CPU": the IPC round trip between two tasks. This
 * task (the client) calls; a second instance of this program, "bench_ipc
 * serve", a task of its own on core SERVER_CPU, answers with reply_recv.
 * One operation is ipc_call with a one-word message until it returns
 * with the one-word reply: the call, the server's return from its
 * receive, its reply_recv, the client's return. Whether the kernel takes
 * the fast path is set by the kernel entry that started this program
 * (kernel/bench/user_bench.c).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/bench.h"
#include "locus/ipc.h"
#include "locus/spawn.h"

#define ECHO 1		/* mr[0] = n: the reply is n + 1 */
#define QUIT 2		/* the reply is empty; the server exits */
#define SERVER_ENDPOINT 1	/* the server's capability slot */

static int serve(void)
{
	struct utcb *u = utcb();
	int err = ipc_recv(SERVER_ENDPOINT, 0);

	while (!err && IPC_TAG_LABEL(u->tag) == ECHO) {
		u->mr[0]++;
		u->tag = IPC_TAG(ECHO, 1, 0);
		err = ipc_reply_recv(SERVER_ENDPOINT);
	}
	if (err)
		return 1;
	u->tag = IPC_TAG(QUIT, 0, 0);
	return ipc_reply() ? 1 : 0;
}

static uint64_t round_trip_loop(unsigned ops, void *arg)
{
	int ep = (int)(uintptr_t)arg;
	struct utcb *u = utcb();
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		u->tag = IPC_TAG(ECHO, 1, 0);
		u->mr[0] = i;
		if (ipc_call(ep) || u->mr[0] != i + 1)
			bench_fail("ipc_call failed or a wrong reply");
		barrier();
	}
	return bench_tsc() - start;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "serve"))
		return serve();
	if (argc < 3)
		return 2;
	int ep = endpoint_create();

	if (ep < 0) {
		bench_fail("endpoint_create: %d", ep);
		return 1;
	}
	int server = spawn_with_caps("bench_ipc", "serve", atoi(argv[2]), &ep, 1);

	if (server < 0) {
		bench_fail("spawning the server: %d", server);
		return 1;
	}
	int result = bench_instructions(argv[1], round_trip_loop, bench_empty_loop,
					(void *)(uintptr_t)ep);
	struct utcb *u = utcb();
	int status = -1;

	u->tag = IPC_TAG(QUIT, 0, 0);
	if (ipc_call(ep) || task_wait(server, &status) || status)
		bench_fail("the server did not quit cleanly (status %d)", status);
	return result || bench_failed();
}
