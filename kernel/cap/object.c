#include "cap/object.h"

#include "lib/panic.h"

static uint32_t live[KOBJ_TYPES];

static const char *const type_names[KOBJ_TYPES] = {
	[KOBJ_NONE] = "none",
	[KOBJ_THREAD] = "thread",
	[KOBJ_TASK] = "task",
	[KOBJ_ENDPOINT] = "endpoint",
	[KOBJ_NOTIFICATION] = "notification",
};

const char *kobject_type_name(enum kobject_type type)
{
	return type < KOBJ_TYPES ? type_names[type] : "?";
}

void kobject_init(struct kobject *o, enum kobject_type type, void (*release)(struct kobject *))
{
	o->type = type;
	o->refcount = 1;
	o->release = release;
	__atomic_add_fetch(&live[type], 1, __ATOMIC_RELAXED);
}

void kobject_put(struct kobject *o)
{
	uint32_t left = __atomic_sub_fetch(&o->refcount, 1, __ATOMIC_ACQ_REL);

	if (left == UINT32_MAX)
		panic("kobject_put: %s %p released one reference too many",
		      kobject_type_name(o->type), (void *)o);
	if (left == 0) {
		__atomic_sub_fetch(&live[o->type], 1, __ATOMIC_RELAXED);
		o->release(o);
	}
}

uint32_t kobject_live(enum kobject_type type)
{
	return __atomic_load_n(&live[type], __ATOMIC_RELAXED);
}
