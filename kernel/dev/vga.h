/* The VGA text screen, a mirror of the serial console. */
#ifndef LOCUS_DEV_VGA_H
#define LOCUS_DEV_VGA_H

void vga_init(void);
void vga_putc(char c);

#endif
