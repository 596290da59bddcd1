/*
 * names: the name service. Receives on the endpoint in its slot 1;
 * servers register endpoints under names, clients look them up and get
 * a copy of the capability (locus/names.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/names.h"

#define ENDPOINT_SLOT 1
#define MAX_NAMES 64
#define FIRST_STORE_SLOT 16	/* registered capabilities live from here */

struct entry {
	char name[NAMES_NAME_MAX];
	int slot;			/* 0: free */
};

static struct entry entries[MAX_NAMES];

static struct entry *find(const char *name)
{
	for (int i = 0; i < MAX_NAMES; i++)
		if (entries[i].slot && strcmp(entries[i].name, name) == 0)
			return &entries[i];
	return NULL;
}

static struct entry *free_entry(void)
{
	for (int i = 0; i < MAX_NAMES; i++)
		if (!entries[i].slot)
			return &entries[i];
	return NULL;
}

/* The message's name, NUL-terminated whatever the sender put there; the
 * words the message did not carry hold an earlier message's, not name. */
static void take_name(const struct utcb *u, char *name)
{
	size_t words = IPC_TAG_LENGTH(u->tag);
	size_t len = (words < NAMES_NAME_WORDS ? words : NAMES_NAME_WORDS) * 4;

	memset(name, 0, NAMES_NAME_MAX);
	memcpy(name, u->mr, len);
	name[NAMES_NAME_MAX - 1] = '\0';
}

/* Handles one request in u; fills in the reply. */
static void handle(struct utcb *u, int window)
{
	char name[NAMES_NAME_MAX];
	uint32_t label = IPC_TAG_LABEL(u->tag);
	unsigned received = IPC_TAG_CAPS(u->tag);
	int status = -EINVAL;
	unsigned caps = 0;
	bool kept = false;

	take_name(u, name);
	if (label == NAMES_REGISTER) {
		struct entry *e = free_entry();

		struct entry *old = find(name);

		if (received != 1) {
			status = -EINVAL;
		} else if (old) {
			/* A restarted server registers again: the newest wins, and
			 * clients holding the old endpoint look it up anew when
			 * it fails them (-EPIPE). */
			cap_delete(old->slot);
			old->slot = window;
			status = 0;
		} else if (!e) {
			status = -ENOSPC;
		} else {
			memcpy(e->name, name, sizeof(e->name));
			e->slot = window;
			status = 0;
		}
		kept = !status;
	} else if (label == NAMES_LOOKUP) {
		struct entry *e = find(name);

		status = e ? 0 : -ENOENT;
		if (e) {
			u->send_caps[0] = (uint32_t)e->slot;
			caps = 1;
		}
	}
	/* A capability not kept (any message may carry one) is given back
	 * to the kernel: its slot is the window next_window hands out again. */
	if (received && !kept)
		cap_delete(window);
	u->mr[0] = (uint32_t)status;
	u->tag = IPC_TAG(label, 1, caps);
}

/* The next free slot to receive a registered capability into. */
static int next_window(void)
{
	for (int slot = FIRST_STORE_SLOT; slot < FIRST_STORE_SLOT + MAX_NAMES; slot++) {
		bool used = false;

		for (int i = 0; i < MAX_NAMES; i++)
			used |= entries[i].slot == slot;
		if (!used)
			return slot;
	}
	return 0;
}

int main(void)
{
	struct utcb *u = utcb();
	int window = next_window();

	u->recv_window[0] = (uint32_t)window;
	int err = ipc_recv(ENDPOINT_SLOT, 0);

	while (!err) {
		handle(u, window);
		window = next_window();
		u->recv_window[0] = (uint32_t)window;
		err = ipc_reply_recv(ENDPOINT_SLOT);
	}
	printf("names: receive failed (%d); exiting\n", err);
	return 1;
}
