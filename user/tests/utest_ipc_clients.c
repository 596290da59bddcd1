/*
 * N clients on N cores call one server (this task). Each client's
 * capability carries its own badge; the server checks that every request
 * is answered exactly once and that the badges tell the clients apart.
 * "utest_ipc_clients" is the server; it spawns itself as
 * "utest_ipc_clients client ID CALLS" for each client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/spawn.h"
#include "locus/utest.h"

#define CALLS 200
#define MAX_CLIENTS 16
#define ENDPOINT_SLOT 1

static int client(int id, int calls)
{
	struct utcb *u = utcb();

	for (int i = 0; i < calls; i++) {
		u->mr[0] = (uint32_t)id;
		u->mr[1] = (uint32_t)i;
		u->tag = IPC_TAG(1, 2, 0);
		UCHECK_EQ(ipc_call(ENDPOINT_SLOT), 0);
		/* The server answers with the badge it saw and our number. */
		UCHECK_EQ(u->mr[0], (uint32_t)id + 1);
		UCHECK_EQ(u->mr[1], (uint32_t)i);
	}
	return utest_failures;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "client"))
		return client(atoi(argv[2]), atoi(argv[3]));

	int n = cpu_count() < MAX_CLIENTS ? cpu_count() : MAX_CLIENTS;
	int ep = endpoint_create();
	int tasks[MAX_CLIENTS];
	uint32_t seen[MAX_CLIENTS] = { 0 };

	for (int id = 0; id < n; id++) {
		char args[32];
		int cap = cap_derive(ep, CAP_RIGHT_SEND, (uint32_t)id + 1);

		snprintf(args, sizeof(args), "client %d %d", id, CALLS);
		tasks[id] = spawn_with_caps("utest_ipc_clients", args, id, &cap, 1);
		UCHECK(tasks[id] > 0);
		cap_delete(cap);
	}
	struct utcb *u = utcb();
	int total = n * CALLS;
	int err = ipc_recv(ep, 0);

	for (int handled = 0; handled < total && !err; handled++) {
		uint32_t id = u->badge - 1;

		if (id >= (uint32_t)n || u->mr[0] != id || u->mr[1] != seen[id]) {
			UCHECK(id < (uint32_t)n && u->mr[0] == id && u->mr[1] == seen[id]);
			break;
		}
		seen[id]++;
		u->mr[0] = u->badge;
		u->tag = IPC_TAG(2, 2, 0);
		err = handled + 1 < total ? ipc_reply_recv(ep) : ipc_reply();
	}
	UCHECK_EQ(err, 0);
	for (int id = 0; id < n; id++) {
		int status = -1;

		UCHECK_EQ(seen[id], CALLS);
		UCHECK_EQ(task_wait(tasks[id], &status), 0);
		UCHECK_EQ(status, 0);
	}
	printf("utest_ipc_clients: %d clients x %d calls, %d failures\n", n, CALLS, utest_failures);
	return utest_failures;
}
