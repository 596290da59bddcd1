/*
 * "utest_ipc_pingpong ROUNDS SERVER_CPU": call/reply_recv ping-pong
 * between this task (the client, on the core it was spawned on) and a
 * server task (utest_ipc_server) on SERVER_CPU. Message lengths cycle
 * through 1..64 words, so both the fast path (short messages) and the
 * full path are used; every reply's contents and sequence number are
 * checked, and the server checks the badge of every request.
 */
#include <stdio.h>
#include <stdlib.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/spawn.h"
#include "locus/utest.h"
#include "ipc_protocol.h"

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1000;
	int server_cpu = argc > 2 ? atoi(argv[2]) : CPU_ANY;
	int ep = endpoint_create();

	UCHECK(ep > 0);
	int server = spawn_with_caps("utest_ipc_server", "", server_cpu, &ep, 1);

	UCHECK(server > 0);
	int badged = cap_derive(ep, CAP_RIGHT_SEND, PINGPONG_BADGE);

	UCHECK(badged > 0);
	struct utcb *u = utcb();

	for (int seq = 0; seq < rounds && !utest_failures; seq++) {
		unsigned len = 1 + (unsigned)seq % UTCB_MESSAGE_REGISTERS;

		for (unsigned i = 0; i < len; i++)
			u->mr[i] = pingpong_word((uint32_t)seq, i);
		u->tag = IPC_TAG(PINGPONG_ECHO, len, 0);
		UCHECK_EQ(ipc_call(badged), 0);
		UCHECK_EQ(IPC_TAG_LABEL(u->tag), PINGPONG_ECHO_REPLY);
		UCHECK_EQ(IPC_TAG_LENGTH(u->tag), len);
		for (unsigned i = 0; i < len; i++)
			if (u->mr[i] != ~pingpong_word((uint32_t)seq, i)) {
				UCHECK_EQ(u->mr[i], ~pingpong_word((uint32_t)seq, i));
				break;
			}
	}
	u->tag = IPC_TAG(PINGPONG_QUIT, 0, 0);
	UCHECK_EQ(ipc_call(badged), 0);
	int status = -1;

	UCHECK_EQ(task_wait(server, &status), 0);
	UCHECK_EQ(status, 0);
	printf("utest_ipc_pingpong: %d round trips, client on cpu %d, %d failures\n", rounds,
	       cpu_id(), utest_failures);
	return utest_failures;
}
