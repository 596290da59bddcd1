#include "dev/pit.h"

#include "lib/cpu_i386.h"

#define PIT_CHANNEL0 0x40
#define PIT_CHANNEL2 0x42
#define PIT_COMMAND 0x43
#define PIT_CH0_RATE_GENERATOR 0x34	/* channel 0, lobyte/hibyte, mode 2 */
#define PIT_CH0_ONESHOT 0x30		/* channel 0, lobyte/hibyte, mode 0 */
#define PIT_CH2_ONESHOT 0xB0		/* channel 2, lobyte/hibyte, mode 0 */
#define PORT_B 0x61			/* bit 0: channel 2 gate, bit 5: its output */
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20

void pit_start_periodic(unsigned hz)
{
	uint32_t divisor = PIT_FREQUENCY_HZ / hz;

	outb(PIT_COMMAND, PIT_CH0_RATE_GENERATOR);
	outb(PIT_CHANNEL0, divisor & 0xFF);
	outb(PIT_CHANNEL0, (divisor >> 8) & 0xFF);
}

void pit_stop(void)
{
	outb(PIT_COMMAND, PIT_CH0_ONESHOT);
	outb(PIT_CHANNEL0, 0xFF);
	outb(PIT_CHANNEL0, 0xFF);
}

void pit_oneshot_start(uint16_t count)
{
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_COMMAND, PIT_CH2_ONESHOT);
	outb(PIT_CHANNEL2, count & 0xFF);
	outb(PIT_CHANNEL2, count >> 8);
}

int pit_oneshot_done(void)
{
	return inb(PORT_B) & PORT_B_OUT2;
}
