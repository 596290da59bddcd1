/*
 * The console service: the one program that owns COM1's input (its IRQ
 * and receive register). Everything a program prints goes to it as a
 * message, and it serialises all clients' writes, so a write never lands
 * inside another's. It reads lines with simple editing (backspace,
 * Ctrl-C, Ctrl-D) and hands them to the reader.
 *
 * Two endpoints, registered at the name service:
 *   "console"        CONSOLE_WRITE / CONSOLE_WRITE_MORE: mr[0] = bytes,
 *                    mr[1..] the bytes; a write longer than one message
 *                    is sent as WRITE_MORE pieces ending with a WRITE,
 *                    and printed only once complete. Reply: mr[0] = bytes.
 *                    CONSOLE_SET_INTERRUPT: a notification capability,
 *                    signalled (bit 0) when Ctrl-C is typed.
 *   "console.input"  CONSOLE_READ: mr[0] = at most this many bytes.
 *                    Reply: mr[0] = bytes (0 at end of input), mr[1..].
 */
#ifndef LOCUS_USER_CONSOLE_H
#define LOCUS_USER_CONSOLE_H

#include <stddef.h>

#include "uapi/utcb.h"

#define CONSOLE_WRITE 1
#define CONSOLE_WRITE_MORE 2
#define CONSOLE_SET_INTERRUPT 3
#define CONSOLE_READ 4

/* Bytes one message carries: mr[1 ..] */
#define CONSOLE_CHUNK ((UTCB_MESSAGE_REGISTERS - 1) * 4)
/*
 * The bytes a write or a read reply in u carries: no more than its count
 * in mr[0] says, nor than the words after mr[0] hold (a UTCB's later
 * words are left over from earlier messages), so at most CONSOLE_CHUNK.
 */
static inline size_t console_message_bytes(const struct utcb *u)
{
	size_t words = IPC_TAG_LENGTH(u->tag);
	size_t carried = words ? (words - 1) * 4 : 0;

	return u->mr[0] < carried ? u->mr[0] : carried;
}

/* The longest write kept whole. */
#define CONSOLE_WRITE_MAX 4096

#define CONSOLE_INTERRUPT_BIT 0x1

/* Connects to the console service (once) and returns the slot of its
 * "console" endpoint, or -ENOENT when the program has none. */
int console_endpoint(void);

#endif
