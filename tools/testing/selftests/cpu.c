// SPDX-License-Identifier: GPL-2.0
/* CPU identification, hypervisor detection, the TSC and the CPU count. */
#include <asm/hypervisor.h>
#include <asm/msr-index.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/cmdline.h>
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

/*
 * The MSR ops: EFER reads the same through the plain and the safe op and
 * shows long mode active; an MSR no CPU or hypervisor implements raises
 * #GP, which the safe ops report instead of dying.
 */
#define MSR_UNIMPLEMENTED	0x4b564dffU	/* past KVM's and Xen's ranges */

SELFTEST(cpu, msr_read)
{
	u64 efer = 0;

	EXPECT_EQ(rdmsr_safe(MSR_EFER, &efer), 0);
	EXPECT(efer & EFER_LMA);
	EXPECT_EQ(efer, rdmsr(MSR_EFER));
	return TEST_PASS;
}

/*
 * msr_nofault: the platform answers unimplemented MSRs instead of raising
 * #GP (QEMU 7.2's TCG returns 0 for any MSR); the runner says so, as the
 * guest cannot tell.
 */
static bool msr_nofault;

static int set_msr_nofault(const char *val)
{
	return parse_bool(val, &msr_nofault);
}
KERNEL_PARAM("msr_nofault", set_msr_nofault);

SELFTEST(cpu, msr_safe_reports_gp)
{
	u64 junk = 0;

	if (msr_nofault)
		return skip("msr_nofault: this platform never raises #GP for MSRs");
	EXPECT_EQ(rdmsr_safe(MSR_UNIMPLEMENTED, &junk), -1);
	EXPECT_EQ(wrmsr_safe(MSR_UNIMPLEMENTED, 0), -1);
	return TEST_PASS;
}
