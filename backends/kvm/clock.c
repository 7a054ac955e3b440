// SPDX-License-Identifier: GPL-2.0
/*
 * kvmclock: each vCPU registers a pvclock record (MSR_KVM_SYSTEM_TIME_NEW)
 * that the host keeps current, so reading the time costs no exit: the
 * host's nanoseconds since the VM started, extrapolated with the TSC. The
 * record's scale gives the TSC rate without calibrating against the PIT
 * (dozens of port reads, each an exit), and the wall clock record
 * (MSR_KVM_WALL_CLOCK_NEW) gives the date without the CMOS RTC.
 *
 * sched_clock reads kvmclock, or the raw TSC when the CPU says its TSC is
 * invariant and the host says the vCPUs' TSCs agree (the stable bit,
 * believed with the CLOCKSOURCE_STABLE_BIT feature): the shared
 * pvclock-sched.c chooses and switches (clock_select).
 */
#include <asm/hypervisor.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/processor.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include "kvm.h"

static struct pvclock_wall_clock wall;

static u64 kvm_wallclock(void)
{
	return pvclock_wallclock(&wall, &kvm_vcpu[smp_processor_id()].clock);
}

static u64 kvm_tsc_khz(void)
{
	return pvclock_tsc_khz(&kvm_vcpu[0].clock);
}

/* The host fills the wall clock record once, when the MSR is written. */
static void boot_cpu_clock(void)
{
	const char *why_not;

	if (!pvclock_valid(&kvm_vcpu[0].clock)) {
		pr_warn("kvm: the host did not fill the kvmclock record (version %u); native clocks\n",
			kvm_vcpu[0].clock.version);
		wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
		kvm_uses[KVM_F_CLOCK] = false;
		return;
	}
	wrmsr(MSR_KVM_WALL_CLOCK_NEW, (u64)(uintptr_t)&wall);
	pv_ops.time.sched_clock = pvclock_sched_clock_start("kvmclock", &why_not);
	pv_ops.time.wallclock = kvm_wallclock;
	pv_init.tsc_khz = kvm_tsc_khz;
	pv_init.clock_select = pvclock_clock_select;
}

/* Enabled by writing the record's physical address with bit 0 set. */
void kvm_clock_cpu_init(unsigned int cpu)
{
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (u64)(uintptr_t)&kvm_vcpu[cpu].clock | KVM_MSR_ENABLED);
	pvclock_set_record(cpu, &kvm_vcpu[cpu].clock);
	if (cpu == 0)
		boot_cpu_clock();
}

/* Records' stable flag counts only if the host offers the feature bit. */
void kvm_clock_init(void)
{
	struct cpuid_regs r;

	cpuid(hypervisor.base + 1, &r);
	pvclock_trust_stable_flag(r.eax & (1U << KVM_FEATURE_CLOCKSOURCE_STABLE_BIT));
}
