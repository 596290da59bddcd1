/*
 * The echo server of utest_ipc_pingpong: receives on the endpoint in its
 * capability slot 1, answers each request with the complement of every
 * word, until it is told to quit. Exits with the number of requests that
 * came with a wrong badge or content.
 */
#include <stdio.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/utest.h"
#include "ipc_protocol.h"

#define ENDPOINT_SLOT 1

int main(void)
{
	struct utcb *u = utcb();
	unsigned served = 0;
	int err = ipc_recv(ENDPOINT_SLOT, 0);

	for (;;) {
		UCHECK_EQ(err, 0);
		if (err)
			break;
		UCHECK_EQ(u->badge, PINGPONG_BADGE);
		uint32_t label = IPC_TAG_LABEL(u->tag);
		unsigned len = IPC_TAG_LENGTH(u->tag);

		if (label == PINGPONG_QUIT) {
			u->tag = IPC_TAG(PINGPONG_QUIT, 0, 0);
			ipc_reply();
			break;
		}
		UCHECK_EQ(label, PINGPONG_ECHO);
		for (unsigned i = 0; i < len; i++)
			u->mr[i] = ~u->mr[i];
		u->tag = IPC_TAG(PINGPONG_ECHO_REPLY, len, 0);
		served++;
		err = ipc_reply_recv(ENDPOINT_SLOT);
	}
	printf("utest_ipc_server: served %u requests on cpu %d\n", served, cpu_id());
	return utest_failures;
}
