// SPDX-License-Identifier: GPL-2.0
/*
 * PCI enumeration: bus 0 and every bus behind a PCI-PCI bridge, each
 * function's IDs and class, its BARs sized, one boot line each:
 *   pci: 0000:00:04.0 1af4:1044 class 00ff00 bar4=mem64 0xfebf0000+0x4000
 * BAR addresses are the firmware's (SeaBIOS, qboot, OVMF, Xen's dom0
 * view); nothing is reassigned.
 */
#include <proteus/kernel.h>
#include <proteus/pci.h>
#include <proteus/printk.h>
#include <proteus/string.h>

#define PCI_MAX_BUSES		256
/* Capabilities are at least 4 bytes, past the 64-byte header: 48 at most. */
#define PCI_CAP_MAX_STEPS	48
#define PCI_CAP_MIN_OFFSET	0x40

const char *pci_missing = "PCI not probed yet";

static struct pci_dev devices[PCI_MAX_DEVICES];
static unsigned int nr_devices;
static bool bus_seen[PCI_MAX_BUSES];

unsigned int pci_nr_devices(void)
{
	return nr_devices;
}

struct pci_dev *pci_device(unsigned int i)
{
	return i < nr_devices ? &devices[i] : NULL;
}

/* What the BAR decodes: all ones written, the writable bits read back. */
static u64 bar_probe(const struct pci_dev *d, u16 off, u32 mask, bool is64)
{
	u32 lo = pci_read32(d, off), hi = 0, szlo, szhi = ~0U;
	u64 size;

	pci_write32(d, off, ~0U);
	szlo = pci_read32(d, off) & mask;
	pci_write32(d, off, lo);
	if (is64) {
		hi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, ~0U);
		szhi = pci_read32(d, off + 4);
		pci_write32(d, off + 4, hi);
	}
	if (!szlo && (!is64 || !szhi))
		return 0;
	size = (u64)szhi << 32 | szlo;
	if (!is64)
		size |= ~0ULL << 32;
	return ~size + 1;
}

unsigned int pci_size_bar(const struct pci_dev *d, unsigned int i,
			  struct pci_bar *bar)
{
	u16 off = PCI_BAR0 + 4 * i, cmd;
	unsigned int nr_bars = d->header == PCI_HEADER_BRIDGE ? 2 : PCI_NR_BARS;
	u32 v;

	memset(bar, 0, sizeof(*bar));
	if (i >= nr_bars)
		return 0;
	v = pci_read32(d, off);
	bar->io = v & PCI_BAR_IO;
	bar->is64 = !bar->io && (v & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64;
	if (bar->is64 && i + 1 >= nr_bars) {
		pr_warn("pci: %s: 64-bit BAR %u in the last slot; ignored\n", d->name, i);
		bar->is64 = false;
		return 1;
	}
	/* Decoding off while the BAR holds all ones: it must not claim a range. */
	cmd = pci_read16(d, PCI_COMMAND);
	pci_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	bar->size = bar_probe(d, off, bar->io ? PCI_BAR_IO_MASK : PCI_BAR_MEM_MASK,
			      bar->is64);
	pci_write16(d, PCI_COMMAND, cmd);
	if (bar->io)
		bar->size &= 0xffff;
	bar->base = v & (bar->io ? PCI_BAR_IO_MASK : PCI_BAR_MEM_MASK);
	if (bar->is64)
		bar->base |= (u64)pci_read32(d, off + 4) << 32;
	if (bar->size & (bar->size - 1)) {
		pr_warn("pci: %s: BAR %u decodes %#llx bytes, not a power of two; ignored\n",
			d->name, i, (unsigned long long)bar->size);
		bar->size = 0;
	}
	return bar->is64 ? 2 : 1;
}

u8 pci_find_capability(const struct pci_dev *d, u8 id, u8 from)
{
	unsigned int steps;
	u8 pos;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = from ? pci_read8(d, from + 1) : pci_read8(d, PCI_CAPABILITY_LIST);
	for (steps = 0; steps < PCI_CAP_MAX_STEPS; steps++) {
		pos &= ~3;
		if (pos < PCI_CAP_MIN_OFFSET)
			return 0;
		if (pci_read8(d, pos) == id)
			return pos;
		pos = pci_read8(d, pos + 1);
	}
	pr_warn("pci: %s: capability list longer than %u entries (a loop?)\n",
		d->name, PCI_CAP_MAX_STEPS);
	return 0;
}

static void print_device(const struct pci_dev *d)
{
	char line[160];
	size_t n;
	unsigned int i;

	n = snprintf(line, sizeof(line), "pci: %s %04x:%04x class %06x", d->name,
		     d->vendor, d->device, d->class);
	for (i = 0; i < PCI_NR_BARS && n < sizeof(line); i++) {
		const struct pci_bar *b = &d->bar[i];

		if (b->size)
			n += snprintf(line + n, sizeof(line) - n, " bar%u=%s %#llx+%#llx",
				      i, b->io ? "io" : b->is64 ? "mem64" : "mem",
				      (unsigned long long)b->base,
				      (unsigned long long)b->size);
	}
	printk("%s\n", line);
}

static void scan_bus(u8 bus);

static void add_function(u8 bus, u8 dev, u8 fn, u16 vendor)
{
	struct pci_dev *d = &devices[nr_devices];
	unsigned int i;

	if (nr_devices == PCI_MAX_DEVICES) {
		pr_warn_once("pci: more than %u functions; ignoring the rest\n",
			     PCI_MAX_DEVICES);
		return;
	}
	memset(d, 0, sizeof(*d));
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	snprintf(d->name, sizeof(d->name), "0000:%02x:%02x.%u", bus, dev, fn);
	d->vendor = vendor;
	d->device = pci_read16(d, PCI_DEVICE_ID);
	d->class = pci_read32(d, PCI_CLASS_REVISION) >> 8;
	d->header = pci_read8(d, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	if (d->header == PCI_HEADER_NORMAL)
		d->subsys_vendor = pci_read16(d, PCI_SUBSYSTEM_VENDOR_ID);
	for (i = 0; i < PCI_NR_BARS;) {
		unsigned int n = pci_size_bar(d, i, &d->bar[i]);

		if (!n)
			break;
		i += n;
	}
	nr_devices++;
	print_device(d);
	if (d->header == PCI_HEADER_BRIDGE)
		scan_bus(pci_read8(d, PCI_SECONDARY_BUS));
}

static void scan_bus(u8 bus)
{
	struct pci_dev probe = { .name = "scan" };
	u8 dev, fn, nr_fns;
	u16 vendor;

	if (bus_seen[bus]) {
		pr_warn("pci: bus %u reached twice; not scanned again\n", bus);
		return;
	}
	bus_seen[bus] = true;
	probe.bus = bus;
	for (dev = 0; dev < 32; dev++) {
		probe.dev = dev;
		nr_fns = 1;
		for (fn = 0; fn < nr_fns; fn++) {
			probe.fn = fn;
			vendor = pci_read16(&probe, PCI_VENDOR_ID);
			if (vendor == 0xffff || vendor == 0)
				continue;
			if (!fn && pci_read8(&probe, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNC)
				nr_fns = 8;
			add_function(bus, dev, fn, vendor);
		}
	}
}

void pci_init(void)
{
	const char *why = pci_config_init();

	if (why) {
		pci_missing = why;
		pr_info("pci: none (%s)\n", why);
		return;
	}
	scan_bus(0);
	pci_missing = nr_devices ? NULL : "no PCI function answers on bus 0";
	pr_info("pci: %u functions\n", nr_devices);
}
