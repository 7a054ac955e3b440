// SPDX-License-Identifier: GPL-2.0
/*
 * Memory BARs the firmware left at 0 (qboot assigns none), given an
 * address when a driver asks: top-down from below the chipset's fixed
 * range (the IOAPIC at 0xfec00000 and up) to 3 GiB, each naturally
 * aligned, clear of every memory map region (RAM, ACPI, firmware) and of
 * every BAR already assigned. Below 3 GiB on QEMU's q35 sits ECAM; on
 * either machine the window is routed to PCI whenever RAM ends below it.
 * 64-bit BARs get a 32-bit address too. I/O BARs are left alone.
 */
#include <proteus/bootinfo.h>
#include <proteus/pci.h>
#include <proteus/printk.h>

#define PCI_MMIO_WINDOW_LOW	0xc0000000ULL
#define PCI_MMIO_WINDOW_HIGH	0xfec00000ULL

static bool overlaps(u64 a, u64 size, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + size;
}

static bool busy(u64 base, u64 size)
{
	const struct memmap *m = &boot_info.memmap;
	unsigned int i, b;

	for (i = 0; i < m->nr; i++)
		if (overlaps(base, size, m->r[i].base, m->r[i].size))
			return true;
	for (i = 0; i < pci_nr_devices(); i++) {
		const struct pci_dev *d = pci_device(i);

		for (b = 0; b < PCI_NR_BARS; b++)
			if (d->bar[b].size && d->bar[b].base && !d->bar[b].io &&
			    overlaps(base, size, d->bar[b].base, d->bar[b].size))
				return true;
	}
	return false;
}

static u64 find_space(u64 size)
{
	u64 a;

	if (size > PCI_MMIO_WINDOW_HIGH - PCI_MMIO_WINDOW_LOW)
		return 0;
	for (a = ALIGN_DOWN(PCI_MMIO_WINDOW_HIGH - size, size);
	     a >= PCI_MMIO_WINDOW_LOW; a -= size)
		if (!busy(a, size))
			return a;
	return 0;
}

int pci_assign_bars(struct pci_dev *d)
{
	unsigned int i;
	u16 off;
	u64 a;

	for (i = 0; i < PCI_NR_BARS; i++) {
		struct pci_bar *b = &d->bar[i];

		if (!b->size || b->base || b->io)
			continue;
		a = find_space(b->size);
		if (!a) {
			pr_err("pci: %s: no room for BAR %u (%#llx bytes) below %#llx\n",
			       d->name, i, (unsigned long long)b->size,
			       PCI_MMIO_WINDOW_HIGH);
			return -1;
		}
		off = PCI_BAR0 + 4 * i;
		pci_write32(d, off, (u32)a | (pci_read32(d, off) & ~PCI_BAR_MEM_MASK));
		if (b->is64)
			pci_write32(d, off + 4, 0);
		b->base = a;
		pr_info("pci: %s: BAR %u at %#llx+%#llx (left unassigned by the firmware)\n",
			d->name, i, (unsigned long long)a, (unsigned long long)b->size);
	}
	return 0;
}
