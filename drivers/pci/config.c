// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space through the I/O hooks. Two mechanisms:
 *
 * - ECAM (PCI Express Base 4.0, 7.2.2): each function's 4 KiB at
 *   base + (bus << 20 | dev << 15 | fn << 12), the base (bus 0's) and the
 *   buses decoded from the ACPI MCFG table (PCI Firmware 3.0, 4.1.2). A
 *   bus's 1 MiB is mapped with map_mmio the first time it is used.
 * - Configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2): the
 *   function and register written to port 0xcf8, the data at 0xcfc plus
 *   the byte offset; 256 bytes a function. A Xen PV dom0 uses these: Xen
 *   checks and forwards them.
 *
 * ECAM when the MCFG names segment 0 and its first bus answers, else the
 * ports; neither when the ports are missing too (Xen refused port I/O).
 */
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/io.h>
#include <proteus/pci.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>

#define PCI_CONF_ADDR		0xcf8
#define PCI_CONF_DATA		0xcfc
#define PCI_CONF_ENABLE		0x80000000U

#define ECAM_BUS_SIZE		(1ULL << 20)

struct mcfg_entry {
	u64 base;
	u16 segment;
	u8 start_bus;
	u8 end_bus;
	u32 reserved;
} __packed;

struct acpi_mcfg {
	struct acpi_table_header header;
	u8 reserved[8];
	struct mcfg_entry entry[];
} __packed;

static struct {
	u64 base;		/* 0: the ports */
	u8 start_bus, end_bus;
	volatile u8 *bus[256];	/* mapped 1 MiB windows */
} ecam;

static DEFINE_SPINLOCK(port_lock);

bool pci_uses_ecam(void)
{
	return ecam.base;
}

u16 pci_cfg_size(void)
{
	return ecam.base ? PCIE_CFG_SIZE : PCI_CFG_SIZE;
}

/* The function's config space over ECAM, or NULL (bus out of range, unmappable). */
static volatile u8 *ecam_function(const struct pci_dev *d)
{
	volatile u8 **b;

	if (d->bus < ecam.start_bus || d->bus > ecam.end_bus)
		return NULL;
	b = &ecam.bus[d->bus];
	if (!*b)
		*b = map_mmio(ecam.base + ((u64)d->bus << 20), ECAM_BUS_SIZE);
	return *b ? *b + ((u32)d->dev << 15 | (u32)d->fn << 12) : NULL;
}

static u32 port_address(const struct pci_dev *d, u16 off)
{
	return PCI_CONF_ENABLE | (u32)d->bus << 16 | (u32)d->dev << 11 |
	       (u32)d->fn << 8 | (off & 0xfc);
}

static u32 ecam_read(const struct pci_dev *d, u16 off, int width)
{
	volatile u8 *f = ecam_function(d);

	if (!f)
		return ~0U;
	switch (width) {
	case 1:		return readb(f + off);
	case 2:		return readw(f + off);
	default:	return readl(f + off);
	}
}

static void ecam_write(const struct pci_dev *d, u16 off, int width, u32 val)
{
	volatile u8 *f = ecam_function(d);

	if (!f)
		return;
	switch (width) {
	case 1:		writeb(val, f + off); break;
	case 2:		writew(val, f + off); break;
	default:	writel(val, f + off); break;
	}
}

/* The address and the data port under one lock: nobody may move 0xcf8 between. */
static u32 port_read(const struct pci_dev *d, u16 off, int width)
{
	u16 port = PCI_CONF_DATA + (off & 3);
	u64 flags = spin_lock_irqsave(&port_lock);
	u32 v;

	outl(port_address(d, off), PCI_CONF_ADDR);
	switch (width) {
	case 1:		v = inb(port); break;
	case 2:		v = inw(port); break;
	default:	v = inl(port); break;
	}
	spin_unlock_irqrestore(&port_lock, flags);
	return v;
}

static void port_write(const struct pci_dev *d, u16 off, int width, u32 val)
{
	u16 port = PCI_CONF_DATA + (off & 3);
	u64 flags = spin_lock_irqsave(&port_lock);

	outl(port_address(d, off), PCI_CONF_ADDR);
	switch (width) {
	case 1:		outb(val, port); break;
	case 2:		outw(val, port); break;
	default:	outl(val, port); break;
	}
	spin_unlock_irqrestore(&port_lock, flags);
}

static bool cfg_ok(const struct pci_dev *d, u16 off, int width)
{
	if (off % width == 0 && (u32)off + width <= pci_cfg_size())
		return true;
	pr_warn("pci: %s: config access of %d bytes at %#x refused (space is %u bytes)\n",
		d->name, width, off, pci_cfg_size());
	return false;
}

static u32 cfg_read(const struct pci_dev *d, u16 off, int width)
{
	if (!cfg_ok(d, off, width))
		return ~0U;
	return ecam.base ? ecam_read(d, off, width) : port_read(d, off, width);
}

static void cfg_write(const struct pci_dev *d, u16 off, int width, u32 val)
{
	if (!cfg_ok(d, off, width))
		return;
	if (ecam.base)
		ecam_write(d, off, width, val);
	else
		port_write(d, off, width, val);
}

u8 pci_read8(const struct pci_dev *d, u16 off)
{
	return cfg_read(d, off, 1);
}

u16 pci_read16(const struct pci_dev *d, u16 off)
{
	return cfg_read(d, off, 2);
}

u32 pci_read32(const struct pci_dev *d, u16 off)
{
	return cfg_read(d, off, 4);
}

void pci_write16(const struct pci_dev *d, u16 off, u16 val)
{
	cfg_write(d, off, 2, val);
}

void pci_write32(const struct pci_dev *d, u16 off, u32 val)
{
	cfg_write(d, off, 4, val);
}

u32 pci_read32_ports(const struct pci_dev *d, u16 off)
{
	if (port_io_missing || off % 4 || off >= PCI_CFG_SIZE)
		return ~0U;
	return port_read(d, off, 4);
}

/* Segment 0's MCFG entry, checked; NULL without one. */
static const struct mcfg_entry *mcfg_segment0(void)
{
	const struct acpi_mcfg *m = (const void *)acpi_find_table("MCFG");
	u32 i, n;

	if (!m || m->header.length < sizeof(*m))
		return NULL;
	n = (m->header.length - sizeof(*m)) / sizeof(m->entry[0]);
	for (i = 0; i < n; i++) {
		const struct mcfg_entry *e = &m->entry[i];

		if (e->segment || e->end_bus < e->start_bus || !e->base ||
		    e->base & (ECAM_BUS_SIZE - 1))
			continue;
		return e;
	}
	return NULL;
}

/* ECAM from the MCFG, kept only if the host bridge's vendor reads through it. */
static bool try_ecam(void)
{
	const struct mcfg_entry *e = mcfg_segment0();
	struct pci_dev first = { .bus = 0, .name = "ecam" };

	if (!e)
		return false;
	ecam.base = e->base;
	ecam.start_bus = e->start_bus;
	ecam.end_bus = e->end_bus;
	first.bus = e->start_bus;
	if (pci_read16(&first, PCI_VENDOR_ID) != 0xffff) {
		pr_info("pci: config space via ECAM at %#llx, buses %u-%u (MCFG)\n",
			(unsigned long long)ecam.base, ecam.start_bus, ecam.end_bus);
		return true;
	}
	pr_warn("pci: ECAM at %#llx (MCFG) does not answer; using the ports\n",
		(unsigned long long)e->base);
	ecam.base = 0;
	return false;
}

const char *pci_config_init(void)
{
	if (try_ecam())
		return NULL;
	if (port_io_missing)
		return port_io_missing;
	pr_info("pci: config space via ports %#x/%#x\n", PCI_CONF_ADDR, PCI_CONF_DATA);
	return NULL;
}
