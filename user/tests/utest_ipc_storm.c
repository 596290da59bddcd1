/*
 * utest_ipc_storm SEED ROUNDS: an IPC storm. Each round the program
 * creates endpoints and spawns server and client tasks (this program in
 * the roles "server" and "client"), several threads each; clients (and
 * threads of the main program) call the servers with checked payloads,
 * passing capabilities both ways: a caller's capability goes to the
 * server and comes back, or the server creates an endpoint and passes
 * it. Every calling and serving thread now and then deletes and
 * restores a capability the other threads of its task are using (their
 * calls meanwhile fail with -EBADF). One endpoint has no server at
 * all, so callers pile up on it: the black hole. Once the main
 * program's callers are all stuck there (or done), a server and a client
 * are killed (blocked callers and linked servers among their threads),
 * then the black hole's last receive capability is dropped, and when the
 * main program's callers have made most of their calls the other servers
 * are killed. The servers hold the only capabilities that can receive
 * from the served endpoints, so their death ends every call still
 * waiting with -EPIPE.
 *
 * Every call must end with a result: 0 with the right reply, -EPIPE (the
 * partner or the endpoint is gone), -EBADF (a slot deleted meanwhile) or
 * -EINTR; anything else, a wrong reply, or a child ending otherwise than
 * expected (clients exit 0 or are killed, servers are killed) is counted
 * as a failure (the exit status). Clients report their totals to the
 * main program through an endpoint of their own; each round prints the
 * sum. A round that does not end within ROUND_LIMIT_MS is a hang:
 * reported with the threads' states, and the program fails.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"
#include "lib/xorshift.h"
#include "locus.h"
#include "locus/ipc.h"
#include "locus/spawn.h"
#include "locus/uthread.h"
#include "uapi/sysinfo.h"

#define PROGRAM "utest_ipc_storm"
#define SERVED 3		/* endpoints with servers */
#define ENDPOINTS (SERVED + 1)	/* and one without: the black hole */
#define BLACK_HOLE SERVED
#define REPORT_SLOT (1 + ENDPOINTS) /* clients: where their totals go */
#define SERVERS 3
#define CLIENTS 3
#define THREADS 3		/* per child */
#define PARENT_CALLERS 2
#define CALLS 200		/* per calling thread */
/* One call in this many goes to the black hole: rare enough that some
 * callers are still busy with the servers when the main program's are
 * all stuck there (the middle of the round). */
#define BLACK_HOLE_ODDS 32
#define BACKUP_SLOT 32		/* servers: + i, a copy of the capability in slot 1 + i */
#define WINDOW_SLOT 64		/* + 2 * thread (+ 1): where passed capabilities land */
#define PARENT_WINDOW_SLOT 200	/* + caller */
#define ROUND_LIMIT_MS 60000
#define SETTLE_MS 10		/* for the clients to pile up on the black hole too */
#define WATCHDOG_PRIORITY 12	/* above the storm, so that a busy round cannot hide a hang */
#define MAX_THREADS_LISTED 128
#define MAGIC 0x5A5A5A5Au
#define TASK_EXIT_KILLED 137	/* kernel/task/task.h: killed by another task */

#define CALL_RIGHTS (CAP_RIGHT_SEND | CAP_RIGHT_GRANT)
#define SERVE_RIGHTS (CAP_RIGHT_RECEIVE | CAP_RIGHT_SEND | CAP_RIGHT_GRANT)

enum op { OP_ECHO = 1, OP_PASS, OP_NEW_ENDPOINT };
enum report { REPORT_TOTALS = 0x200, REPORT_STOP };

/* Random streams: one per thread, from the seed, the role and an index. */
enum stream { STREAM_CLIENT = 1, STREAM_PARENT, STREAM_SERVER };

static uint32_t seed;
static uint32_t failures;

static void fail(const char *role, unsigned index, const char *what, int value)
{
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	printf("utest_ipc_storm: %s %u: %s (%d)\n", role, index, what, value);
}

static uint32_t below(uint32_t *state, uint32_t n)
{
	return xorshift32(state) % n;
}

static uint32_t seed_for(uint32_t role, uint32_t index)
{
	uint32_t x = seed * 2654435761u ^ role * 40503u ^ (index + 1) * 0x9E3779B9u;

	return x ? x : 1;
}

/*
 * endpoint_create and cap_derive without a destination take the lowest
 * free slot, and so does thread_create for the thread's capability: it
 * may be one that churn has just emptied. Churn would then fail to
 * restore it, and the threads using that slot would call a stranger.
 * Everything that takes a slot once threads run takes this lock, and so
 * does churn.
 */
static uint32_t slots_lock;

static void slots_lock_take(void)
{
	while (__atomic_exchange_n(&slots_lock, 1, __ATOMIC_ACQUIRE))
		yield();
}

static void slots_lock_drop(void)
{
	__atomic_store_n(&slots_lock, 0, __ATOMIC_RELEASE);
}

/* thread_create takes the lowest free slot for the thread's capability. */
static int start_thread(struct uthread *t, void (*fn)(void *arg), void *arg, unsigned priority)
{
	slots_lock_take();
	int err = uthread_create(t, fn, arg, priority, CPU_ANY, 0);

	slots_lock_drop();
	return err;
}

/* Deletes a capability the other threads may be using, then puts a copy
 * back: their calls meanwhile fail with -EBADF. The yield leaves the
 * slot empty long enough for them to notice, even on one core. */
static void churn(int slot, int backup, unsigned rights)
{
	slots_lock_take();
	cap_delete(slot);
	yield();
	cap_derive_to(backup, rights, 0, slot);
	slots_lock_drop();
}

/* Results of calls, as counted by a calling thread. */
struct tally {
	uint32_t ok, epipe, ebadf, eintr;
};

static void tally_add(struct tally *to, const struct tally *from)
{
	__atomic_add_fetch(&to->ok, from->ok, __ATOMIC_RELAXED);
	__atomic_add_fetch(&to->epipe, from->epipe, __ATOMIC_RELAXED);
	__atomic_add_fetch(&to->ebadf, from->ebadf, __ATOMIC_RELAXED);
	__atomic_add_fetch(&to->eintr, from->eintr, __ATOMIC_RELAXED);
}

/* Callers: in client tasks and in the main program. */

struct caller {
	const char *role;
	unsigned index;
	uint32_t rng;
	int slots[ENDPOINTS];	/* send capabilities */
	int backups[ENDPOINTS];
	int window;
	struct tally tally;
	/* Watched by the main program to find the middle of a round. */
	uint32_t calls_made;
	uint32_t in_black_hole;
	uint32_t finished;
	struct uthread thread;
};

static bool reply_matches(const struct utcb *u, enum op op, const uint32_t *sent, unsigned len)
{
	if (IPC_TAG_LABEL(u->tag) != (op | 0x100u) || IPC_TAG_LENGTH(u->tag) != len ||
	    IPC_TAG_CAPS(u->tag) > 1)
		return false;
	for (unsigned i = 0; i < len; i++)
		if (u->mr[i] != (sent[i] ^ MAGIC))
			return false;
	return true;
}

static void one_call(struct caller *c)
{
	struct utcb *u = utcb();
	unsigned e = below(&c->rng, BLACK_HOLE_ODDS) == 0 ? BLACK_HOLE : below(&c->rng, SERVED);
	enum op op = (enum op)(1 + below(&c->rng, 3));
	unsigned len = below(&c->rng, 4) == 0 ? below(&c->rng, UTCB_MESSAGE_REGISTERS + 1)
						 : below(&c->rng, 9);
	uint32_t sent[UTCB_MESSAGE_REGISTERS];

	if (below(&c->rng, 16) == 0)
		churn(c->slots[e], c->backups[e], CALL_RIGHTS);
	for (unsigned i = 0; i < len; i++)
		u->mr[i] = sent[i] = xorshift32(&c->rng);
	u->send_caps[0] = (uint32_t)c->slots[below(&c->rng, ENDPOINTS)];
	u->recv_window[0] = (uint32_t)c->window;
	u->tag = IPC_TAG(op, len, op == OP_PASS);
	if (e == BLACK_HOLE)
		__atomic_store_n(&c->in_black_hole, 1, __ATOMIC_RELEASE);
	int r = ipc_call(c->slots[e]);
	/* Read before anything else can use the UTCB (printf may, through
	 * the console service). */
	bool matches = r == 0 && reply_matches(u, op, sent, len);
	uint32_t tag = u->tag;

	__atomic_store_n(&c->in_black_hole, 0, __ATOMIC_RELEASE);
	switch (r) {
	case 0:
		c->tally.ok++;
		if (!matches)
			fail(c->role, c->index, "wrong reply", (int)tag);
		break;
	case -EPIPE:
		c->tally.epipe++;
		break;
	case -EBADF:
		c->tally.ebadf++;
		break;
	case -EINTR:
		c->tally.eintr++;
		break;
	default:
		fail(c->role, c->index, "unexpected result of a call", r);
	}
	/* A capability passed back: use it once, then let it go. A served
	 * endpoint takes the message if a server waits; anything else
	 * answers -EAGAIN or -EPIPE, all fine. */
	if (r == 0 && IPC_TAG_CAPS(tag)) {
		u->tag = IPC_TAG(0, 0, 0);
		ipc_send(c->window, IPC_NONBLOCK);
	}
	cap_delete(c->window);
	__atomic_add_fetch(&c->calls_made, 1, __ATOMIC_RELEASE);
}

static void caller_main(void *arg)
{
	struct caller *c = arg;

	for (unsigned i = 0; i < CALLS; i++)
		one_call(c);
	__atomic_store_n(&c->finished, 1, __ATOMIC_RELEASE);
}

/* Before any thread of the task runs: the backups take the lowest free slots. */
static void caller_init(struct caller *c, const char *role, enum stream stream, unsigned index,
			const int *slots, int window)
{
	memset(c, 0, sizeof(*c));
	c->role = role;
	c->index = index;
	c->rng = seed_for(stream, index);
	c->window = window;
	for (unsigned e = 0; e < ENDPOINTS; e++) {
		c->slots[e] = slots[e];
		c->backups[e] = cap_derive(slots[e], CALL_RIGHTS, 0);
		if (c->backups[e] < 0)
			fail(role, index, "no backup capability", c->backups[e]);
	}
}

/* "client INDEX SEED": THREADS callers through the endpoints in slots 1..,
 * then the totals to the main program through REPORT_SLOT. */
static int client(unsigned index)
{
	static struct caller callers[THREADS];
	static struct tally total;
	struct utcb *u = utcb();
	int slots[ENDPOINTS];

	for (unsigned e = 0; e < ENDPOINTS; e++)
		slots[e] = 1 + (int)e;
	for (unsigned t = 0; t < THREADS; t++)
		caller_init(&callers[t], "client", STREAM_CLIENT, index * THREADS + t, slots,
			    WINDOW_SLOT + 2 * (int)t);
	for (unsigned t = 0; t < THREADS; t++)
		if (start_thread(&callers[t].thread, caller_main, &callers[t], 10))
			fail("client", index, "no thread", 0);
	for (unsigned t = 0; t < THREADS; t++) {
		uthread_join(&callers[t].thread, NULL);
		tally_add(&total, &callers[t].tally);
	}
	u->mr[0] = total.ok;
	u->mr[1] = total.epipe;
	u->mr[2] = total.ebadf;
	u->mr[3] = total.eintr;
	u->tag = IPC_TAG(REPORT_TOTALS, 4, 0);
	int err = ipc_send(REPORT_SLOT, 0);

	if (err)
		fail("client", index, "report not taken", err);
	return failures ? 1 : 0;
}

/*
 * Servers: thread t of server i serves endpoint (i + t) % SERVED, so that
 * every endpoint has a thread in every server and keeps being served
 * when one server dies. A server never ends by itself: its status must
 * be "killed", so a failure ends it at once with status 1.
 */

struct server_thread {
	unsigned index;
	uint32_t rng;
	int slot;		/* the endpoint it serves */
	/* A request's capability lands in one window while the reply
	 * passes the other's back: reply_recv does both in one call. */
	int windows[2];
	unsigned w;		/* the window of the request at hand */
	struct uthread thread;
};

static __attribute__((noreturn)) void server_fail(unsigned index, const char *what, int value)
{
	fail("server", index, what, value);
	task_exit(1);
}

/*
 * Answers the request in the UTCB (its capability, if any, in the
 * current window) and waits for the next request, which lands in the
 * other window. Returns the result of the wait.
 */
static int answer(struct server_thread *s)
{
	struct utcb *u = utcb();
	uint32_t tag = u->tag;
	uint32_t label = IPC_TAG_LABEL(tag);
	unsigned len = IPC_TAG_LENGTH(tag);
	int here = s->windows[s->w];
	int fresh = 0;
	unsigned pass = 0;

	if (label == 0) {
		/* A plain send through a capability passed back to a caller:
		 * nobody waits for an answer, and it carries nothing. */
		u->recv_window[0] = (uint32_t)here;
		return ipc_recv(s->slot, 0);
	}
	if (label < OP_ECHO || label > OP_NEW_ENDPOINT)
		server_fail(s->index, "unknown request", (int)tag);
	if (below(&s->rng, 16) == 0) {
		unsigned e = below(&s->rng, SERVED);

		churn(1 + (int)e, BACKUP_SLOT + (int)e, SERVE_RIGHTS);
	}
	for (unsigned i = 0; i < len; i++)
		u->mr[i] ^= MAGIC;
	if (label == OP_PASS && IPC_TAG_CAPS(tag)) {
		u->send_caps[0] = (uint32_t)here;
		pass = 1;
	} else if (label == OP_NEW_ENDPOINT) {
		slots_lock_take();
		fresh = endpoint_create();
		slots_lock_drop();
		if (fresh < 0)
			server_fail(s->index, "no new endpoint", fresh);
		u->send_caps[0] = (uint32_t)fresh;
		pass = 1;
	}
	u->tag = IPC_TAG(label | 0x100, len, pass);
	s->w ^= 1;
	u->recv_window[0] = (uint32_t)s->windows[s->w];
	int r = ipc_reply_recv(s->slot);

	/* Our slot was being churned: reply_recv failed before replying. */
	if (r == -EBADF)
		ipc_reply();
	/* Passed (a copy went with the reply) or not, ours go now. */
	cap_delete(here);
	if (fresh > 0)
		cap_delete(fresh);
	return r;
}

static void serve(void *arg)
{
	struct server_thread *s = arg;
	struct utcb *u = utcb();
	int r = -EBADF;		/* nothing received yet */

	for (;;) {
		/* Our slot is being churned: wait again once it is back. */
		while (r == -EBADF) {
			u->recv_window[0] = (uint32_t)s->windows[s->w];
			r = ipc_recv(s->slot, 0);
			if (r == -EBADF)
				yield();
		}
		/* -EINTR never comes back: a killed thread leaves in the
		 * kernel. -EPIPE would mean a receive capability was lost. */
		if (r)
			server_fail(s->index, "unexpected result of a receive", r);
		r = answer(s);
	}
}

/* "server INDEX SEED": the served endpoints in slots 1..SERVED. */
static int server(unsigned index)
{
	static struct server_thread threads[THREADS];

	for (unsigned e = 0; e < SERVED; e++) {
		int err = cap_derive_to(1 + (int)e, SERVE_RIGHTS, 0, BACKUP_SLOT + (int)e);

		if (err < 0)
			server_fail(index, "no backup capability", err);
	}
	for (unsigned t = 0; t < THREADS; t++) {
		struct server_thread *s = &threads[t];

		s->index = index;
		s->rng = seed_for(STREAM_SERVER, index * THREADS + t);
		s->slot = 1 + (int)((index + t) % SERVED);
		s->windows[0] = WINDOW_SLOT + 2 * (int)t;
		s->windows[1] = WINDOW_SLOT + 2 * (int)t + 1;
	}
	for (unsigned t = 1; t < THREADS; t++)
		if (start_thread(&threads[t].thread, serve, &threads[t], 10))
			server_fail(index, "no thread", 0);
	serve(&threads[0]);	/* the main thread is thread 0, until killed */
	return 1;
}

/* The main program: rounds. */

struct round {
	unsigned number;
	uint64_t start_ns;
	int endpoints[ENDPOINTS];	/* every right; 0 once dropped */
	int callable[ENDPOINTS];	/* send and grant: the parent's callers' */
	int report;			/* the clients' totals arrive here */
	int report_send;
	int servers[SERVERS];		/* task capabilities (<= 0: none) */
	int clients[CLIENTS];
	struct caller callers[PARENT_CALLERS];
	struct tally tally;
	unsigned reports;
	uint32_t over;			/* futex word: the round has ended */
	struct uthread collector, watchdog;
};

static struct round the_round;
static int first_slot;		/* of round 0's first endpoint */

/* The clients' reports, until the main program says stop. */
static void collect(void *arg)
{
	struct round *r = arg;
	struct utcb *u = utcb();

	u->recv_window[0] = 0;
	for (;;) {
		int err = ipc_recv(r->report, 0);
		uint32_t tag = u->tag;

		if (err) {
			fail("parent", 0, "report channel failed", err);
			return;
		}
		if (IPC_TAG_LABEL(tag) == REPORT_STOP)
			return;
		if (IPC_TAG_LABEL(tag) != REPORT_TOTALS || IPC_TAG_LENGTH(tag) != 4) {
			fail("parent", 0, "strange report", (int)tag);
			continue;
		}
		struct tally t = { u->mr[0], u->mr[1], u->mr[2], u->mr[3] };

		tally_add(&r->tally, &t);
		r->reports++;
	}
}

/* Ends the program when a round cannot go on: the children first, as
 * servers never end by themselves. */
static __attribute__((noreturn)) void give_up(struct round *r)
{
	for (unsigned i = 0; i < SERVERS; i++)
		if (r->servers[i] > 0)
			task_kill(r->servers[i]);
	for (unsigned i = 0; i < CLIENTS; i++)
		if (r->clients[i] > 0)
			task_kill(r->clients[i]);
	exit(1);
}

/* Says what every thread of the storm is doing, then gives up: nothing
 * else can end a round that hangs. */
static __attribute__((noreturn)) void hang(struct round *r)
{
	static struct thread_info threads[MAX_THREADS_LISTED];
	static const char *const states[] = { "new", "runnable", "running", "blocked", "dead" };

	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	printf("utest_ipc_storm: round %u hangs: not over after %u ms\n", r->number,
	       ROUND_LIMIT_MS);
	int n = thread_list(threads, MAX_THREADS_LISTED);

	for (int i = 0; i < n && i < MAX_THREADS_LISTED; i++) {
		const struct thread_info *t = &threads[i];

		if (strcmp(t->task_name, PROGRAM))
			continue;
		printf("utest_ipc_storm:   task %u thread %u: %s on cpu %u\n", t->task_id, t->tid,
		       t->state < ARRAY_SIZE(states) ? states[t->state] : "?", t->cpu);
	}
	give_up(r);
}

static void watchdog(void *arg)
{
	struct round *r = arg;
	uint64_t limit = r->start_ns + (uint64_t)ROUND_LIMIT_MS * 1000000u;

	while (!__atomic_load_n(&r->over, __ATOMIC_ACQUIRE)) {
		uint64_t now = clock_ns();

		if (now >= limit)
			hang(r);
		futex_wait(&r->over, 0, (unsigned)((limit - now) / 1000000u) + 1);
	}
}

/*
 * The middle of a round: each of the main program's callers waits on the
 * black hole (where the clients' callers pile up too) or is done, which
 * is bound to happen: nothing leaves the black hole before it is dropped.
 */
static void wait_for_the_middle(struct round *r)
{
	for (;;) {
		unsigned stuck = 0;

		for (unsigned t = 0; t < PARENT_CALLERS; t++)
			stuck += __atomic_load_n(&r->callers[t].in_black_hole, __ATOMIC_ACQUIRE) ||
				 __atomic_load_n(&r->callers[t].finished, __ATOMIC_ACQUIRE);
		if (stuck == PARENT_CALLERS)
			break;
		sleep_ms(1);
	}
	sleep_ms(SETTLE_MS);
}

/* After the black hole: the main program's callers have made 3/4 of
 * their calls (the clients are about as far), or are done. */
static void wait_for_progress(struct round *r)
{
	for (;;) {
		unsigned made = 0, finished = 0;

		for (unsigned t = 0; t < PARENT_CALLERS; t++) {
			made += __atomic_load_n(&r->callers[t].calls_made, __ATOMIC_ACQUIRE);
			finished += __atomic_load_n(&r->callers[t].finished, __ATOMIC_ACQUIRE);
		}
		if (finished == PARENT_CALLERS || made >= PARENT_CALLERS * CALLS * 3 / 4)
			break;
		sleep_ms(1);
	}
}

static void kill_child(const char *role, unsigned index, int cap)
{
	int err = cap > 0 ? task_kill(cap) : 0;

	if (err)
		fail(role, index, "task_kill failed", err);
}

/* Waits for a child and checks how it ended (0: exited by itself). */
static void check_child(const char *role, unsigned index, int cap, bool may_exit, bool may_die)
{
	int status = -1;

	if (cap <= 0)
		return;		/* not spawned: already counted */
	int err = task_wait(cap, &status);

	if (err)
		fail(role, index, "task_wait failed", err);
	else if (!(status == 0 && may_exit) && !(status == TASK_EXIT_KILLED && may_die))
		fail(role, index, "ended with status", status);
}

/* Setup that must work for the round to mean anything. */
static int must(const char *what, int value)
{
	if (value <= 0) {
		fail("parent", 0, what, value);
		give_up(&the_round);
	}
	return value;
}

static void run_round(unsigned number)
{
	struct round *r = &the_round;
	char args[SPAWN_ARGS_MAX];
	int server_caps[ENDPOINTS], client_caps[ENDPOINTS + 1];

	memset(r, 0, sizeof(*r));
	r->number = number;
	r->start_ns = clock_ns();
	if (start_thread(&r->watchdog, watchdog, r, WATCHDOG_PRIORITY))
		must("no watchdog thread", 0);

	for (unsigned e = 0; e < ENDPOINTS; e++) {
		r->endpoints[e] = must("endpoint_create", endpoint_create());
		r->callable[e] = must("cap_derive", cap_derive(r->endpoints[e], CALL_RIGHTS, 0));
	}
	/* Every round must start from the same capability table. */
	if (number == 0)
		first_slot = r->endpoints[0];
	else if (r->endpoints[0] != first_slot)
		fail("parent", 0, "capabilities left over from the last round", r->endpoints[0]);
	r->report = must("endpoint_create", endpoint_create());
	r->report_send = must("cap_derive", cap_derive(r->report, CAP_RIGHT_SEND, 0));

	/* Servers: the served endpoints with every right, the black hole to
	 * call only. */
	for (unsigned e = 0; e < ENDPOINTS; e++)
		server_caps[e] = e < SERVED ? r->endpoints[e] : r->callable[e];
	for (unsigned i = 0; i < SERVERS; i++) {
		snprintf(args, sizeof(args), "server %u %u", i, seed);
		r->servers[i] = spawn_with_caps(PROGRAM, args, CPU_ANY, server_caps, ENDPOINTS);
		if (r->servers[i] <= 0)
			fail("server", i, "spawn failed", r->servers[i]);
	}
	/* Now only the servers can receive from the served endpoints: when
	 * the last one dies, so do the endpoints. */
	for (unsigned e = 0; e < SERVED; e++) {
		cap_delete(r->endpoints[e]);
		r->endpoints[e] = 0;
	}
	for (unsigned e = 0; e < ENDPOINTS; e++)
		client_caps[e] = r->callable[e];
	client_caps[ENDPOINTS] = r->report_send;
	for (unsigned i = 0; i < CLIENTS; i++) {
		snprintf(args, sizeof(args), "client %u %u", i, seed);
		r->clients[i] = spawn_with_caps(PROGRAM, args, CPU_ANY, client_caps, ENDPOINTS + 1);
		if (r->clients[i] <= 0)
			fail("client", i, "spawn failed", r->clients[i]);
	}
	for (unsigned t = 0; t < PARENT_CALLERS; t++)
		caller_init(&r->callers[t], "parent", STREAM_PARENT, t, r->callable,
			    PARENT_WINDOW_SLOT + (int)t);
	if (start_thread(&r->collector, collect, r, 10))
		must("no collector thread", 0);
	for (unsigned t = 0; t < PARENT_CALLERS; t++)
		if (start_thread(&r->callers[t].thread, caller_main, &r->callers[t], 10))
			must("no caller thread", 0);

	wait_for_the_middle(r);
	kill_child("server", 0, r->servers[0]);
	kill_child("client", 0, r->clients[0]);
	/* The last capability that can receive from the black hole: its
	 * callers wake with -EPIPE, and later calls fail at once. */
	cap_delete(r->endpoints[BLACK_HOLE]);
	r->endpoints[BLACK_HOLE] = 0;
	wait_for_progress(r);
	for (unsigned i = 1; i < SERVERS; i++)
		kill_child("server", i, r->servers[i]);

	struct tally parent = { 0, 0, 0, 0 };

	for (unsigned t = 0; t < PARENT_CALLERS; t++) {
		uthread_join(&r->callers[t].thread, NULL);
		tally_add(&parent, &r->callers[t].tally);
	}
	tally_add(&r->tally, &parent);
	/* Client 0 may have finished before it was killed. */
	for (unsigned i = 0; i < CLIENTS; i++)
		check_child("client", i, r->clients[i], true, i == 0);
	for (unsigned i = 0; i < SERVERS; i++)
		check_child("server", i, r->servers[i], false, true);

	/* Every client has ended, so every report that will come is in. */
	utcb()->tag = IPC_TAG(REPORT_STOP, 0, 0);
	int err = ipc_send(r->report, 0);

	if (err)
		fail("parent", 0, "could not stop the collector", err);
	uthread_join(&r->collector, NULL);

	/* Leave nothing behind: the next round (and the kernel's count of
	 * endpoints) starts from here. */
	for (unsigned e = 0; e < ENDPOINTS; e++) {
		cap_delete(r->callable[e]);
		for (unsigned t = 0; t < PARENT_CALLERS; t++)
			cap_delete(r->callers[t].backups[e]);
	}
	cap_delete(r->report_send);
	cap_delete(r->report);

	__atomic_store_n(&r->over, 1, __ATOMIC_RELEASE);
	futex_wake(&r->over, 1);
	uthread_join(&r->watchdog, NULL);
	printf("utest_ipc_storm: round %u: calls ok %u, EPIPE %u, EBADF %u, EINTR %u "
	       "(parent ok %u, %u of %u clients reported), %u ms\n",
	       number, r->tally.ok, r->tally.epipe, r->tally.ebadf, r->tally.eintr, parent.ok,
	       r->reports, CLIENTS, (unsigned)((clock_ns() - r->start_ns) / 1000000u));
}

int main(int argc, char **argv)
{
	if (argc == 4 && (!strcmp(argv[1], "server") || !strcmp(argv[1], "client"))) {
		unsigned index = (unsigned)strtoul(argv[2], NULL, 0);

		seed = (uint32_t)strtoul(argv[3], NULL, 0);
		return argv[1][0] == 's' ? server(index) : client(index);
	}
	uint32_t base = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 3;

	for (unsigned i = 0; i < rounds; i++) {
		/* Each round its own calls, the same for the same seed. */
		seed = base + i * 0x10001u;
		run_round(i);
	}
	printf("utest_ipc_storm: seed %u, %u rounds, %u failures\n", base, rounds, failures);
	return failures ? 1 : 0;
}
