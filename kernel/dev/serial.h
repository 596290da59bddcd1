/* COM1, the console the tests and the user talk through. */
#ifndef LOCUS_DEV_SERIAL_H
#define LOCUS_DEV_SERIAL_H

#include <stdbool.h>

#define COM1_PORT 0x3F8
#define COM1_IRQ 4

void serial_init(void);
void serial_putc(char c);
/* Returns a received byte, or -1 when none is waiting. */
int serial_getc(void);
/* Lets the UART raise an interrupt when a byte arrives (or stops it). */
void serial_set_rx_interrupt(bool on);

#endif
