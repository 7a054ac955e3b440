// SPDX-License-Identifier: GPL-2.0
/* CPU identification, hypervisor detection, the TSC and the CPU count. */
#include <asm/hypervisor.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

SELFTEST(cpu, cpuid_vendor)
{
	struct cpuid_regs r;
	char vendor[13];

	cpuid(0, &r);
	EXPECT(r.eax >= 1);
	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.edx, 4);
	memcpy(vendor + 8, &r.ecx, 4);
	vendor[12] = '\0';
	EXPECT(!strcmp(vendor, "GenuineIntel") || !strcmp(vendor, "AuthenticAMD") ||
	       !strcmp(vendor, "HygonGenuine") || !strcmp(vendor, "CentaurHauls"));
	return TEST_PASS;
}

SELFTEST(cpu, hypervisor_detection_consistent)
{
	struct cpuid_regs r;

	if (boot_info.path == BOOT_XEN_PV) {
		EXPECT_EQ(hypervisor.type, HYPERVISOR_XEN);
		return TEST_PASS;
	}
	cpuid(1, &r);
	if (!(r.ecx & CPUID_1_ECX_HYPERVISOR)) {
		EXPECT_EQ(hypervisor.type, HYPERVISOR_NONE);
		return TEST_PASS;
	}
	EXPECT(hypervisor.type != HYPERVISOR_NONE);
	if (hypervisor.type != HYPERVISOR_OTHER) {
		cpuid(hypervisor.base, &r);
		EXPECT_EQ(r.eax, hypervisor.max_leaf);
	}
	return TEST_PASS;
}

SELFTEST(cpu, tsc_monotonic)
{
	u64 prev = rdtsc();
	int i;

	for (i = 0; i < 1000; i++) {
		u64 now = rdtsc();

		EXPECT(now >= prev);
		prev = now;
	}
	return TEST_PASS;
}

SELFTEST(cpu, tsc_frequency_plausible)
{
	/* 100 MHz .. 10 GHz; icount's 1 GHz and real CPUs both fit. */
	EXPECT(tsc_khz() >= 100000);
	EXPECT(tsc_khz() <= 10000000);
	return TEST_PASS;
}

SELFTEST(cpu, acpi_madt_lists_cpus)
{
	if (boot_info.path == BOOT_XEN_PV)
		return skip("a Xen PV domain has no ACPI tables");
	EXPECT(acpi_find_table("APIC") != NULL);
	EXPECT(acpi_count_cpus() >= 1);
	EXPECT_EQ(acpi_count_cpus(), pv_ops.sys.cpu_count());
	return TEST_PASS;
}
