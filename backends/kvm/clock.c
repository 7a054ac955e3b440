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
 * invariant and the host says the vCPUs' TSCs agree (the stable bit):
 * then the record is not needed at all. clock_select switches between the
 * two at runtime by re-patching the sched_clock op; each source has its
 * own base, set so that it continues from the other's last value.
 */
#include <asm/hypervisor.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <asm/processor.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include "kvm.h"

#define CPUID_APM_EDX_INVARIANT_TSC	(1U << 8)

static struct pvclock_wall_clock wall;

static u64 kvmclock_raw(void)
{
	return pvclock_read(&kvm_vcpu[smp_processor_id()].clock);
}

static u64 tsc_raw(void)
{
	return tsc_to_ns(rdtsc());
}

struct clock_source {
	const char *name;
	u64 (*read)(void);	/* the sched_clock op: raw() - base */
	u64 (*raw)(void);
	u64 base;
};

static struct clock_source sources[2];

static u64 kvmclock_sched_clock(void)
{
	return kvmclock_raw() - sources[0].base;
}

static u64 tsc_sched_clock(void)
{
	return tsc_raw() - sources[1].base;
}

static struct clock_source sources[2] = {
	{ .name = "kvmclock", .read = kvmclock_sched_clock, .raw = kvmclock_raw },
	{ .name = "tsc", .read = tsc_sched_clock, .raw = tsc_raw },
};

static struct clock_source *current_source;

/*
 * The raw TSC is a clock only if it ticks at a constant rate (invariant,
 * CPUID 0x80000007 edx bit 8) and every vCPU's TSC agrees with the others,
 * which KVM says with the stable bit in the record (trusted only with its
 * CLOCKSOURCE_STABLE_BIT feature).
 */
bool kvm_tsc_clock_usable(const char **why_not)
{
	struct cpuid_regs r;
	u8 flags;

	cpuid(0x80000000, &r);
	if (r.eax < 0x80000007) {
		*why_not = "no CPUID leaf 0x80000007";
		return false;
	}
	cpuid(0x80000007, &r);
	if (!(r.edx & CPUID_APM_EDX_INVARIANT_TSC)) {
		*why_not = "TSC not invariant";
		return false;
	}
	pvclock_read_raw(&kvm_vcpu[0].clock, &flags);
	if (!(flags & PVCLOCK_TSC_STABLE_BIT)) {
		*why_not = "host does not set the pvclock stable bit";
		return false;
	}
	cpuid(hypervisor.base + 1, &r);
	if (!(r.eax & (1U << KVM_FEATURE_CLOCKSOURCE_STABLE_BIT))) {
		*why_not = "no CLOCKSOURCE_STABLE_BIT feature";
		return false;
	}
	return true;
}

static struct clock_source *find_source(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sources); i++)
		if (!strcmp(sources[i].name, name))
			return &sources[i];
	return NULL;
}

/* The sched_clock op: switch sources at runtime, or report the current one. */
const char *kvm_clock_select(const char *name)
{
	struct clock_source *to = name ? find_source(name) : NULL;
	const char *why_not;
	u64 now;

	if (!name || to == current_source)
		return current_source->name;
	if (!to) {
		pr_warn("kvm: no sched_clock source '%s'\n", name);
		return current_source->name;
	}
	if (to == &sources[1] && !kvm_tsc_clock_usable(&why_not)) {
		pr_warn("kvm: sched_clock stays %s: %s\n", current_source->name, why_not);
		return current_source->name;
	}
	/* Read the new clock, then the old: the new one starts a bit ahead. */
	now = to->raw();
	to->base = now - current_source->read();
	PV_REPATCH(time.sched_clock, to->read);
	current_source = to;
	return to->name;
}

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
	/* Base 0: both count from about when the VM started. */
	current_source = kvm_tsc_clock_usable(&why_not) ? &sources[1] : &sources[0];
	pv_ops.time.sched_clock = current_source->read;
	pv_ops.time.wallclock = kvm_wallclock;
	pv_init.tsc_khz = kvm_tsc_khz;
	pv_init.clock_select = kvm_clock_select;
}

/* Enabled by writing the record's physical address with bit 0 set. */
void kvm_clock_cpu_init(unsigned int cpu)
{
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (u64)(uintptr_t)&kvm_vcpu[cpu].clock | KVM_MSR_ENABLED);
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
