#include "drivers/device_caps.h"

#include "dev/serial.h"
#include "ipc/ipc.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "smp/ioapic.h"
#include "smp/lapic.h"
#include "smp/smp.h"
#include "smp/spinlock.h"
#include "trap/trap.h"
#include "uapi/errno.h"

#define COM1_PORT_COUNT 8

/* Device objects live for the whole run: the kernel keeps a reference. */
static void device_release(struct kobject *o)
{
	panic("device object %p released", (void *)o);
}

static const struct kobject_ops device_ops = { .release = device_release };

static struct irq_object irqs[VEC_IRQ_COUNT];
static struct io_ports_object com1_ports;
/*
 * Guards every irq->bound and irq->bits. The handler signals under it, so
 * that irq_bind, which drops its reference on the old notification after
 * releasing it, cannot free that notification under a running handler.
 * Device interrupts all go to core 0, so handlers never contend for it.
 * Lock order: bind_lock, then the notification's lock.
 */
static struct spinlock bind_lock = SPINLOCK_INIT("irq bind");

static void device_interrupt(struct trap_frame *tf)
{
	struct irq_object *irq = &irqs[tf->vector - VEC_IRQ_BASE];

	lapic_eoi();
	spin_lock(&bind_lock);
	if (irq->bound)
		notification_signal(irq->bound, irq->bits);
	spin_unlock(&bind_lock);
}

void device_caps_init(void)
{
	for (unsigned i = 0; i < VEC_IRQ_COUNT; i++) {
		kobject_init(&irqs[i].obj, KOBJ_IRQ, &device_ops);
		irqs[i].irq = i;
		trap_set_handler(VEC_IRQ_BASE + i, device_interrupt);
	}
	kobject_init(&com1_ports.obj, KOBJ_IO_PORTS, &device_ops);
	com1_ports.base = COM1_PORT;
	com1_ports.count = COM1_PORT_COUNT;
}

struct irq_object *device_irq(unsigned irq)
{
	return irq < VEC_IRQ_COUNT ? &irqs[irq] : NULL;
}

struct io_ports_object *device_com1_ports(void)
{
	return &com1_ports;
}

int irq_bind(struct irq_object *irq, struct notification *n, uint32_t bits)
{
	/* IRQ 0, the PIT, belongs to the kernel's timer calibration. */
	if (!bits || irq->irq == 0)
		return -EINVAL;
	spin_lock(&bind_lock);
	struct notification *old = irq->bound;

	kobject_get(&n->obj);
	irq->bits = bits;
	irq->bound = n;
	ioapic_route_irq(irq->irq, VEC_IRQ_BASE + irq->irq, cpu_apic_id(0));
	spin_unlock(&bind_lock);
	if (old)
		kobject_put(&old->obj);
	return 0;
}

int io_ports_read(struct io_ports_object *p, uint32_t offset, uint8_t *value)
{
	if (offset >= p->count)
		return -EINVAL;
	*value = inb((uint16_t)(p->base + offset));
	return 0;
}

int io_ports_write(struct io_ports_object *p, uint32_t offset, uint8_t value)
{
	if (offset >= p->count)
		return -EINVAL;
	outb((uint16_t)(p->base + offset), value);
	return 0;
}
