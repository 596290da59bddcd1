/*
 * read and write on the standard descriptors, as messages to the console
 * service (the DragonFly LWKT idea: a system call becomes a message to a
 * server). The console's endpoints are looked up at the name service on
 * first use. A program started without a name service (the kernel's own
 * test programs) writes through debug_write instead and reads nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "lib/compiler.h"
#include "lib/string.h"
#include "locus.h"
#include "locus/console.h"
#include "locus/ipc.h"
#include "locus/names.h"

enum connection { UNKNOWN, CONNECTING, CONNECTED, NO_CONSOLE };

static int connection = UNKNOWN;

/* Looks the console up once; other threads wait for the first. */
static bool console_available(void)
{
	int expected = UNKNOWN;

	if (__atomic_compare_exchange_n(&connection, &expected, CONNECTING, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		bool ok = names_lookup("console", CAP_SLOT_CONSOLE) == 0 &&
			  names_lookup("console.input", CAP_SLOT_CONSOLE_INPUT) == 0;

		__atomic_store_n(&connection, ok ? CONNECTED : NO_CONSOLE, __ATOMIC_RELEASE);
	}
	while (__atomic_load_n(&connection, __ATOMIC_ACQUIRE) == CONNECTING)
		yield();
	return connection == CONNECTED;
}

int console_endpoint(void)
{
	return console_available() ? CAP_SLOT_CONSOLE : -ENOENT;
}

#define RECONNECT_TRIES 200
#define RECONNECT_WAIT_MS 10

/*
 * The console's slots are the whole program's: one thread at a time
 * replaces them, under reconnect_lock, or one would delete the endpoints
 * another had just looked up. generation counts the replacements: a call
 * that failed on endpoints older than the current ones only tries again.
 */
static pthread_mutex_t reconnect_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned generation;

static unsigned connection_generation(void)
{
	return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

/*
 * The console service died: a call made with the endpoints of generation
 * `seen` failed (-EPIPE, or -EBADF while another thread replaced them).
 * Look the console up again until init has started a new one and it has
 * registered; meanwhile the name service answers -ENOENT or still hands
 * out the dead endpoint, so *tries counts every attempt against one budget
 * (RECONNECT_TRIES x RECONNECT_WAIT_MS).
 */
static bool reconnect(int *tries, unsigned seen)
{
	pthread_mutex_lock(&reconnect_lock);
	/* Another thread may have replaced them while this one waited. */
	bool ok = connection_generation() != seen;

	while (!ok && (*tries)++ < RECONNECT_TRIES) {
		if (*tries > 1)
			sleep_ms(RECONNECT_WAIT_MS);
		cap_delete(CAP_SLOT_CONSOLE);
		cap_delete(CAP_SLOT_CONSOLE_INPUT);
		ok = names_lookup("console", CAP_SLOT_CONSOLE) == 0 &&
		     names_lookup("console.input", CAP_SLOT_CONSOLE_INPUT) == 0;
		if (ok)
			__atomic_add_fetch(&generation, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&reconnect_lock);
	return ok;
}

static bool connection_lost(int err)
{
	return err == -EPIPE || err == -EBADF;
}

/*
 * Sends buf in pieces of CONSOLE_CHUNK bytes; the console keeps them until
 * the last one arrives and then prints the write whole. If the console
 * dies on the way, the pieces it kept die with it: the whole write starts
 * again on the new console. A part may then show twice: of a write longer
 * than CONSOLE_WRITE_MAX, which the console prints in parts as it fills;
 * of one it printed early to free an entry of its table of unfinished
 * writes; or the whole write, if the console printed it and died before
 * answering. Returns count, or -1 when no console answered the write's
 * last piece.
 */
static ssize_t console_write(const char *buf, size_t count)
{
	struct utcb *u = utcb();
	size_t done = 0;
	int tries = 0;

	do {
		size_t n = MIN(count - done, (size_t)CONSOLE_CHUNK);
		bool last = done + n == count;

		u->mr[0] = n;
		memcpy(&u->mr[1], buf + done, n);
		u->tag = IPC_TAG(last ? CONSOLE_WRITE : CONSOLE_WRITE_MORE, 1 + (n + 3) / 4, 0);
		unsigned seen = connection_generation();
		int err = ipc_call(CAP_SLOT_CONSOLE);

		/* The lookups in reconnect reuse the UTCB; the loop refills it. */
		if (connection_lost(err) && reconnect(&tries, seen)) {
			done = 0;
			continue;
		}
		if (err) {
			errno = -err;
			return -1;
		}
		done += n;
	} while (done < count);
	return (ssize_t)count;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
		errno = EBADF;
		return -1;
	}
	if (console_available())
		return console_write(buf, count);
	int n = debug_write(buf, count);

	if (n < 0) {
		errno = -n;
		return -1;
	}
	return n;
}

ssize_t read(int fd, void *buf, size_t count)
{
	struct utcb *u = utcb();

	if (fd != STDIN_FILENO) {
		errno = EBADF;
		return -1;
	}
	if (!console_available() || count == 0)
		return 0;
	int err, tries = 0;

	/* A console that died takes its typed-ahead input with it; the
	 * read waits on the new one. */
	unsigned seen;

	do {
		u->mr[0] = MIN(count, (size_t)CONSOLE_CHUNK);
		u->tag = IPC_TAG(CONSOLE_READ, 1, 0);
		seen = connection_generation();
		err = ipc_call(CAP_SLOT_CONSOLE_INPUT);
	} while (connection_lost(err) && reconnect(&tries, seen));
	if (err) {
		errno = -err;
		return -1;
	}
	/* No more than asked for, nor than the reply carries. */
	size_t n = MIN(console_message_bytes(u), count);

	memcpy(buf, &u->mr[1], n);
	return (ssize_t)n;
}
