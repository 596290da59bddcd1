/*
 * Kernel objects: threads, tasks, endpoints and notifications. Each has a
 * reference count; capabilities, running code and waiters hold
 * references, and the object is released when the last one goes.
 */
#ifndef LOCUS_CAP_OBJECT_H
#define LOCUS_CAP_OBJECT_H

#include <stdint.h>

enum kobject_type {
	KOBJ_NONE,
	KOBJ_THREAD,
	KOBJ_TASK,
	KOBJ_ENDPOINT,
	KOBJ_NOTIFICATION,
	KOBJ_IRQ,
	KOBJ_IO_PORTS,
	KOBJ_TYPES,
};

struct kobject;

/* What each type of object does at the moments of its life. */
struct kobject_ops {
	/* Frees the object; called once, when the last reference is gone. */
	void (*release)(struct kobject *o);
	/* Optional: a capability with these rights was created (called with
	 * the capability table locked) or deleted (called with no lock held). */
	void (*cap_added)(struct kobject *o, uint32_t rights);
	void (*cap_removed)(struct kobject *o, uint32_t rights);
};

struct kobject {
	enum kobject_type type;
	uint32_t refcount;
	const struct kobject_ops *ops;
};

/* Starts an object's life with one reference (the creator's). */
void kobject_init(struct kobject *o, enum kobject_type type, const struct kobject_ops *ops);

static inline void kobject_get(struct kobject *o)
{
	__atomic_add_fetch(&o->refcount, 1, __ATOMIC_RELAXED);
}

/* What kobject_put does when the count reaches zero or goes below it. */
void kobject_put_last(struct kobject *o, uint32_t left);

/* Drops a reference; the last one releases the object. Inline: dropping
 * one that is not the last is a single locked instruction. */
static inline void kobject_put(struct kobject *o)
{
	uint32_t left = __atomic_sub_fetch(&o->refcount, 1, __ATOMIC_ACQ_REL);

	if (__builtin_expect(left == 0 || left == UINT32_MAX, 0))
		kobject_put_last(o, left);
}

/* Live objects of each type (for leak checks). */
uint32_t kobject_live(enum kobject_type type);

const char *kobject_type_name(enum kobject_type type);

#endif
