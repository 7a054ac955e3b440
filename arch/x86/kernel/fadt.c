// SPDX-License-Identifier: GPL-2.0
/*
 * What the FADT says about the platform's legacy devices: the IA-PC boot
 * architecture flags (a CMOS RTC that is not there, an 8042, ISA/LPC
 * devices) and the hardware-reduced flag. ACPI 1.0 FADTs (QEMU's pc
 * machine) keep the boot architecture bytes reserved, as zeros; a table
 * too short for a field reads as no flags.
 *
 * And how to power off and reset: the FADT's PM1 control blocks (or the
 * hardware-reduced sleep control register) and reset register, and the
 * DSDT's \_S5 values, decoded once at boot (at panic time, walking
 * firmware tables is the last thing to trust) and kept.
 */
#include <proteus/acpi.h>
#include <proteus/printk.h>

bool acpi_fadt_flags(u16 *boot_arch, u32 *flags)
{
	const struct acpi_fadt *f = (const void *)acpi_find_table("FACP");

	*boot_arch = 0;
	*flags = 0;
	if (!f)
		return false;
	if (ACPI_FADT_HAS(f, iapc_boot_arch))
		*boot_arch = f->iapc_boot_arch;
	if (ACPI_FADT_HAS(f, flags))
		*flags = f->flags;
	return true;
}

static struct acpi_power power;
static bool power_known;

static void no_s5(void)
{
	power.pm1a_cnt = 0;
	power.pm1b_cnt = 0;
	power.sleep_ctl.address = 0;
}

/* SLP_TYPa/b from the DSDT's \_S5 object; a bad one means no ACPI S5. */
static void find_s5(void)
{
	const struct acpi_table_header *dsdt = acpi_table_at(power.dsdt, "DSDT");
	const char *why;
	u8 typ[2];

	why = dsdt ? acpi_aml_find_s5((const u8 *)(dsdt + 1),
				      dsdt->length - sizeof(*dsdt), typ) :
		     "DSDT unusable";
	if (why) {
		pr_warn("acpi: %s; no ACPI power-off\n", why);
		no_s5();
		return;
	}
	power.slp_typa = typ[0];
	power.slp_typb = typ[1];
}

const struct acpi_power *acpi_power_init(void)
{
	const struct acpi_fadt *f = (const void *)acpi_find_table("FACP");
	const char *why;

	if (!f)
		return NULL;
	why = acpi_fadt_decode(f, &power);
	power_known = true;
	if (why) {
		pr_warn("acpi: FADT: %s; no ACPI power-off\n", why);
		no_s5();
		return &power;
	}
	find_s5();
	return &power;
}

const struct acpi_power *acpi_power(void)
{
	return power_known ? &power : NULL;
}
