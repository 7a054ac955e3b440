// SPDX-License-Identifier: GPL-2.0
/*
 * What the FADT says about the platform's legacy devices: the IA-PC boot
 * architecture flags (a CMOS RTC that is not there, an 8042, ISA/LPC
 * devices) and the hardware-reduced flag. ACPI 1.0 FADTs (QEMU's pc
 * machine) keep the boot architecture bytes reserved, as zeros; a table
 * too short for a field reads as no flags.
 */
#include <proteus/acpi.h>

bool acpi_fadt_flags(u16 *boot_arch, u32 *flags)
{
	const struct acpi_fadt *f = (const void *)acpi_find_table("FACP");

	*boot_arch = 0;
	*flags = 0;
	if (!f)
		return false;
	if (f->header.length >= __builtin_offsetof(struct acpi_fadt, reserved))
		*boot_arch = f->iapc_boot_arch;
	if (f->header.length >= sizeof(*f))
		*flags = f->flags;
	return true;
}
