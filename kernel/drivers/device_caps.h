/*
 * Kernel objects that let a user-level driver own a device: an IRQ line
 * (delivered as bits of a notification) and a range of I/O ports (read
 * and written through system calls, since ring 3 has no port access).
 * They exist from boot; the kernel hands capabilities to them to the
 * first task, which passes them on to its drivers.
 */
#ifndef LOCUS_DRIVERS_DEVICE_CAPS_H
#define LOCUS_DRIVERS_DEVICE_CAPS_H

#include <stdint.h>

#include "cap/object.h"

struct notification;

struct irq_object {
	struct kobject obj;
	unsigned irq;			/* ISA IRQ line */
	/* Both under bind_lock (device_caps.c). */
	struct notification *bound;
	uint32_t bits;
};

struct io_ports_object {
	struct kobject obj;
	uint16_t base;
	uint16_t count;
};

/* Boot core, before the other cores start: creates the device objects
 * Locus knows (COM1's ports, the ISA IRQ lines) and their handlers. */
void device_caps_init(void);

struct irq_object *device_irq(unsigned irq);
struct io_ports_object *device_com1_ports(void);

/* Routes the IRQ to core 0 and signals bits on n for each interrupt;
 * binding again replaces the notification. 0 or -EINVAL. */
int irq_bind(struct irq_object *irq, struct notification *n, uint32_t bits);

/* Port access at base + offset: 0 or -EINVAL (outside the range). */
int io_ports_read(struct io_ports_object *p, uint32_t offset, uint8_t *value);
int io_ports_write(struct io_ports_object *p, uint32_t offset, uint8_t value);

#endif
