/* COM1, the console the tests and the user talk through. */
#ifndef LOCUS_DEV_SERIAL_H
#define LOCUS_DEV_SERIAL_H

#define COM1_PORT 0x3F8
#define COM1_IRQ 4

void serial_init(void);
void serial_putc(char c);

#endif
