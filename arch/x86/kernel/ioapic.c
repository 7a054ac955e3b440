// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPICs: where device interrupt lines (global system interrupts, GSIs)
 * become vectors. The ACPI MADT lists each IOAPIC (type 1: its registers'
 * address and first GSI) and the ISA IRQs that do not arrive on the GSI of
 * the same number or with ISA's edge/active-high signalling (type 2,
 * interrupt source overrides; QEMU's PC moves the PIT's IRQ 0 to GSI 2).
 * An IOAPIC has two registers, a select and a window; through them, one
 * 64-bit redirection entry per input pin: vector, trigger, polarity, mask
 * and destination APIC id. Entries are programmed in physical destination
 * mode, fixed delivery, so a destination is one 8-bit APIC id.
 */
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <asm-generic/errno-base.h>
#include <proteus/acpi.h>
#include <proteus/memmap.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>

_Static_assert(IOAPIC_LEVEL == DEVICE_IRQ_LEVEL &&
	       IOAPIC_ACTIVE_LOW == DEVICE_IRQ_ACTIVE_LOW,
	       "ioapic_isa_gsi()'s flags serve struct device_irq as they are");

#define MADT_IOAPIC		1
#define MADT_SOURCE_OVERRIDE	2

struct madt_ioapic {
	struct acpi_madt_entry h;
	u8 id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;

struct madt_source_override {
	struct acpi_madt_entry h;
	u8 bus;				/* 0: ISA */
	u8 source;			/* ISA IRQ */
	u32 gsi;
	u16 flags;			/* MPS INTI flags */
} __packed;

#define MPS_POLARITY_MASK	0x3
#define MPS_POLARITY_LOW	0x3
#define MPS_TRIGGER_MASK	0xc
#define MPS_TRIGGER_LEVEL	0xc

#define IOAPIC_SELECT		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_REDIR	0x10	/* entry n: 0x10 + 2n (low), + 1 (high) */

#define REDIR_ACTIVE_LOW	(1U << 13)
#define REDIR_LEVEL		(1U << 15)
#define REDIR_MASKED		(1U << 16)

#define MAX_IOAPICS		8
#define NR_ISA_IRQS		16

struct ioapic {
	volatile u32 *regs;
	u32 gsi_base;
	u32 pins;
};

static DEFINE_SPINLOCK(ioapic_lock);
static struct ioapic ioapics[MAX_IOAPICS];
static unsigned int nr_ioapics;

static struct {
	u32 gsi;
	u32 flags;
} isa_irqs[NR_ISA_IRQS];

/* Select then window: nothing may select another register in between. */
static u32 io_read(const struct ioapic *a, u32 reg)
{
	u64 flags = spin_lock_irqsave(&ioapic_lock);
	u32 val;

	a->regs[IOAPIC_SELECT / 4] = reg;
	val = a->regs[IOAPIC_WINDOW / 4];
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return val;
}

static void io_write(const struct ioapic *a, u32 reg, u32 val)
{
	u64 flags = spin_lock_irqsave(&ioapic_lock);

	a->regs[IOAPIC_SELECT / 4] = reg;
	a->regs[IOAPIC_WINDOW / 4] = val;
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

u32 ioapic_add(u8 id, u32 address, u32 gsi_base)
{
	struct ioapic *a = &ioapics[nr_ioapics];
	u32 pin;

	if (nr_ioapics == MAX_IOAPICS) {
		pr_warn("ioapic: more than %u IOAPICs, ignoring the rest\n", MAX_IOAPICS);
		return 0;
	}
	a->regs = map_mmio(address, PAGE_SIZE);
	if (!a->regs) {
		pr_warn("ioapic: cannot map IOAPIC %u at %#x\n", id, address);
		return 0;
	}
	a->gsi_base = gsi_base;
	a->pins = (io_read(a, IOAPIC_REG_VERSION) >> 16 & 0xff) + 1;
	for (pin = 0; pin < a->pins; pin++)
		io_write(a, IOAPIC_REG_REDIR + 2 * pin, REDIR_MASKED);
	nr_ioapics++;
	return a->pins;
}

/* "Conforms to the bus" means ISA's edge-triggered, active high. */
void ioapic_set_isa_irq(unsigned int isa_irq, u32 gsi, u16 mps_flags)
{
	u32 flags = 0;

	if (isa_irq >= NR_ISA_IRQS)
		return;
	if ((mps_flags & MPS_TRIGGER_MASK) == MPS_TRIGGER_LEVEL)
		flags |= IOAPIC_LEVEL;
	if ((mps_flags & MPS_POLARITY_MASK) == MPS_POLARITY_LOW)
		flags |= IOAPIC_ACTIVE_LOW;
	isa_irqs[isa_irq].gsi = gsi;
	isa_irqs[isa_irq].flags = flags;
}

static void add_ioapic(const struct madt_ioapic *e)
{
	ioapic_add(e->id, e->address, e->gsi_base);
}

static void add_override(const struct madt_source_override *e)
{
	if (e->bus == 0)
		ioapic_set_isa_irq(e->source, e->gsi, e->flags);
}

static void parse_madt(const struct acpi_table_header *t)
{
	const u8 *p = (const u8 *)t + sizeof(struct acpi_madt);
	const u8 *end = (const u8 *)t + t->length;

	while (p + sizeof(struct acpi_madt_entry) <= end) {
		const struct acpi_madt_entry *e = (const void *)p;

		if (e->length < sizeof(*e) || p + e->length > end)
			break;
		if (e->type == MADT_IOAPIC && e->length >= sizeof(struct madt_ioapic))
			add_ioapic((const void *)e);
		else if (e->type == MADT_SOURCE_OVERRIDE &&
			 e->length >= sizeof(struct madt_source_override))
			add_override((const void *)e);
		p += e->length;
	}
}

/* Find the IOAPICs, mask every input, learn the ISA IRQ overrides. */
void ioapic_init(void)
{
	const struct acpi_table_header *madt = acpi_find_table("APIC");
	unsigned int i;

	for (i = 0; i < NR_ISA_IRQS; i++)
		isa_irqs[i].gsi = i;
	if (madt)
		parse_madt(madt);
	if (!nr_ioapics)
		mptable_parse();
	for (i = 0; i < nr_ioapics; i++)
		pr_info("ioapic: GSIs %u-%u\n", ioapics[i].gsi_base,
			ioapics[i].gsi_base + ioapics[i].pins - 1);
}

unsigned int ioapic_count(void)
{
	return nr_ioapics;
}

u32 ioapic_isa_gsi(unsigned int isa_irq, u32 *flags)
{
	if (isa_irq >= NR_ISA_IRQS) {
		*flags = 0;
		return isa_irq;
	}
	*flags = isa_irqs[isa_irq].flags;
	return isa_irqs[isa_irq].gsi;
}

static const struct ioapic *ioapic_of(u32 gsi, u32 *pin)
{
	unsigned int i;

	for (i = 0; i < nr_ioapics; i++) {
		const struct ioapic *a = &ioapics[i];

		if (gsi >= a->gsi_base && gsi - a->gsi_base < a->pins) {
			*pin = gsi - a->gsi_base;
			return a;
		}
	}
	return NULL;
}

/*
 * Deliver a GSI as a fixed vector to one local APIC; -1 if impossible.
 * Destination first, so the entry is complete when the unmask lands.
 */
static int ioapic_route(u32 gsi, unsigned int vector, u32 dest_apic_id, u32 flags)
{
	const struct ioapic *a;
	u32 pin, low = vector;

	a = ioapic_of(gsi, &pin);
	if (!a || dest_apic_id > 0xff || vector < 0x10 || vector > 0xfe)
		return -1;
	if (flags & IOAPIC_LEVEL)
		low |= REDIR_LEVEL;
	if (flags & IOAPIC_ACTIVE_LOW)
		low |= REDIR_ACTIVE_LOW;
	io_write(a, IOAPIC_REG_REDIR + 2 * pin + 1, dest_apic_id << 24);
	io_write(a, IOAPIC_REG_REDIR + 2 * pin, low);
	return 0;
}

static void ioapic_mask(u32 gsi)
{
	const struct ioapic *a;
	u32 pin, reg;

	a = ioapic_of(gsi, &pin);
	if (!a)
		return;
	reg = IOAPIC_REG_REDIR + 2 * pin;
	io_write(a, reg, io_read(a, reg) | REDIR_MASKED);
}

/*
 * The bind_device_irq op natively, under KVM and under Xen PVH (whose
 * IOAPIC Xen emulates for dom0 over the real one): a vector of the
 * line's own, and the GSI's redirection entry pointing it at the calling
 * CPU. do_irq()'s local APIC EOI ends each interrupt; for a level line
 * that EOI also clears the entry's remote IRR, so the handler must have
 * quieted the device.
 */
/* The MSI address (0xfeeXXXXX: the local APIC, destination id in 19:12). */
#define MSI_ADDR_BASE		0xfee00000U
#define MSI_ADDR_DEST_SHIFT	12

/*
 * An MSI natively, under KVM and under Xen PVH (whose vPCI traps a PVH
 * dom0's MSI-X table and binds the message it finds there): a vector of
 * its own and the message that raises it at the calling CPU's local
 * APIC, physical destination, fixed delivery, edge (data = the vector).
 */
static int bind_msi(struct device_irq *irq)
{
	u32 apic_id = cpu_apic_id(smp_processor_id());
	int v;

	if (apic_id > 0xff) {
		pr_err("ioapic: MSI: APIC id %u beyond an MSI address's 8 bits\n", apic_id);
		return -ENODEV;
	}
	v = irq_alloc_vector(irq->handler);
	if (v < 0) {
		pr_err("ioapic: MSI: no free interrupt vector\n");
		return -EBUSY;
	}
	irq->msi_addr = MSI_ADDR_BASE | apic_id << MSI_ADDR_DEST_SHIFT;
	irq->msi_data = (u32)v;
	irq->vector = v;
	irq->pirq = -1;
	irq->port = -1;
	return 0;
}

int native_bind_device_irq(struct device_irq *irq)
{
	u32 pin;
	int v;

	if (irq->type == DEVICE_IRQ_MSI)
		return bind_msi(irq);
	if (irq->type != DEVICE_IRQ_GSI) {
		pr_err("ioapic: device interrupt of unknown type %u\n", irq->type);
		return -EINVAL;
	}
	if (!ioapic_of(irq->gsi, &pin)) {
		pr_err("ioapic: GSI %u: no IOAPIC has that input\n", irq->gsi);
		return -ENODEV;
	}
	v = irq_alloc_vector(irq->handler);
	if (v < 0) {
		pr_err("ioapic: GSI %u: no free interrupt vector\n", irq->gsi);
		return -EBUSY;
	}
	if (ioapic_route(irq->gsi, (unsigned int)v, cpu_apic_id(smp_processor_id()),
			 irq->flags)) {
		irq_free_vector((unsigned int)v);
		pr_err("ioapic: GSI %u: cannot route to CPU %u\n", irq->gsi,
		       smp_processor_id());
		return -ENODEV;
	}
	irq->vector = v;
	irq->pirq = -1;
	irq->port = -1;
	return 0;
}

/*
 * Mask the entry first, so no new interrupt finds the vector freed (an
 * MSI's table entry is the caller's to mask before).
 */
void native_unbind_device_irq(struct device_irq *irq)
{
	if (irq->vector < 0)
		return;
	if (irq->type == DEVICE_IRQ_GSI)
		ioapic_mask(irq->gsi);
	irq_free_vector((unsigned int)irq->vector);
	irq->vector = -1;
}
