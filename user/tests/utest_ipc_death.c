/*
 * Server death while clients are blocked: some clients wait in the
 * endpoint's queue, one waits for a reply the server will never send.
 * Killing the server must give every one of them -EPIPE.
 * Roles: "utest_ipc_death" (the test), "... server", "... client".
 */
#include <stdio.h>
#include <string.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/spawn.h"
#include "locus/utest.h"

#define CLIENTS 4
#define SLOT 1
#define SIGNAL_SLOT 2

__attribute__((noreturn)) static int server(void)
{
	/* Take one call and never answer it, then tell the test. */
	UCHECK_EQ(ipc_recv(SLOT, 0), 0);
	notify_signal(SIGNAL_SLOT, 1);
	for (;;)
		sleep_ms(1000);
}

static int client(void)
{
	utcb()->tag = IPC_TAG(0, 0, 0);
	int err = ipc_call(SLOT);

	printf("utest_ipc_death: client woke with %d\n", err);
	return err == -EPIPE ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "server"))
		return server();
	if (argc > 1 && !strcmp(argv[1], "client"))
		return client();

	int ep = endpoint_create();
	int ready = notification_create();
	int send_only = cap_derive(ep, CAP_RIGHT_SEND, 0);
	int server_caps[2] = { ep, ready };
	int clients[CLIENTS];

	/* The server holds the only capability that can receive. */
	int server_task = spawn_with_caps("utest_ipc_death", "server", CPU_ANY, server_caps, 2);

	UCHECK(server_task > 0);
	UCHECK_EQ(cap_delete(ep), 0);
	for (int i = 0; i < CLIENTS; i++) {
		clients[i] = spawn_with_caps("utest_ipc_death", "client", i % cpu_count(),
					     &send_only, 1);
		UCHECK(clients[i] > 0);
	}
	/* One call taken (its client waits for the reply), the rest queued. */
	UCHECK_EQ(notify_wait(ready), 1);
	sleep_ms(50);
	UCHECK_EQ(task_kill(server_task), 0);
	int status = -1;

	UCHECK_EQ(task_wait(server_task, &status), 0);
	for (int i = 0; i < CLIENTS; i++) {
		status = -1;
		UCHECK_EQ(task_wait(clients[i], &status), 0);
		UCHECK_EQ(status, 0);
	}
	/* The endpoint is dead now: sending fails at once. */
	utcb()->tag = IPC_TAG(0, 0, 0);
	UCHECK_EQ(ipc_call(send_only), -EPIPE);
	printf("utest_ipc_death: %d failures\n", utest_failures);
	return utest_failures;
}
