#include "cap/cap_table.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "uapi/errno.h"

/* Slots filled minus slots emptied on this core, under a table's lock
 * (interrupts off); summed over the cores, the slots in use in all tables. */
static CPU_LOCAL int32_t slots_filled;

void cap_table_init(struct cap_table *table)
{
	spin_init(&table->lock, "cap table");
	for (unsigned i = 0; i < CAP_SLOTS; i++)
		table->slots[i] = (struct cap){ 0 };
}

static int free_slot(struct cap_table *table)
{
	for (int slot = 1; slot < CAP_SLOTS; slot++)
		if (!table->slots[slot].object)
			return slot;
	return -EMFILE;
}

static void fill(struct cap_table *table, int slot, struct kobject *object, uint32_t rights,
		 uint32_t badge)
{
	rights &= CAP_RIGHTS_ALL;
	kobject_get(object);
	table->slots[slot] = (struct cap){ object, rights, badge };
	slots_filled++;
	if (object->ops->cap_added)
		object->ops->cap_added(object, rights);
}

int cap_insert(struct cap_table *table, struct kobject *object, uint32_t rights, uint32_t badge)
{
	spin_lock(&table->lock);
	int slot = free_slot(table);

	if (slot > 0)
		fill(table, slot, object, rights, badge);
	spin_unlock(&table->lock);
	return slot;
}

int cap_insert_at(struct cap_table *table, int slot, struct kobject *object, uint32_t rights,
		  uint32_t badge)
{
	if (!cap_valid_slot(slot))
		return -EBADF;
	spin_lock(&table->lock);
	int err = table->slots[slot].object ? -EEXIST : 0;

	if (!err)
		fill(table, slot, object, rights, badge);
	spin_unlock(&table->lock);
	return err ? err : slot;
}

/* Empties slot if it names `expected` (any object when NULL). */
static int delete_slot(struct cap_table *table, int slot, const struct kobject *expected)
{
	if (!cap_valid_slot(slot))
		return -EBADF;
	spin_lock(&table->lock);
	struct cap old = table->slots[slot];
	bool match = old.object && (!expected || old.object == expected);

	if (match) {
		table->slots[slot] = (struct cap){ 0 };
		slots_filled--;
	}
	spin_unlock(&table->lock);
	if (!match)
		return -EBADF;
	if (old.object->ops->cap_removed)
		old.object->ops->cap_removed(old.object, old.rights);
	kobject_put(old.object);
	return 0;
}

int cap_delete(struct cap_table *table, int slot)
{
	return delete_slot(table, slot, NULL);
}

int cap_delete_object(struct cap_table *table, int slot, const struct kobject *object)
{
	return delete_slot(table, slot, object);
}

int cap_derive(struct cap_table *table, int slot, uint32_t rights, uint32_t badge, int dest)
{
	if (!cap_valid_slot(slot) || (dest && !cap_valid_slot(dest)))
		return -EBADF;
	spin_lock(&table->lock);
	const struct cap *c = &table->slots[slot];
	int result = cap_check(c, KOBJ_NONE, 0);

	if (!result && badge && c->badge && badge != c->badge)
		result = -EPERM;
	if (!result && dest)
		result = table->slots[dest].object ? -EEXIST : dest;
	else if (!result)
		result = free_slot(table);
	if (result > 0)
		fill(table, result, c->object, rights & c->rights, badge ? badge : c->badge);
	spin_unlock(&table->lock);
	return result;
}

void cap_table_clear(struct cap_table *table)
{
	for (int slot = 1; slot < CAP_SLOTS; slot++)
		cap_delete(table, slot);
}

unsigned cap_slots_in_use(void)
{
	return (unsigned)cpu_local_sum(&slots_filled);
}
