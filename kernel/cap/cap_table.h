/*
 * A task's capability table: slots 1 .. CAP_SLOTS-1, each empty or naming
 * a kernel object with rights and a badge. Holding a capability is the
 * only way user code can use an object.
 */
#ifndef LOCUS_CAP_CAP_TABLE_H
#define LOCUS_CAP_CAP_TABLE_H

#include <stdint.h>

#include "cap/object.h"
#include "smp/spinlock.h"
#include "uapi/cap.h"
#include "uapi/errno.h"

struct cap {
	struct kobject *object;	/* NULL: the slot is empty */
	uint32_t rights;
	uint32_t badge;
};

struct cap_table {
	/* Protects slots. Never held while dropping a reference: the last
	 * one may free an object, which can wait for other cores. */
	struct spinlock lock;
	struct cap slots[CAP_SLOTS];
};

void cap_table_init(struct cap_table *table);

/* Puts a capability in the lowest free slot, taking a reference on the
 * object. Returns the slot, or -EMFILE when the table is full. */
int cap_insert(struct cap_table *table, struct kobject *object, uint32_t rights,
	       uint32_t badge);

/* The same at a chosen slot: -EBADF out of range, -EEXIST if taken. */
int cap_insert_at(struct cap_table *table, int slot, struct kobject *object, uint32_t rights,
		  uint32_t badge);

static inline bool cap_valid_slot(int slot)
{
	return slot > CAP_NULL && slot < CAP_SLOTS;
}

/* Can c be used as a type object with rights? table->lock held. */
static inline int cap_check(const struct cap *c, enum kobject_type type, uint32_t rights)
{
	if (!c->object)
		return -EBADF;
	if (type != KOBJ_NONE && c->object->type != type)
		return -EINVAL;
	if ((c->rights & rights) != rights)
		return -EPERM;
	return 0;
}

/*
 * Looks a slot up for use: the object must be of type and the capability
 * must carry every right in `rights`. On success *out holds a copy with a
 * reference the caller drops with kobject_put. Returns 0, -EBADF (empty or
 * out of range), -EINVAL (another type of object) or -EPERM (rights).
 * Static inline because every IPC system call starts with one: GCC keeps
 * it a function, but a copy per file, called with its arguments in
 * registers. That saved 20 instructions an IPC round trip over one
 * global function; forcing it inline saved nothing (2 more).
 */
static inline int cap_get(struct cap_table *table, int slot, enum kobject_type type,
			  uint32_t rights, struct cap *out)
{
	if (!cap_valid_slot(slot))
		return -EBADF;
	spin_lock(&table->lock);
	const struct cap *c = &table->slots[slot];
	int err = cap_check(c, type, rights);

	if (!err) {
		*out = *c;
		kobject_get(out->object);
	}
	spin_unlock(&table->lock);
	return err;
}

/* Empties a slot: 0 or -EBADF. */
int cap_delete(struct cap_table *table, int slot);
/*
 * The same, only if the slot still names object: for a call that looked
 * the slot up, blocked, and then consumes the capability, while another
 * thread of the task may have deleted it and put something else there.
 */
int cap_delete_object(struct cap_table *table, int slot, const struct kobject *object);

/*
 * A new capability to the same object in slot dest (0: the lowest free
 * slot), with rights reduced to `rights` (never more than the source had)
 * and, when `badge` is non-zero, that badge (a badge cannot be changed
 * once set). Returns the new slot or an error as for cap_get and
 * cap_insert_at.
 */
int cap_derive(struct cap_table *table, int slot, uint32_t rights, uint32_t badge, int dest);

/* Empties every slot (a task's death). */
void cap_table_clear(struct cap_table *table);

/* Slots in use in every table of the system (for leak checks). */
unsigned cap_slots_in_use(void);

#endif
