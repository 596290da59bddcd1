/*
 * The kernel console. kprintf formats into a buffer on the stack and hands
 * it to console_write in one piece, so lines printed by different cores
 * come out whole. The lock is a plain spinlock: console output is never on
 * a hot path. In a panic, the panicking core stops taking it, because the
 * core that held it may have been stopped mid-line.
 */
#include "lib/console.h"

#include "dev/serial.h"
#include "dev/vga.h"
#include "lib/format.h"
#include "smp/spinlock.h"

#define KPRINTF_CHUNK 256

/* Serialises console output between cores; rule: held only around the
 * device writes of one console_write call. */
static struct spinlock console_lock = SPINLOCK_INIT("console");
static bool panic_mode;

void console_init(void)
{
	serial_init();
	vga_init();
}

static void write_devices(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_putc('\r');
		serial_putc(buf[i]);
		vga_putc(buf[i]);
	}
}

void console_write(const char *buf, size_t len)
{
	/* Before cpu-locals are live only the boot core runs, and a
	 * spinlock, which records its owner core, cannot be taken yet. */
	if (READ_ONCE(panic_mode) || !cpu_locals_ready()) {
		write_devices(buf, len);
		return;
	}
	spin_lock(&console_lock);
	write_devices(buf, len);
	spin_unlock(&console_lock);
}

void console_enter_panic_mode(void)
{
	WRITE_ONCE(panic_mode, true);
}

struct chunk {
	char buf[KPRINTF_CHUNK];
	size_t len;
};

static void chunk_put(void *ctx, char c)
{
	struct chunk *ch = ctx;

	if (ch->len == sizeof(ch->buf)) {
		console_write(ch->buf, ch->len);
		ch->len = 0;
	}
	ch->buf[ch->len++] = c;
}

int kvprintf(const char *fmt, va_list ap)
{
	struct chunk ch;

	ch.len = 0;
	int n = vformat(chunk_put, &ch, fmt, ap);

	if (ch.len)
		console_write(ch.buf, ch.len);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
