/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI: configuration space through the I/O hooks (the legacy 0xcf8/0xcfc
 * ports, or ECAM from the ACPI MCFG table), the devices found at boot
 * and their BARs. Register layouts follow the PCI Local Bus 3.0 and PCI
 * Express Base specifications (no Debian header carries them).
 */
#ifndef PROTEUS_PCI_H
#define PROTEUS_PCI_H

#include <proteus/types.h>

#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x1
#define  PCI_COMMAND_MEMORY	0x2
#define  PCI_COMMAND_MASTER	0x4
#define  PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS		0x06
#define  PCI_STATUS_CAP_LIST	0x10
#define PCI_CLASS_REVISION	0x08	/* class << 8 | revision */
#define PCI_HEADER_TYPE		0x0e
#define  PCI_HEADER_MULTIFUNC	0x80
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_NORMAL	0
#define  PCI_HEADER_BRIDGE	1
#define PCI_BAR0		0x10
#define  PCI_BAR_IO		0x1
#define  PCI_BAR_MEM_TYPE_MASK	0x6
#define  PCI_BAR_MEM_TYPE_64	0x4
#define  PCI_BAR_IO_MASK	(~0x3U)
#define  PCI_BAR_MEM_MASK	(~0xfU)
#define PCI_SECONDARY_BUS	0x19	/* type 1 headers */
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c	/* the firmware's routing: an IRQ/GSI */
#define PCI_INTERRUPT_PIN	0x3d	/* 0: none, 1-4: INTA-INTD */

#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_ID_VNDR		0x09

#define PCI_CLASS_BRIDGE_HOST	0x060000

#define PCI_NR_BARS		6
#define PCI_MAX_DEVICES		64
/* Legacy ports reach the first 256 bytes of a function, ECAM 4 KiB. */
#define PCI_CFG_SIZE		256
#define PCIE_CFG_SIZE		4096

struct pci_bar {
	u64 base;		/* bus address (Xen PV: a machine address) */
	u64 size;		/* 0: not implemented */
	bool io;		/* I/O ports, else memory */
	bool is64;		/* a 64-bit memory BAR: the next slot is its top */
};

struct pci_dev {
	u16 seg;
	u8 bus, dev, fn;
	u16 vendor, device;
	u16 subsys_vendor;
	u32 class;		/* base << 16 | sub << 8 | prog-if */
	u8 header;
	struct pci_bar bar[PCI_NR_BARS];
	char name[16];		/* "0000:00:04.0" */
};

/*
 * Config space of @d at @off: a read outside the function's space (256
 * bytes over the ports, 4 KiB over ECAM) or not aligned to its width
 * gives all ones and a warning, a write there is dropped.
 */
u8 pci_read8(const struct pci_dev *d, u16 off);
u16 pci_read16(const struct pci_dev *d, u16 off);
u32 pci_read32(const struct pci_dev *d, u16 off);
void pci_write16(const struct pci_dev *d, u16 off, u16 val);
void pci_write32(const struct pci_dev *d, u16 off, u32 val);
/*
 * For tests: whether config space goes through ECAM, and a 32-bit read
 * through the ports whatever the mechanism (all ones without port I/O).
 */
bool pci_uses_ecam(void);
u32 pci_read32_ports(const struct pci_dev *d, u16 off);
/* Bytes of config space each function has under the mechanism in use. */
u16 pci_cfg_size(void);

/* Pick the config mechanism (config.c); NULL, or why there is no PCI. */
const char *pci_config_init(void);

/* Find the devices, size their BARs, print a line each. */
void pci_init(void);

/* Why there is no PCI here, or NULL. */
extern const char *pci_missing;

unsigned int pci_nr_devices(void);
struct pci_dev *pci_device(unsigned int i);

/*
 * Size BAR @i of @d again (decoding off meanwhile, the BAR restored):
 * fills @bar, returns the number of slots it takes (1, 2 for a 64-bit
 * one), 0 past the last slot.
 */
unsigned int pci_size_bar(const struct pci_dev *d, unsigned int i,
			  struct pci_bar *bar);

/*
 * Give every memory BAR of @d the firmware left at 0 an address (and
 * write it): 0, or -1 with a line when the window has no room.
 */
int pci_assign_bars(struct pci_dev *d);

/*
 * The capability list of @d: the offset of the first capability of id
 * @id at or after @from's successor (0: from the start), or 0. The walk
 * stops at a pointer outside the header's end or after 48 steps (a loop).
 */
u8 pci_find_capability(const struct pci_dev *d, u8 id, u8 from);

/*
 * The GSI @d's INTx pin arrives on (intx.c: the PIIX's routing on QEMU's
 * pc, else the firmware's Interrupt Line), level-triggered, active high
 * as QEMU's ACPI tables declare PCI links; -1 and *@why when none.
 */
int pci_intx_gsi(const struct pci_dev *d, const char **why);

/* A function's MSI-X table (msix.c). */
struct pci_msix {
	const struct pci_dev *dev;
	u8 cap;
	u16 size;		/* entries, 1-2048 */
	volatile u32 *table;	/* mapped */
	u64 bar_base;		/* bus address of the BAR holding the table */
	bool by_hypervisor;	/* Xen writes the entries: hands off the table */
};

/*
 * Find @d's MSI-X capability, check and map its table, and set the
 * Function Mask (MSI-X not enabled yet): NULL, or why not.
 */
const char *pci_msix_init(struct pci_dev *d, struct pci_msix *m);
/* Write entry @entry (< m->size, else ignored) and unmask it. */
void pci_msix_set(const struct pci_msix *m, u16 entry, u64 addr, u32 data);
/* Clear the Function Mask (Enable set): the written entries can signal. */
void pci_msix_unmask_function(const struct pci_msix *m);
/* Mask every entry (unless by_hypervisor), disable MSI-X (INTx again), unmap the table. */
void pci_msix_disable(struct pci_msix *m);

#endif
