// SPDX-License-Identifier: GPL-2.0
/* On a PC, firmware lists the processors in the ACPI MADT. */
#include <asm/pv/native.h>
#include <proteus/acpi.h>
#include <proteus/printk.h>

unsigned int native_cpu_count(void)
{
	unsigned int n = acpi_count_cpus();

	if (!n) {
		pr_warn("acpi: no MADT with usable processors; assuming 1 CPU\n");
		n = 1;
	}
	return n;
}
