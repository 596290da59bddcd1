/*
 * The name service and the console against clients that send what they
 * should not: capabilities the server has no use for, lengths the
 * message does not carry. Each server must stay usable for everyone
 * else. Runs as init's session (tests/init-servers.conf), with the
 * console init started.
 */
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/console.h"
#include "locus/ipc.h"
#include "locus/names.h"
#include "locus/utest.h"
#include "locus/uthread.h"

#define PROBE_SLOT 40

/* Calls the name service with name in mr[] and ep passed along. */
static int names_call(uint32_t label, const char *name, unsigned words, int ep)
{
	struct utcb *u = utcb();

	memset(u->mr, 0, NAMES_NAME_MAX);
	strcpy((char *)u->mr, name);
	u->send_caps[0] = (uint32_t)ep;
	u->tag = IPC_TAG(label, words, 1);
	u->recv_window[0] = PROBE_SLOT;
	int err = ipc_call(CAP_SLOT_NAMES);

	u->recv_window[0] = 0;
	cap_delete(PROBE_SLOT);
	return err ? err : (int)u->mr[0];
}

/*
 * A lookup (or a message the service does not know) carrying a
 * capability: the capability lands in the service's receive window, and
 * the service must free that slot, or every later registration finds its
 * window taken.
 */
static void names_drops_unwanted_caps(void)
{
	int ep = endpoint_create();

	UCHECK(ep > 0);
	for (int i = 0; i < 3; i++) {
		UCHECK_EQ(names_call(NAMES_LOOKUP, "console", NAMES_NAME_WORDS, ep), 0);
		UCHECK_EQ(names_call(99, "console", NAMES_NAME_WORDS, ep), -EINVAL);
	}
	UCHECK_EQ(names_register("utest_servers", ep), 0);
	UCHECK_EQ(names_lookup("utest_servers", PROBE_SLOT), 0);
	cap_delete(PROBE_SLOT);
	cap_delete(ep);
}

/* Calls the console's "console" endpoint with n words of mr[] and cap
 * (if not 0) passed along; returns the reply's mr[0]. */
static int console_call(uint32_t label, unsigned words, int cap)
{
	struct utcb *u = utcb();

	u->send_caps[0] = (uint32_t)cap;
	u->tag = IPC_TAG(label, words, cap ? 1 : 0);
	int err = ipc_call(console_endpoint());

	return err ? err : (int)u->mr[0];
}

/* A write carrying a capability: the capability lands in the window
 * where the console expects a Ctrl-C notification, and the console must
 * free it, or every later CONSOLE_SET_INTERRUPT finds the slot taken. */
static void console_drops_unwanted_caps(void)
{
	int note = notification_create();
	struct utcb *u = utcb();

	UCHECK(note > 0 && console_endpoint() > 0);
	/* Twice: a notification set moves the window to the other slot. */
	for (int i = 0; i < 2; i++) {
		u->mr[0] = 0;
		UCHECK_EQ(console_call(CONSOLE_WRITE, 1, note), 0);
		UCHECK_EQ(console_call(99, 0, note), -EINVAL);
		UCHECK_EQ(console_call(CONSOLE_SET_INTERRUPT, 0, note), 0);
	}
	cap_delete(note);
}

/* A name that fills two words: the words after them, whatever they
 * hold, are not part of the message and not part of the name. */
static void names_take_what_was_sent(void)
{
	struct utcb *u = utcb();
	int ep = endpoint_create();

	UCHECK(ep > 0);
	memset(u->mr, 'x', NAMES_NAME_MAX);
	memcpy(u->mr, "twowords", 8);
	u->send_caps[0] = (uint32_t)ep;
	u->tag = IPC_TAG(NAMES_REGISTER, 2, 1);
	UCHECK_EQ(ipc_call(CAP_SLOT_NAMES), 0);
	UCHECK_EQ(u->mr[0], 0);
	UCHECK_EQ(names_lookup("twowords", PROBE_SLOT), 0);
	cap_delete(PROBE_SLOT);
	cap_delete(ep);
}

/* A write whose count claims more bytes than its message carries prints
 * (and counts) only the bytes carried. */
static void console_takes_what_was_sent(void)
{
	struct utcb *u = utcb();

	memcpy(&u->mr[1], "ok.\n", 4);
	u->mr[0] = CONSOLE_CHUNK;
	UCHECK_EQ(console_call(CONSOLE_WRITE, 1, 0), 0);
	u->mr[0] = CONSOLE_CHUNK;
	UCHECK_EQ(console_call(CONSOLE_WRITE, 2, 0), 4);
	UCHECK_EQ(console_call(CONSOLE_WRITE, 0, 0), 0);
}

struct waiter {
	int task;
	int status;
	uint32_t done;
	struct uthread thread;
};

static void wait_for_task(void *arg)
{
	struct waiter *w = arg;

	task_wait(w->task, &w->status);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
}

/*
 * A console started by hand (as from the shell) has no COM1 capabilities.
 * It must end with an error, and not register: "console" must still name
 * the console init started, the one that reads COM1.
 */
static void console_without_com1_ends(void)
{
	struct waiter w = { .task = spawn("console", ""), .status = -1 };
	struct utcb *u = utcb();

	UCHECK(w.task > 0);
	UCHECK_EQ(uthread_create(&w.thread, wait_for_task, &w, 10, CPU_ANY, 0), 0);
	for (int i = 0; i < 100 && !__atomic_load_n(&w.done, __ATOMIC_ACQUIRE); i++)
		sleep_ms(20);
	UCHECK(w.done);
	if (!w.done)
		task_kill(w.task);
	UCHECK_EQ(uthread_join(&w.thread, NULL), 0);
	UCHECK_EQ(w.status, 1);
	UCHECK_EQ(names_lookup("console", PROBE_SLOT), 0);
	u->mr[0] = 0;
	u->tag = IPC_TAG(CONSOLE_WRITE, 1, 0);
	UCHECK_EQ(ipc_call(PROBE_SLOT), 0);
	cap_delete(PROBE_SLOT);
}

/* Stands in for the console's reader: answers one read with a count of
 * CONSOLE_CHUNK bytes but a message that carries four. */
static void short_reader(void *arg)
{
	struct utcb *u = utcb();

	if (ipc_recv((int)(uintptr_t)arg, 0) == 0) {
		u->mr[0] = CONSOLE_CHUNK;
		memcpy(&u->mr[1], "four", 4);
		u->tag = IPC_TAG(CONSOLE_READ, 2, 0);
		ipc_reply();
	}
}

/*
 * read() after its console died: it finds "console.input" anew (here a
 * stand-in registered under the name), and takes from the reply only the
 * bytes the reply carried.
 */
static void read_reconnects_and_takes_what_was_sent(void)
{
	int real = PROBE_SLOT, stand_in = endpoint_create(), dead = endpoint_create();
	char buf[CONSOLE_CHUNK];
	struct uthread reader;

	UCHECK(stand_in > 0 && dead > 0);
	UCHECK_EQ(names_lookup("console.input", real), 0);
	UCHECK_EQ(names_register("console.input", stand_in), 0);
	/* read's endpoint dies: its only receiving capability goes. */
	cap_delete(CAP_SLOT_CONSOLE_INPUT);
	UCHECK(cap_derive_to(dead, CAP_RIGHT_SEND, 0, CAP_SLOT_CONSOLE_INPUT) > 0);
	cap_delete(dead);
	UCHECK_EQ(uthread_create(&reader, short_reader, (void *)(uintptr_t)stand_in, 10,
				 CPU_ANY, 0),
		  0);
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	UCHECK_EQ(n, 4);
	UCHECK(memcmp(buf, "four", 4) == 0);
	if (n < 0) {
		/* The stand-in still waits: release it. */
		utcb()->tag = IPC_TAG(0, 0, 0);
		ipc_call(stand_in);
	}
	UCHECK_EQ(uthread_join(&reader, NULL), 0);
	/* The name back to the real console, and read's slot with it. */
	UCHECK_EQ(names_register("console.input", real), 0);
	cap_delete(CAP_SLOT_CONSOLE_INPUT);
	UCHECK_EQ(names_lookup("console.input", CAP_SLOT_CONSOLE_INPUT), 0);
	cap_delete(real);
	cap_delete(stand_in);
}

/* Two stand-ins for the console: the first dies inside a write, the
 * second gets what the writer sends after it reconnected. */
struct stand_ins {
	int first, second;		/* their endpoints */
	char got[2 * CONSOLE_CHUNK];	/* what the second received */
	size_t len;
	bool finished;			/* the second got a write's last piece */
	struct uthread threads[2];
};

/* Takes one piece of a write, then dies with the second unanswered, the
 * name "console" handed to the second stand-in. */
static void dying_console(void *arg)
{
	struct stand_ins *s = arg;
	struct utcb *u = utcb();

	if (ipc_recv(s->first, 0) == 0) {
		u->tag = IPC_TAG(CONSOLE_WRITE_MORE, 1, 0);
		ipc_reply_recv(s->first);
		names_register("console", s->second);
	}
}

/* Takes a write, piece by piece, into s->got. */
static void second_console(void *arg)
{
	struct stand_ins *s = arg;
	struct utcb *u = utcb();
	int err = ipc_recv(s->second, 0);

	while (!err) {
		size_t n = MIN((size_t)u->mr[0], sizeof(s->got) - s->len);

		memcpy(s->got + s->len, &u->mr[1], n);
		s->len += n;
		s->finished = IPC_TAG_LABEL(u->tag) == CONSOLE_WRITE;
		u->tag = IPC_TAG(IPC_TAG_LABEL(u->tag), 1, 0);
		if (s->finished)
			break;
		err = ipc_reply_recv(s->second);
	}
	ipc_reply();
}

/*
 * The console dies between two pieces of one write: the pieces it kept
 * died with it, so the writer must send the whole write again to the new
 * console, not just the rest.
 */
static void write_survives_console_death(void)
{
	static struct stand_ins s;
	static char line[CONSOLE_CHUNK + 40];
	int real = PROBE_SLOT;

	s.first = endpoint_create();
	s.second = endpoint_create();
	UCHECK(s.first > 0 && s.second > 0);
	for (size_t i = 0; i < sizeof(line); i++)
		line[i] = (char)('a' + i % 26);
	UCHECK_EQ(names_lookup("console", real), 0);
	cap_delete(CAP_SLOT_CONSOLE);
	UCHECK(cap_derive_to(s.first, CAP_RIGHT_SEND, 0, CAP_SLOT_CONSOLE) > 0);
	UCHECK_EQ(uthread_create(&s.threads[0], dying_console, &s, 10, CPU_ANY, 0), 0);
	UCHECK_EQ(uthread_create(&s.threads[1], second_console, &s, 10, CPU_ANY, 0), 0);
	ssize_t n = write(STDOUT_FILENO, line, sizeof(line));

	UCHECK_EQ(uthread_join(&s.threads[0], NULL), 0);
	/* "console" back to the real one, before anything is printed. */
	UCHECK_EQ(names_register("console", real), 0);
	cap_delete(CAP_SLOT_CONSOLE);
	UCHECK_EQ(names_lookup("console", CAP_SLOT_CONSOLE), 0);
	if (!s.finished) {
		/* The second stand-in still waits: release it. */
		utcb()->tag = IPC_TAG(CONSOLE_WRITE, 1, 0);
		utcb()->mr[0] = 0;
		ipc_call(s.second);
	}
	UCHECK_EQ(uthread_join(&s.threads[1], NULL), 0);
	UCHECK_EQ(n, sizeof(line));
	UCHECK_EQ(s.len, sizeof(line));
	UCHECK(memcmp(s.got, line, sizeof(line)) == 0);
	cap_delete(real);
}

int main(void)
{
	names_drops_unwanted_caps();
	console_drops_unwanted_caps();
	names_take_what_was_sent();
	console_takes_what_was_sent();
	console_without_com1_ends();
	read_reconnects_and_takes_what_was_sent();
	write_survives_console_death();
	return utest_failures;
}
