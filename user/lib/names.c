/* The client side of the name service (locus/names.h). */
#include "locus/names.h"

#include "lib/string.h"
#include "locus.h"
#include "locus/ipc.h"

/* Puts name in mr[0 .. NAMES_NAME_WORDS), NUL-padded. */
static int put_name(struct utcb *u, const char *name)
{
	size_t len = strlen(name);

	if (len >= NAMES_NAME_MAX)
		return -ENAMETOOLONG;
	memset(u->mr, 0, NAMES_NAME_MAX);
	memcpy(u->mr, name, len);
	return 0;
}

int names_register(const char *name, int cap)
{
	struct utcb *u = utcb();
	int err = put_name(u, name);

	if (err)
		return err;
	u->send_caps[0] = (uint32_t)cap;
	u->tag = IPC_TAG(NAMES_REGISTER, NAMES_NAME_WORDS, 1);
	err = ipc_call(CAP_SLOT_NAMES);
	return err ? err : (int)u->mr[0];
}

int names_lookup(const char *name, int dest_slot)
{
	struct utcb *u = utcb();
	int err = put_name(u, name);

	if (err)
		return err;
	u->tag = IPC_TAG(NAMES_LOOKUP, NAMES_NAME_WORDS, 0);
	u->recv_window[0] = (uint32_t)dest_slot;
	err = ipc_call(CAP_SLOT_NAMES);
	u->recv_window[0] = 0;
	if (err)
		return err;
	if ((int)u->mr[0] == 0 && IPC_TAG_CAPS(u->tag) != 1)
		return -EEXIST;	/* the destination slot was not free */
	return (int)u->mr[0];
}
