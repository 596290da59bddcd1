/*
 * A user-level driver in miniature: COM1's receive interrupt is bound to
 * a notification, and a byte typed on the serial line (by the test
 * runner) wakes this thread. Capability slot 1: COM1's IRQ; slot 2:
 * COM1's I/O ports.
 */
#include <stdio.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/utest.h"

#define IRQ_SLOT 1
#define PORTS_SLOT 2
#define UART_DATA 0
#define UART_IER 1
#define UART_LSR 5
#define IER_RX 0x01
#define LSR_DATA_READY 0x01

int main(void)
{
	int note = notification_create();

	UCHECK_EQ(irq_bind(IRQ_SLOT, note, 0x4), 0);
	/* Throw away anything already waiting, then ask for interrupts. */
	while (io_in(PORTS_SLOT, UART_LSR) & LSR_DATA_READY)
		io_in(PORTS_SLOT, UART_DATA);
	UCHECK_EQ(io_out(PORTS_SLOT, UART_IER, IER_RX), 0);
	UCHECK_EQ(io_in(PORTS_SLOT, 8), -EINVAL);
	printf("utest_com1_irq: ready for input\n");
	int bits = notify_wait(note);
	int byte = io_in(PORTS_SLOT, UART_DATA);

	io_out(PORTS_SLOT, UART_IER, 0);
	printf("utest_com1_irq: woken with bits 0x%x, read 0x%x\n", bits, byte);
	UCHECK_EQ(bits, 0x4);
	UCHECK_EQ(byte, 'Z');
	return utest_failures;
}
