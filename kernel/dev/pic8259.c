#include "dev/pic8259.h"

#include "lib/cpu_i386.h"
#include "trap/vectors.h"

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xA0
#define PIC2_DATA 0xA1
#define ICW1_INIT_WITH_ICW4 0x11
#define ICW3_PIC1_SLAVE_ON_IRQ2 0x04
#define ICW3_PIC2_CASCADE_ID 0x02
#define ICW4_8086 0x01
#define MASK_ALL 0xFF

void pic8259_remap_and_mask(void)
{
	outb(PIC1_COMMAND, ICW1_INIT_WITH_ICW4);
	outb(PIC2_COMMAND, ICW1_INIT_WITH_ICW4);
	outb(PIC1_DATA, VEC_IRQ_BASE);
	outb(PIC2_DATA, VEC_IRQ_BASE + 8);
	outb(PIC1_DATA, ICW3_PIC1_SLAVE_ON_IRQ2);
	outb(PIC2_DATA, ICW3_PIC2_CASCADE_ID);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, MASK_ALL);
	outb(PIC2_DATA, MASK_ALL);
}
