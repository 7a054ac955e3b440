// SPDX-License-Identifier: GPL-2.0
/*
 * Where a function's INTx pin arrives: a GSI. The firmware writes its
 * answer into the Interrupt Line register, but not every firmware gets it
 * right: on QEMU's pc (i440FX with a PIIX3 ISA bridge at 00:01.0) qboot
 * writes a line from another swizzle than the board's. There the route is
 * read from the chipset itself: device D's pin P (1-4) drives PIRQ
 * (D - 1 + P - 1) mod 4 (QEMU's pc wiring, pci_slot_get_pirq), and the
 * PIIX's PIRQ route control register 0x60 + that PIRQ names its ISA IRQ
 * (bit 7: disabled), which is the GSI of the same number (QEMU's MADT
 * overrides keep PCI IRQs on their own pins). Elsewhere (q35, whose
 * firmware writes GSIs 16-23) the Interrupt Line is taken; 0 or 0xff
 * there means no route, as ACPI _PRT is not read.
 */
#include <proteus/pci.h>
#include <proteus/printk.h>

#define PCI_VENDOR_INTEL	0x8086
#define PCI_DEVICE_PIIX3_ISA	0x7000
#define PIIX_PIRQ_ROUTE		0x60
#define  PIIX_PIRQ_DISABLED	0x80
#define  PIIX_PIRQ_IRQ_MASK	0x0f

static const struct pci_dev *piix3(void)
{
	unsigned int i;

	for (i = 0; i < pci_nr_devices(); i++) {
		const struct pci_dev *d = pci_device(i);

		if (d->vendor == PCI_VENDOR_INTEL && d->device == PCI_DEVICE_PIIX3_ISA &&
		    d->bus == 0 && d->fn == 0)
			return d;
	}
	return NULL;
}

int pci_intx_gsi(const struct pci_dev *d, const char **why)
{
	u8 pin = pci_read8(d, PCI_INTERRUPT_PIN), line = pci_read8(d, PCI_INTERRUPT_LINE);
	const struct pci_dev *isa = piix3();
	u8 route;

	if (!pin || pin > 4) {
		*why = "no INTx pin";
		return -1;
	}
	if (isa && d->bus == 0 && d->dev > 0) {
		route = pci_read8(isa, PIIX_PIRQ_ROUTE + ((d->dev - 1 + pin - 1) & 3));
		if (route & PIIX_PIRQ_DISABLED) {
			*why = "its PIIX PIRQ link is disabled";
			return -1;
		}
		if ((route & PIIX_PIRQ_IRQ_MASK) != line)
			pr_info("pci: %s: Interrupt Line %u, but the PIIX routes INT%c to IRQ %u: taken\n",
				d->name, line, 'A' + pin - 1, route & PIIX_PIRQ_IRQ_MASK);
		return route & PIIX_PIRQ_IRQ_MASK;
	}
	if (line == 0 || line == 0xff) {
		*why = "the firmware routed no INTx (Interrupt Line unset)";
		return -1;
	}
	return line;
}
