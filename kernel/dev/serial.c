/*
 * The 16550 UART at COM1: 115200 baud, 8 data bits, no parity, 1 stop
 * bit, FIFOs on. Output is polled (the console must work in a panic with
 * interrupts off). Input is not the kernel's: the user-level console
 * server reads COM1 through its I/O-port capability and binds its IRQ.
 */
#include "dev/serial.h"

#include "lib/cpu_i386.h"

#define UART_DATA 0		/* receive / transmit buffer (DLAB = 0) */
#define UART_IER 1		/* interrupt enable (DLAB = 0) */
#define UART_DLL 0		/* divisor low byte (DLAB = 1) */
#define UART_DLM 1		/* divisor high byte (DLAB = 1) */
#define UART_FCR 2		/* FIFO control */
#define UART_LCR 3		/* line control */
#define UART_MCR 4		/* modem control */
#define UART_LSR 5		/* line status */

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0xC7	/* enable, clear both FIFOs, 14-byte trigger */
#define MCR_DTR_RTS_OUT2 0x0B	/* OUT2 gates the IRQ line on PCs */
#define LSR_THR_EMPTY 0x20

#define BAUD_DIVISOR 1		/* 115200 / 115200 */

void serial_init(void)
{
	outb(COM1_PORT + UART_IER, 0);
	outb(COM1_PORT + UART_LCR, LCR_DLAB);
	outb(COM1_PORT + UART_DLL, BAUD_DIVISOR & 0xFF);
	outb(COM1_PORT + UART_DLM, BAUD_DIVISOR >> 8);
	outb(COM1_PORT + UART_LCR, LCR_8N1);
	outb(COM1_PORT + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1_PORT + UART_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
	while (!(inb(COM1_PORT + UART_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1_PORT + UART_DATA, (uint8_t)c);
}
