// SPDX-License-Identifier: GPL-2.0
/* CPU identification, hypervisor detection, the TSC and the CPU count. */
#include <asm/hypervisor.h>
#include <asm/msr-index.h>
#include <asm/pv/init.h>
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

/*
 * The kernel's clock code as the TSC moves on. tsc_to_ns() never goes
 * back, adds up (a span's ns are its end's less its start's, within the
 * rounding) and counts whole days right, at this boot's TSC and at the
 * TSC of a machine up for days, a year or a century (where an overflowing
 * product shows); sched_clock(), through its patched op, never goes back
 * and keeps pace with tsc_to_ns() over the loop and a pause that makes
 * the span long enough for a rate check (its own source may be kvmclock,
 * whose record the host may refresh: 1% for the rates, plus a
 * microsecond at each end).
 */
#define TSC_LAPS	200
#define PACE_SPAN_NS	(2 * NSEC_PER_MSEC)

/* sched_clock() with the TSC just before and just after it. */
struct sched_read {
	u64 before, ns, after;
};

static void sched_read(struct sched_read *r)
{
	r->before = rdtsc();
	r->ns = sched_clock();
	r->after = rdtsc();
}

static enum test_result tsc_at_uptime(u64 days)
{
	u64 day_ns = days * 86400 * NSEC_PER_SEC;
	u64 base = ns_to_cycles(day_ns, tsc_khz()), base_ns = tsc_to_ns(base);
	u64 prev_tsc = rdtsc(), prev_ns = tsc_to_ns(base + prev_tsc);
	u64 prev_sc, lo, hi;
	struct sched_read r0, r1;
	int i;

	EXPECT(base_ns >= day_ns);
	EXPECT(base_ns - day_ns <= 1000000 / tsc_khz() + 1);
	sched_read(&r0);
	prev_sc = r0.ns;
	for (i = 0; i < TSC_LAPS; i++) {
		u64 t = rdtsc(), ns = tsc_to_ns(base + t), sc = sched_clock();
		u64 span = ns - base_ns, direct = tsc_to_ns(t);

		EXPECT(t >= prev_tsc);
		EXPECT(ns >= prev_ns);
		EXPECT(sc >= prev_sc);
		EXPECT(span + 1 >= direct && span <= direct + 1);
		prev_tsc = t;
		prev_ns = ns;
		prev_sc = sc;
	}
	tsc_delay(PACE_SPAN_NS);
	sched_read(&r1);
	EXPECT(r1.ns >= prev_sc);
	/* The TSC under the two sched_clock reads spans between lo and hi. */
	lo = tsc_to_ns(r1.before - r0.after);
	hi = tsc_to_ns(r1.after - r0.before);
	if (r1.ns - r0.ns + lo / 100 + NSEC_PER_USEC < lo ||
	    r1.ns - r0.ns > hi + hi / 100 + NSEC_PER_USEC)
		printk("# sched_clock moved %llu ns, the TSC %llu..%llu ns\n",
		       r1.ns - r0.ns, lo, hi);
	EXPECT(r1.ns - r0.ns + lo / 100 + NSEC_PER_USEC >= lo);
	EXPECT(r1.ns - r0.ns <= hi + hi / 100 + NSEC_PER_USEC);
	return TEST_PASS;
}

SELFTEST(cpu, tsc_monotonic)
{
	static const u64 uptime_days[] = { 0, 1, 7, 49, 365, 36500 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(uptime_days); i++) {
		enum test_result r = tsc_at_uptime(uptime_days[i]);

		if (r != TEST_PASS) {
			printk("# at an uptime of %llu days\n", uptime_days[i]);
			return r;
		}
	}
	return TEST_PASS;
}

SELFTEST(cpu, tsc_frequency_plausible)
{
	if (!tsc_calibrated())
		return skip("the TSC runs uncalibrated: no PIT, CPUID or hypervisor rate");
	/* 100 MHz .. 10 GHz; icount's 1 GHz and real CPUs both fit. */
	EXPECT(tsc_khz() >= 100000);
	EXPECT(tsc_khz() <= 10000000);
	return TEST_PASS;
}

SELFTEST(cpu, acpi_madt_lists_cpus)
{
	if (boot_info.path == BOOT_XEN_PV)
		return skip("a Xen PV domain has no ACPI tables");
	if (!acpi_rsdp_address(NULL))
		return skip("no ACPI RSDP: the platform has no ACPI tables");
	EXPECT(acpi_find_table("APIC") != NULL);
	EXPECT(acpi_count_cpus() >= 1);
	EXPECT_EQ(acpi_count_cpus(), pv_init.cpu_count());
	return TEST_PASS;
}

/*
 * The MSR ops: EFER reads the same through the plain and the safe op and
 * shows long mode active.
 */
SELFTEST(cpu, msr_read)
{
	u64 efer = 0;

	EXPECT_EQ(rdmsr_safe(MSR_EFER, &efer), 0);
	EXPECT(efer & EFER_LMA);
	EXPECT_EQ(efer, rdmsr(MSR_EFER));
	return TEST_PASS;
}

/*
 * An MSR access that raises #GP on every platform: IA32_PKRS (SDM vol. 4,
 * table 2-2: bits 63:32 reserved) written with bit 32 set. A CPU with PKS
 * faults on the reserved bit, one without it on the MSR; KVM and Xen fault
 * on an MSR they do not emulate or on its reserved bits; QEMU's TCG, which
 * answers most MSRs it does not know, checks exactly these bits of this one
 * (target/i386/tcg/sysemu/misc_helper.c, helper_wrmsr). The safe op must
 * report the #GP and carry on.
 */
#define PKRS_RESERVED_BIT	(1ULL << 32)

SELFTEST(cpu, msr_safe_reports_gp)
{
	EXPECT_EQ(wrmsr_safe(MSR_IA32_PKRS, PKRS_RESERVED_BIT), -1);
	return TEST_PASS;
}

/*
 * An MSR nothing implements. CPUs, KVM and Xen raise #GP on reading and on
 * writing it; QEMU's TCG reads it as 0 and drops the write (its helper_rdmsr
 * and helper_wrmsr default cases). The write tells which kind of platform
 * this is, and the read must agree: where MSR numbers are checked, this is
 * the rdmsr_safe fixup's test (TCG has no faulting rdmsr at all). Under KVM
 * and Xen, whose guest MSR handlers inject #GP for unknown MSRs, the write
 * must fault.
 */
#define MSR_UNIMPLEMENTED	0x4b564dffU	/* past KVM's and Xen's ranges */

SELFTEST(cpu, msr_unimplemented_consistent)
{
	int wr = wrmsr_safe(MSR_UNIMPLEMENTED, 0);
	u64 val = ~0ULL;
	int rd = rdmsr_safe(MSR_UNIMPLEMENTED, &val);

	if (hypervisor.type == HYPERVISOR_KVM || hypervisor.type == HYPERVISOR_XEN)
		EXPECT_EQ(wr, -1);
	if (wr == 0) {
		printk("# MSR %#x reads as zero and takes writes (QEMU TCG)\n",
		       MSR_UNIMPLEMENTED);
		EXPECT_EQ(rd, 0);
		EXPECT_EQ(val, 0);
		return TEST_PASS;
	}
	EXPECT_EQ(wr, -1);
	EXPECT_EQ(rd, -1);
	return TEST_PASS;
}
