/* The legacy 8259 interrupt controllers: remapped, then masked for good. */
#ifndef LOCUS_DEV_PIC8259_H
#define LOCUS_DEV_PIC8259_H

/*
 * Moves the two PICs' vectors out of the exception range (where the BIOS
 * leaves them) and masks every line: Locus takes interrupts through the
 * local and I/O APICs only. A spurious IRQ 7 or 15 can still arrive; it
 * lands on a harmless vector.
 */
void pic8259_remap_and_mask(void);

#endif
