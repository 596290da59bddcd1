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
	KOBJ_TYPES,
};

struct kobject {
	enum kobject_type type;
	uint32_t refcount;
	/* Frees the object; called once, when the last reference is gone. */
	void (*release)(struct kobject *o);
};

/* Starts an object's life with one reference (the creator's). */
void kobject_init(struct kobject *o, enum kobject_type type, void (*release)(struct kobject *));

static inline void kobject_get(struct kobject *o)
{
	__atomic_add_fetch(&o->refcount, 1, __ATOMIC_RELAXED);
}

/* Drops a reference; the last one releases the object (object.c). */
void kobject_put(struct kobject *o);

/* Live objects of each type (for leak checks). */
uint32_t kobject_live(enum kobject_type type);

const char *kobject_type_name(enum kobject_type type);

#endif
