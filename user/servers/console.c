/*
 * console: the console service (locus/console.h). It owns COM1's input:
 * the receive interrupt (a notification bound to IRQ 4) and the receive
 * register, through the capabilities init gives it (slot 1: the IRQ,
 * slot 2: the I/O ports). Output goes out through the kernel's console,
 * the one path to COM1 and the VGA screen that kernel messages take too,
 * so neither can tear the other's lines; this server's part is to
 * serialise what all its clients write.
 *
 * Three threads: input (interrupts, line editing, echo), reader (answers
 * CONSOLE_READ with completed lines) and writer (everything else).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/console.h"
#include "locus/ipc.h"
#include "locus/names.h"

#define IRQ_SLOT 1
#define PORTS_SLOT 2
#define INTERRUPT_SLOT_A 20	/* where a client's Ctrl-C notification lands: */
#define INTERRUPT_SLOT_B 21	/* two slots, so a new one can replace the old */
#define UART_DATA 0
#define UART_IER 1
#define UART_LSR 5
#define IER_RX 0x01
#define LSR_DATA_READY 0x01
#define RX_BIT 0x1

#define LINE_MAX 256
#define READY_MAX 1024
#define PENDING_WRITERS 8

#define CTRL_C 0x03
#define CTRL_D 0x04
#define BACKSPACE 0x08
#define DELETE 0x7F

/* Input: the line being edited and the completed input waiting for a
 * reader; protected by input_lock. An end of input (Ctrl-D on an empty
 * line) is a NUL byte in ready, so a read returns 0 for it. */
static pthread_mutex_t input_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t input_ready = PTHREAD_COND_INITIALIZER;
static char line[LINE_MAX];
static size_t line_len;
static char ready[READY_MAX];
static size_t ready_len;
static volatile int interrupt_note;	/* 0: nobody asked for Ctrl-C */

static void echo(const char *s, size_t n)
{
	debug_write(s, n);
}

/* input_lock held: moves the edited line (plus end) to the ready queue. */
static void complete_line(const char *end, size_t end_len)
{
	size_t room = READY_MAX - ready_len;
	size_t n = line_len < room ? line_len : room;

	memcpy(ready + ready_len, line, n);
	ready_len += n;
	if (end_len && ready_len < READY_MAX)
		ready[ready_len++] = *end;
	line_len = 0;
	pthread_cond_broadcast(&input_ready);
}

static void type_byte(char c)
{
	pthread_mutex_lock(&input_lock);
	if (c == '\r' || c == '\n') {
		echo("\n", 1);
		complete_line("\n", 1);
	} else if (c == BACKSPACE || c == DELETE) {
		if (line_len) {
			line_len--;
			echo("\b \b", 3);
		}
	} else if (c == CTRL_C) {
		line_len = 0;
		echo("^C\n", 3);
		if (interrupt_note)
			notify_signal(interrupt_note, CONSOLE_INTERRUPT_BIT);
	} else if (c == CTRL_D) {
		/* End of input on an empty line; else it ends the line as is. */
		complete_line("", line_len ? 0 : 1);
	} else if ((unsigned char)c >= ' ' && line_len < LINE_MAX - 1) {
		line[line_len++] = c;
		echo(&c, 1);
	}
	pthread_mutex_unlock(&input_lock);
}

/* The next byte COM1 received, or -1 when there is none. io_in's errors
 * (no or the wrong capability) are negative, and most have the ready
 * bit set. */
static int receive_byte(void)
{
	int lsr = io_in(PORTS_SLOT, UART_LSR);

	if (lsr < 0 || !(lsr & LSR_DATA_READY))
		return -1;
	int c = io_in(PORTS_SLOT, UART_DATA);

	return c < 0 ? -1 : c;
}

/*
 * Binds COM1's receive interrupt to a new notification and checks that
 * the ports answer: the notification, or -errno when this console was
 * not given COM1's IRQ and I/O ports (init gives them; a console started
 * from the shell has neither).
 */
static int bind_com1(void)
{
	int note = notification_create();
	int err = note < 0 ? note : io_in(PORTS_SLOT, UART_LSR);

	if (err >= 0)
		err = irq_bind(IRQ_SLOT, note, RX_BIT);
	return err < 0 ? err : note;
}

/* Edits lines from what COM1 receives; arg is the notification its
 * interrupt signals. */
static void *input_thread(void *arg)
{
	int note = (int)(uintptr_t)arg;
	int c;

	/* Drop what arrived before, then ask the UART for interrupts. */
	while (receive_byte() >= 0)
		continue;
	io_out(PORTS_SLOT, UART_IER, IER_RX);
	for (;;) {
		if (notify_wait(note) < 0)
			return NULL;
		while ((c = receive_byte()) >= 0)
			type_byte((char)c);
	}
}

/* Answers reads, one reader at a time, as lines become ready. */
__attribute__((noreturn)) static void *reader_thread(void *arg)
{
	int ep = (int)(uintptr_t)arg;
	struct utcb *u = utcb();

	for (;;) {
		if (ipc_recv(ep, 0) < 0)
			continue;
		size_t want = u->mr[0] < CONSOLE_CHUNK ? u->mr[0] : CONSOLE_CHUNK;

		pthread_mutex_lock(&input_lock);
		while (ready_len == 0)
			pthread_cond_wait(&input_ready, &input_lock);
		size_t n = 0;

		if (ready[0] == '\0') {
			/* End of input: this read returns 0. */
			memmove(ready, ready + 1, --ready_len);
		} else {
			while (n < want && n < ready_len && ready[n] != '\0' &&
			       (n == 0 || ready[n - 1] != '\n'))
				n++;
			memcpy(&u->mr[1], ready, n);
			memmove(ready, ready + n, ready_len - n);
			ready_len -= n;
		}
		pthread_mutex_unlock(&input_lock);
		u->mr[0] = n;
		u->tag = IPC_TAG(CONSOLE_READ, 1 + (n + 3) / 4, 0);
		ipc_reply();
	}
}

/* Writes in progress, kept until complete so that they print whole. */
struct pending {
	uint32_t thread;	/* the writing thread (utcb->sender); 0: free */
	uint32_t last_piece;	/* pieces_seen when its latest piece came */
	size_t len;
	char buf[CONSOLE_WRITE_MAX];
};

static struct pending pending[PENDING_WRITERS];
static uint32_t pieces_seen;

/*
 * The write in progress of thread, or with create a new one for it. A
 * writer killed between two pieces never sends its last, and nothing
 * tells this server: so when every entry is taken, the one whose latest
 * piece is oldest (a dead writer's, most likely) is printed as it is and
 * given to the new writer. Were that writer alive after all, its write
 * just comes out in two parts.
 */
static struct pending *pending_of(uint32_t thread, bool create)
{
	struct pending *free_one = NULL, *oldest = &pending[0];

	pieces_seen++;
	for (int i = 0; i < PENDING_WRITERS; i++) {
		if (pending[i].thread == thread) {
			pending[i].last_piece = pieces_seen;
			return &pending[i];
		}
		if (!pending[i].thread && !free_one)
			free_one = &pending[i];
		if (pending[i].last_piece < oldest->last_piece)
			oldest = &pending[i];
	}
	if (!create)
		return NULL;
	if (!free_one) {
		debug_write(oldest->buf, oldest->len);
		free_one = oldest;
	}
	free_one->thread = thread;
	free_one->last_piece = pieces_seen;
	free_one->len = 0;
	return free_one;
}

static void handle_write(struct utcb *u, bool more)
{
	size_t n = console_message_bytes(u);
	const char *data = (const char *)&u->mr[1];
	struct pending *p = pending_of(u->sender, more);

	if (p && p->len + n > CONSOLE_WRITE_MAX) {
		/* Longer than we keep whole: print what we have. */
		debug_write(p->buf, p->len);
		p->len = 0;
	}
	if (p) {
		memcpy(p->buf + p->len, data, n);
		p->len += n;
	}
	if (!more) {
		if (p) {
			debug_write(p->buf, p->len);
			p->thread = 0;
		} else {
			debug_write(data, n);
		}
	}
	u->mr[0] = n;
	u->tag = IPC_TAG(IPC_TAG_LABEL(u->tag), 1, 0);
}

/* The notification arrived in the receive window's slot; the previous
 * one (in the other slot) is dropped, and the window moves there. */
static void handle_set_interrupt(struct utcb *u)
{
	int arrived = (int)u->recv_window[0];

	u->mr[0] = IPC_TAG_CAPS(u->tag) == 1 ? 0 : (uint32_t)-EINVAL;
	if (IPC_TAG_CAPS(u->tag) == 1) {
		int old = interrupt_note;

		interrupt_note = arrived;
		if (old)
			cap_delete(old);
		u->recv_window[0] = arrived == INTERRUPT_SLOT_A ? INTERRUPT_SLOT_B : INTERRUPT_SLOT_A;
	}
	u->tag = IPC_TAG(CONSOLE_SET_INTERRUPT, 1, 0);
}

int main(void)
{
	int note = bind_com1();
	int out = endpoint_create(), in = endpoint_create();
	pthread_t input, reader;

	/* All checked before registering: the name service keeps the newest
	 * registration, so a console that cannot serve would take the name
	 * from the one that can. */
	if (note < 0) {
		printf("console: cannot use COM1 (error %d); init starts me with it\n", note);
		return 1;
	}
	if (out < 0 || in < 0 ||
	    pthread_create(&input, NULL, input_thread, (void *)(uintptr_t)note) ||
	    pthread_create(&reader, NULL, reader_thread, (void *)(uintptr_t)in)) {
		printf("console: cannot start its endpoints and threads\n");
		return 1;
	}
	/* "console" last: init starts programs once it is there, and a
	 * program that finds it must find "console.input" too. */
	if (names_register("console.input", cap_derive(in, CAP_RIGHT_SEND, 0)) ||
	    names_register("console", cap_derive(out, CAP_RIGHT_SEND | CAP_RIGHT_GRANT, 0))) {
		printf("console: cannot register with the name service\n");
		return 1;
	}

	struct utcb *u = utcb();

	u->recv_window[0] = INTERRUPT_SLOT_A;
	int err = ipc_recv(out, 0);

	for (;;) {
		if (err) {
			err = ipc_recv(out, 0);
			continue;
		}
		uint32_t label = IPC_TAG_LABEL(u->tag);

		/* Only a notification set keeps what arrives in the window;
		 * anything else sent along is deleted, or the slot would stay
		 * taken and every later notification fail to arrive. */
		if (label != CONSOLE_SET_INTERRUPT && IPC_TAG_CAPS(u->tag))
			cap_delete((int)u->recv_window[0]);
		switch (label) {
		case CONSOLE_WRITE:
		case CONSOLE_WRITE_MORE:
			handle_write(u, label == CONSOLE_WRITE_MORE);
			break;
		case CONSOLE_SET_INTERRUPT:
			handle_set_interrupt(u);
			break;
		default:
			u->mr[0] = (uint32_t)-EINVAL;
			u->tag = IPC_TAG(label, 1, 0);
			break;
		}
		err = ipc_reply_recv(out);
	}
}
