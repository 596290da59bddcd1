/*
 * VGA text mode mirror of the console: 80x25 cells at physical 0xB8000,
 * reached through the kernel's direct map. It scrolls, and understands
 * newline, carriage return, tab and backspace; everything else is shown.
 */
#include "dev/vga.h"

#include <stdint.h>

#include "lib/cpu_i386.h"
#include "lib/string.h"
#include "mm/layout.h"

#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR 0x0700		/* light grey on black */
#define VGA_CRTC_INDEX 0x3D4
#define VGA_CRTC_DATA 0x3D5
#define VGA_CURSOR_HIGH 0x0E
#define VGA_CURSOR_LOW 0x0F

static volatile uint16_t *const screen = (volatile uint16_t *)(DIRECT_MAP_BASE + 0xB8000);
static unsigned row, col;

static void move_cursor(void)
{
	unsigned pos = row * VGA_COLS + col;

	outb(VGA_CRTC_INDEX, VGA_CURSOR_HIGH);
	outb(VGA_CRTC_DATA, (uint8_t)(pos >> 8));
	outb(VGA_CRTC_INDEX, VGA_CURSOR_LOW);
	outb(VGA_CRTC_DATA, (uint8_t)pos);
}

static void scroll(void)
{
	for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		screen[i] = screen[i + VGA_COLS];
	for (unsigned i = 0; i < VGA_COLS; i++)
		screen[(VGA_ROWS - 1) * VGA_COLS + i] = VGA_ATTR | ' ';
	row = VGA_ROWS - 1;
}

void vga_init(void)
{
	for (unsigned i = 0; i < VGA_ROWS * VGA_COLS; i++)
		screen[i] = VGA_ATTR | ' ';
	row = col = 0;
	move_cursor();
}

void vga_putc(char c)
{
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\t':
		col = (col + 8) & ~7u;
		break;
	case '\b':
		if (col > 0)
			col--;
		screen[row * VGA_COLS + col] = VGA_ATTR | ' ';
		break;
	default:
		screen[row * VGA_COLS + col] = VGA_ATTR | (uint8_t)c;
		col++;
		break;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		scroll();
	move_cursor();
}
