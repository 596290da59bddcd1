/*
 * The user thread control block (UTCB): where a thread's IPC message
 * lives. Each thread has one, 512 bytes, eight to a page, in its task's
 * UTCB area (0xBFC00000, mm/layout.h). The thread finds its own with one
 * %gs-relative load: word TCB_UTCB_WORD of its TCB holds the UTCB's
 * address (the kernel writes it there when the thread registers its TCB
 * with set_tls or thread_create).
 *
 * Sending: fill mr[] and tag (label, length in words, capability count);
 * capabilities to pass go in send_caps[] (the endpoint capability used
 * must carry the grant right). Receiving: recv_window[] names the free
 * slots where received capabilities go; the kernel fills tag, mr[],
 * badge (of the sender's capability) and sender (its thread id).
 */
#ifndef LOCUS_UAPI_UTCB_H
#define LOCUS_UAPI_UTCB_H

#include <stdint.h>

#define UTCB_SIZE 512
#define UTCBS_PER_PAGE 8
#define UTCB_MESSAGE_REGISTERS 64
#define UTCB_CAPS_MAX 4
#define TCB_UTCB_WORD 1

/* tag = label << 16 | caps << 8 | length */
#define IPC_TAG(label, length, caps) \
	((uint32_t)(label) << 16 | ((uint32_t)(caps) & 0x7) << 8 | ((uint32_t)(length) & 0xFF))
#define IPC_TAG_LABEL(tag) ((tag) >> 16)
#define IPC_TAG_CAPS(tag) (((tag) >> 8) & 0x7)
#define IPC_TAG_LENGTH(tag) ((tag) & 0xFF)

struct utcb {
	uint32_t tag;				/* label, length, capability count */
	uint32_t badge;				/* set on receive */
	uint32_t sender;			/* set on receive: the sender's thread id */
	int32_t error;				/* reserved for the runtime */
	uint32_t send_caps[UTCB_CAPS_MAX];	/* slots to pass */
	uint32_t recv_window[UTCB_CAPS_MAX];	/* slots to receive into (0: none) */
	uint32_t reserved[4];
	uint32_t mr[UTCB_MESSAGE_REGISTERS];	/* message registers */
	uint32_t user[UTCB_SIZE / 4 - 16 - UTCB_MESSAGE_REGISTERS]; /* free for the runtime */
};

_Static_assert(sizeof(struct utcb) == UTCB_SIZE, "a UTCB is 512 bytes");

#endif
