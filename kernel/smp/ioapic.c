/*
 * I/O APIC registers are reached indirectly: write a register number to
 * IOREGSEL, then read or write IOWIN. Redirection entry n is the pair of
 * registers 0x10 + 2n (low word) and 0x11 + 2n (high word: destination).
 */
#include "smp/ioapic.h"

#include "lib/compiler.h"
#include "lib/console.h"
#include "mm/vmap.h"
#include "smp/acpi.h"
#include "smp/spinlock.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIRECTION(n) (0x10 + 2 * (n))

#define REDIR_MASKED 0x10000
#define REDIR_LEVEL 0x8000
#define REDIR_ACTIVE_LOW 0x2000

/* MPS INTI flags in an interrupt source override. */
#define INTI_POLARITY_MASK 0x3
#define INTI_POLARITY_LOW 0x3
#define INTI_TRIGGER_MASK 0xC
#define INTI_TRIGGER_LEVEL 0xC

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	uint32_t inputs;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned ioapic_count;
static struct acpi_override overrides[ACPI_MAX_OVERRIDES];
static unsigned override_count;
/* Serialises the IOREGSEL/IOWIN pairs (used at boot and by drivers). */
static struct spinlock ioapic_lock = SPINLOCK_INIT("ioapic");

static uint32_t read_reg(struct ioapic *io, uint32_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void write_reg(struct ioapic *io, uint32_t reg, uint32_t value)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = value;
}

bool ioapic_setup(const struct acpi_madt_info *madt)
{
	ioapic_count = madt->ioapic_count;
	override_count = madt->override_count;
	for (unsigned i = 0; i < override_count; i++)
		overrides[i] = madt->overrides[i];
	for (unsigned i = 0; i < ioapic_count; i++) {
		struct ioapic *io = &ioapics[i];

		io->regs = vmap_map_mmio(madt->ioapics[i].phys, 4096);
		io->gsi_base = madt->ioapics[i].gsi_base;
		io->inputs = ((read_reg(io, IOAPIC_VERSION) >> 16) & 0xFF) + 1;
		for (uint32_t n = 0; n < io->inputs; n++) {
			write_reg(io, IOAPIC_REDIRECTION(n), REDIR_MASKED);
			write_reg(io, IOAPIC_REDIRECTION(n) + 1, 0);
		}
		kprintf("ioapic: id %u at 0x%x, GSI %u..%u\n", madt->ioapics[i].id,
			madt->ioapics[i].phys, io->gsi_base, io->gsi_base + io->inputs - 1);
	}
	return ioapic_count > 0;
}

/* The GSI an ISA IRQ arrives on, and its redirection flags. */
static uint32_t irq_to_gsi(unsigned irq, uint32_t *flags)
{
	*flags = 0;	/* ISA default: edge triggered, active high */
	for (unsigned i = 0; i < override_count; i++) {
		if (overrides[i].source_irq != irq)
			continue;
		if ((overrides[i].flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)
			*flags |= REDIR_ACTIVE_LOW;
		if ((overrides[i].flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
			*flags |= REDIR_LEVEL;
		return overrides[i].gsi;
	}
	return irq;
}

static struct ioapic *ioapic_for(uint32_t gsi)
{
	for (unsigned i = 0; i < ioapic_count; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].inputs)
			return &ioapics[i];
	return NULL;
}

static void set_entry(unsigned irq, uint32_t low, uint8_t apic_id)
{
	uint32_t flags;
	uint32_t gsi = irq_to_gsi(irq, &flags);
	struct ioapic *io = ioapic_for(gsi);

	if (!io) {
		kprintf("ioapic: no I/O APIC handles IRQ %u (GSI %u)\n", irq, gsi);
		return;
	}
	uint32_t n = gsi - io->gsi_base;

	spin_lock(&ioapic_lock);
	write_reg(io, IOAPIC_REDIRECTION(n) + 1, (uint32_t)apic_id << 24);
	write_reg(io, IOAPIC_REDIRECTION(n), low | flags);
	spin_unlock(&ioapic_lock);
}

void ioapic_route_irq(unsigned irq, uint8_t vector, uint8_t apic_id)
{
	set_entry(irq, vector, apic_id);
}

void ioapic_mask_irq(unsigned irq)
{
	set_entry(irq, REDIR_MASKED, 0);
}
