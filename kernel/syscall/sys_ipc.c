/* System calls on capabilities, IPC, notifications and device objects. */
#include "syscall/syscall.h"

#include "cap/cap_table.h"
#include "drivers/device_caps.h"
#include "ipc/ipc.h"
#include "lib/compiler.h"
#include "sched/thread.h"
#include "task/task.h"
#include "uapi/errno.h"
#include "uapi/syscall.h"

static struct cap_table *my_caps(void)
{
	return &current_thread()->task->caps;
}

/* Gives the caller a capability with every right to a new object. */
static int32_t insert_new(struct kobject *o)
{
	if (!o)
		return -ENOMEM;
	int slot = cap_insert(my_caps(), o, CAP_RIGHTS_ALL, 0);

	kobject_put(o);
	return slot;
}

int32_t sys_endpoint_create(struct trap_frame *tf)
{
	(void)tf;
	struct endpoint *ep = endpoint_create();

	return insert_new(ep ? &ep->obj : NULL);
}

int32_t sys_notification_create(struct trap_frame *tf)
{
	(void)tf;
	struct notification *n = notification_create();

	return insert_new(n ? &n->obj : NULL);
}

int32_t sys_cap_derive(struct trap_frame *tf)
{
	return cap_derive(my_caps(), (int)SYSCALL_ARG1(tf), SYSCALL_ARG2(tf), SYSCALL_ARG3(tf),
			  (int)SYSCALL_ARG4(tf));
}

/* Looks up an endpoint capability with `rights` for an IPC operation. */
static int endpoint_cap(int slot, uint32_t rights, struct cap *c)
{
	return cap_get(my_caps(), slot, KOBJ_ENDPOINT, rights, c);
}

static struct endpoint *endpoint_of(const struct cap *c)
{
	return container_of(c->object, struct endpoint, obj);
}

int32_t sys_ipc_send(struct trap_frame *tf)
{
	struct cap c;
	int err = endpoint_cap((int)SYSCALL_ARG1(tf), CAP_RIGHT_SEND, &c);

	if (err)
		return err;
	err = ipc_send(endpoint_of(&c), c.badge, c.rights & CAP_RIGHT_GRANT,
		       !(SYSCALL_ARG2(tf) & IPC_NONBLOCK));
	kobject_put(c.object);
	return err;
}

int32_t sys_ipc_recv(struct trap_frame *tf)
{
	struct cap c;
	int err = endpoint_cap((int)SYSCALL_ARG1(tf), CAP_RIGHT_RECEIVE, &c);

	if (err)
		return err;
	err = ipc_recv(endpoint_of(&c), !(SYSCALL_ARG2(tf) & IPC_NONBLOCK));
	kobject_put(c.object);
	return err;
}

int32_t sys_ipc_call(struct trap_frame *tf)
{
	struct cap c;
	int err = endpoint_cap((int)SYSCALL_ARG1(tf), CAP_RIGHT_SEND, &c);

	if (err)
		return err;
	err = ipc_call(endpoint_of(&c), c.badge, c.rights & CAP_RIGHT_GRANT);
	kobject_put(c.object);
	return err;
}

int32_t sys_ipc_reply(struct trap_frame *tf)
{
	(void)tf;
	return ipc_reply();
}

int32_t sys_ipc_reply_recv(struct trap_frame *tf)
{
	struct cap c;
	int err = endpoint_cap((int)SYSCALL_ARG1(tf), CAP_RIGHT_RECEIVE, &c);

	if (err)
		return err;
	err = ipc_reply_recv(endpoint_of(&c));
	kobject_put(c.object);
	return err;
}

static int notification_cap(int slot, uint32_t rights, struct cap *c)
{
	return cap_get(my_caps(), slot, KOBJ_NOTIFICATION, rights, c);
}

static struct notification *notification_of(const struct cap *c)
{
	return container_of(c->object, struct notification, obj);
}

int32_t sys_notify_signal(struct trap_frame *tf)
{
	struct cap c;
	uint32_t bits = SYSCALL_ARG2(tf);
	int err = notification_cap((int)SYSCALL_ARG1(tf), CAP_RIGHT_SEND, &c);

	if (err)
		return err;
	if (bits & ~NOTIFY_BITS_MASK)
		err = -EINVAL;
	else
		notification_signal(notification_of(&c), bits);
	kobject_put(c.object);
	return err;
}

int32_t sys_notify_wait(struct trap_frame *tf)
{
	struct cap c;
	uint32_t bits = 0;
	int err = notification_cap((int)SYSCALL_ARG1(tf), CAP_RIGHT_RECEIVE, &c);

	if (err)
		return err;
	err = notification_wait(notification_of(&c), &bits);
	kobject_put(c.object);
	return err ? err : (int32_t)bits;
}

int32_t sys_notify_poll(struct trap_frame *tf)
{
	struct cap c;
	int err = notification_cap((int)SYSCALL_ARG1(tf), CAP_RIGHT_RECEIVE, &c);

	if (err)
		return err;
	uint32_t bits = notification_poll(notification_of(&c));

	kobject_put(c.object);
	return (int32_t)bits;
}

/* (irq cap, notification cap, bits): the IRQ now signals those bits. */
int32_t sys_irq_bind(struct trap_frame *tf)
{
	/* Zeroed only to quiet GCC, which cannot see cap_get fill them. */
	struct cap irq = { 0 }, n = { 0 };
	uint32_t bits = SYSCALL_ARG3(tf);
	int err = cap_get(my_caps(), (int)SYSCALL_ARG1(tf), KOBJ_IRQ, CAP_RIGHT_CONTROL, &irq);

	if (err)
		return err;
	err = notification_cap((int)SYSCALL_ARG2(tf), CAP_RIGHT_SEND, &n);
	if (!err) {
		err = bits & ~NOTIFY_BITS_MASK
			      ? -EINVAL
			      : irq_bind(container_of(irq.object, struct irq_object, obj),
					 notification_of(&n), bits);
		kobject_put(n.object);
	}
	kobject_put(irq.object);
	return err;
}

static int ports_cap(int slot, struct cap *c)
{
	return cap_get(my_caps(), slot, KOBJ_IO_PORTS, CAP_RIGHT_CONTROL, c);
}

int32_t sys_io_in(struct trap_frame *tf)
{
	struct cap c;
	uint8_t value = 0;
	int err = ports_cap((int)SYSCALL_ARG1(tf), &c);

	if (err)
		return err;
	err = io_ports_read(container_of(c.object, struct io_ports_object, obj),
			    SYSCALL_ARG2(tf), &value);
	kobject_put(c.object);
	return err ? err : value;
}

int32_t sys_io_out(struct trap_frame *tf)
{
	struct cap c;
	int err = ports_cap((int)SYSCALL_ARG1(tf), &c);

	if (err)
		return err;
	err = io_ports_write(container_of(c.object, struct io_ports_object, obj),
			     SYSCALL_ARG2(tf), (uint8_t)SYSCALL_ARG3(tf));
	kobject_put(c.object);
	return err;
}
