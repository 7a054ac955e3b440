// SPDX-License-Identifier: GPL-2.0
/*
 * PCI enumeration: the host bridge is found at 00:00.0 (with the IDs of
 * QEMU's i440FX or Q35 where QEMU's subsystem vendor says it is QEMU);
 * sizing every BAR again gives what the scan found and leaves the BAR as
 * it was; config space outside a function's size is refused; where ECAM
 * is in use, each function's IDs, class and BARs read the same through
 * ECAM and through the ports. SKIP where there is no PCI (microvm; Xen PV
 * without port rights).
 */
#include <asm/pv/ops.h>
#include <proteus/pci.h>
#include <proteus/selftest.h>

#define QEMU_SUBSYS_VENDOR	0x1af4
#define INTEL_VENDOR		0x8086
#define QEMU_I440FX_HOST	0x1237
#define QEMU_Q35_HOST		0x29c0

SELFTEST(pci, host_bridge_at_00_00_0)
{
	const struct pci_dev *d = pci_device(0);

	if (pci_missing)
		return skip(pci_missing);
	EXPECT(d);
	printk("# %s %04x:%04x class %06x subsystem vendor %04x\n", d->name,
	       d->vendor, d->device, d->class, d->subsys_vendor);
	EXPECT(!d->bus && !d->dev && !d->fn);
	EXPECT_EQ(d->class >> 8, PCI_CLASS_BRIDGE_HOST >> 8);
	EXPECT_EQ(pci_read16(d, PCI_VENDOR_ID), d->vendor);
	if (d->subsys_vendor == QEMU_SUBSYS_VENDOR) {
		EXPECT_EQ(d->vendor, INTEL_VENDOR);
		EXPECT(d->device == QEMU_I440FX_HOST || d->device == QEMU_Q35_HOST);
	}
	return TEST_PASS;
}

SELFTEST(pci, bar_sizing_round_trips)
{
	unsigned int i, b, sized = 0;

	if (pci_missing)
		return skip(pci_missing);
	for (i = 0; i < pci_nr_devices(); i++) {
		const struct pci_dev *d = pci_device(i);

		for (b = 0; b < PCI_NR_BARS; b++) {
			u32 before = pci_read32(d, PCI_BAR0 + 4 * b);
			struct pci_bar bar;

			if (!d->bar[b].size)
				continue;
			EXPECT(pci_size_bar(d, b, &bar));
			EXPECT_EQ(pci_read32(d, PCI_BAR0 + 4 * b), before);
			EXPECT_EQ(bar.size, d->bar[b].size);
			EXPECT_EQ(bar.base, d->bar[b].base);
			EXPECT_EQ(bar.io, d->bar[b].io);
			EXPECT_EQ(bar.base & (bar.size - 1), 0);
			sized++;
		}
	}
	printk("# %u BARs sized again over %u functions\n", sized, pci_nr_devices());
	if (!sized)
		return skip("no function implements a BAR");
	return TEST_PASS;
}

SELFTEST(pci, config_outside_function_refused)
{
	const struct pci_dev *d = pci_device(0);

	if (pci_missing)
		return skip(pci_missing);
	EXPECT_EQ(pci_read32(d, pci_cfg_size()), 0xffffffff);
	EXPECT_EQ(pci_read16(d, pci_cfg_size() - 1), 0xffff);
	EXPECT_EQ(pci_read32(d, 2), 0xffffffff);
	EXPECT(pci_read32(d, PCI_VENDOR_ID) != 0xffffffff);
	return TEST_PASS;
}

SELFTEST(pci, ecam_matches_ports)
{
	static const u16 regs[] = { PCI_VENDOR_ID, PCI_CLASS_REVISION, PCI_BAR0,
				    PCI_BAR0 + 4, PCI_BAR0 + 16 };
	unsigned int i, r;

	if (pci_missing)
		return skip(pci_missing);
	if (!pci_uses_ecam())
		return skip("config space through the ports: no MCFG");
	if (port_io_missing)
		return skip(port_io_missing);
	for (i = 0; i < pci_nr_devices(); i++) {
		const struct pci_dev *d = pci_device(i);

		for (r = 0; r < ARRAY_SIZE(regs); r++)
			EXPECT_EQ(pci_read32(d, regs[r]), pci_read32_ports(d, regs[r]));
	}
	printk("# %u functions, %zu registers each\n", pci_nr_devices(), ARRAY_SIZE(regs));
	return TEST_PASS;
}
