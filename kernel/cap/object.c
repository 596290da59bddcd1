#include "cap/object.h"

#include "lib/panic.h"

static uint32_t live[KOBJ_TYPES];

static const char *const type_names[KOBJ_TYPES] = {
	[KOBJ_NONE] = "none",
	[KOBJ_THREAD] = "thread",
	[KOBJ_TASK] = "task",
	[KOBJ_ENDPOINT] = "endpoint",
	[KOBJ_NOTIFICATION] = "notification",
	[KOBJ_IRQ] = "irq",
	[KOBJ_IO_PORTS] = "io ports",
};

const char *kobject_type_name(enum kobject_type type)
{
	return type < KOBJ_TYPES ? type_names[type] : "?";
}

void kobject_init(struct kobject *o, enum kobject_type type, const struct kobject_ops *ops)
{
	o->type = type;
	o->refcount = 1;
	o->ops = ops;
	__atomic_add_fetch(&live[type], 1, __ATOMIC_RELAXED);
}

void kobject_put_last(struct kobject *o, uint32_t left)
{
	if (left == UINT32_MAX)
		panic("kobject_put: %s %p released one reference too many",
		      kobject_type_name(o->type), (void *)o);
	if (left == 0) {
		enum kobject_type type = o->type;

		/* Counted as live until its memory is really back. */
		o->ops->release(o);
		__atomic_sub_fetch(&live[type], 1, __ATOMIC_RELEASE);
	}
}

uint32_t kobject_live(enum kobject_type type)
{
	return __atomic_load_n(&live[type], __ATOMIC_RELAXED);
}
