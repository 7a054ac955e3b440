// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X (PCI Local Bus 3.0, 6.8.2): a capability (id 0x11) whose Message
 * Control holds the table size (N - 1 in bits 10:0), Function Mask and
 * Enable; a Table Offset/BIR register placing a table of 16-byte entries
 * {address low, address high, data, vector control (bit 0: masked)} in a
 * memory BAR. The table is checked to lie inside its BAR and mapped with
 * map_mmio; the Function Mask is set while the entries are written (by
 * the kernel, or by Xen for a PV dom0, which then owns the table), then
 * MSI-X is enabled and the Function Mask cleared.
 */
#include <asm/pv/ops.h>
#include <proteus/io.h>
#include <proteus/pci.h>
#include <proteus/printk.h>

#define MSIX_FLAGS		2
#define  MSIX_FLAGS_QSIZE	0x07ff
#define  MSIX_FLAGS_MASKALL	0x4000
#define  MSIX_FLAGS_ENABLE	0x8000
#define MSIX_TABLE		4
#define  MSIX_TABLE_BIR		0x7
#define MSIX_ENTRY_SIZE		16
#define MSIX_ENTRY_ADDR_LO	0
#define MSIX_ENTRY_ADDR_HI	4
#define MSIX_ENTRY_DATA		8
#define MSIX_ENTRY_CTRL		12
#define  MSIX_ENTRY_MASKED	0x1

static void set_flags(const struct pci_msix *m, u16 clear, u16 set)
{
	u16 f = pci_read16(m->dev, m->cap + MSIX_FLAGS);

	pci_write16(m->dev, m->cap + MSIX_FLAGS, (f & ~clear) | set);
}

const char *pci_msix_init(struct pci_dev *d, struct pci_msix *m)
{
	const struct pci_bar *b;
	u32 table;
	u64 off, bytes;

	m->dev = d;
	m->cap = pci_find_capability(d, PCI_CAP_ID_MSIX, 0);
	if (!m->cap)
		return "no MSI-X capability";
	m->size = (pci_read16(d, m->cap + MSIX_FLAGS) & MSIX_FLAGS_QSIZE) + 1;
	table = pci_read32(d, m->cap + MSIX_TABLE);
	b = &d->bar[table & MSIX_TABLE_BIR];
	off = table & ~MSIX_TABLE_BIR;
	bytes = (u64)m->size * MSIX_ENTRY_SIZE;
	if ((table & MSIX_TABLE_BIR) >= PCI_NR_BARS || !b->size || b->io || !b->base)
		return "MSI-X table in no assigned memory BAR";
	if (off + bytes > b->size)
		return "MSI-X table runs past the end of its BAR";
	m->bar_base = b->base;
	m->table = map_mmio(b->base + off, bytes);
	if (!m->table)
		return "cannot map the MSI-X table";
	m->by_hypervisor = false;
	set_flags(m, MSIX_FLAGS_ENABLE, MSIX_FLAGS_MASKALL);
	return NULL;
}

void pci_msix_set(const struct pci_msix *m, u16 entry, u64 addr, u32 data)
{
	u8 *e = (u8 *)m->table + (size_t)entry * MSIX_ENTRY_SIZE;

	if (entry >= m->size)
		return;
	writel(MSIX_ENTRY_MASKED, e + MSIX_ENTRY_CTRL);
	writel((u32)addr, e + MSIX_ENTRY_ADDR_LO);
	writel(addr >> 32, e + MSIX_ENTRY_ADDR_HI);
	writel(data, e + MSIX_ENTRY_DATA);
	writel(0, e + MSIX_ENTRY_CTRL);
}

/* Enable with the entries written (Xen leaves Enable to a PV dom0). */
void pci_msix_unmask_function(const struct pci_msix *m)
{
	set_flags(m, MSIX_FLAGS_MASKALL, MSIX_FLAGS_ENABLE);
}

void pci_msix_disable(struct pci_msix *m)
{
	u16 i;

	for (i = 0; i < m->size && !m->by_hypervisor; i++)
		writel(MSIX_ENTRY_MASKED, (u8 *)m->table + (size_t)i * MSIX_ENTRY_SIZE +
		       MSIX_ENTRY_CTRL);
	set_flags(m, MSIX_FLAGS_ENABLE, MSIX_FLAGS_MASKALL);
	unmap_mmio((void *)m->table, (size_t)m->size * MSIX_ENTRY_SIZE);
	m->table = NULL;
}
