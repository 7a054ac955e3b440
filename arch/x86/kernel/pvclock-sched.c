// SPDX-License-Identifier: GPL-2.0
/*
 * sched_clock for a backend whose hypervisor keeps pvclock records (KVM's
 * kvmclock, Xen's vcpu_time_info): the record of the CPU we run on, or
 * the raw TSC when that is as good and cheaper. Two sources, each with its
 * own base so that a switch continues from the other's last value; a
 * switch re-patches the sched_clock op. One backend owns the records, so
 * one set of state serves.
 */
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <asm/processor.h>
#include <asm/pvclock.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/string.h>

#define CPUID_APM_EDX_INVARIANT_TSC	(1U << 8)

static const struct pvclock_vcpu_time_info *records[MAX_CPUS];
static const char *owner = "pvclock";

struct clock_source {
	const char *name;
	u64 (*read)(void);	/* the sched_clock op: raw() - base */
	u64 (*raw)(void);
	u64 base;
};

static struct clock_source sources[2];
static struct clock_source *current_source;

static u64 record_raw(void)
{
	return pvclock_read(records[smp_processor_id()]);
}

static u64 tsc_raw(void)
{
	return tsc_to_ns(rdtsc());
}

static u64 record_sched_clock(void)
{
	return record_raw() - sources[0].base;
}

static u64 tsc_sched_clock(void)
{
	return tsc_raw() - sources[1].base;
}

static struct clock_source sources[2] = {
	{ .read = record_sched_clock, .raw = record_raw },
	{ .name = "tsc", .read = tsc_sched_clock, .raw = tsc_raw },
};

void pvclock_set_record(unsigned int cpu, const struct pvclock_vcpu_time_info *t)
{
	if (cpu < MAX_CPUS)
		records[cpu] = t;
}

/*
 * The raw TSC is a clock only if it ticks at a constant rate (invariant,
 * CPUID 0x80000007 edx bit 8) and every CPU's TSC agrees with the others,
 * which the hypervisor says with the stable bit in the record, when the
 * backend trusts that bit (pvclock_trust_stable_flag).
 */
bool pvclock_tsc_usable(const char **why_not)
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
	if (!records[0]) {
		*why_not = "no pvclock record";
		return false;
	}
	pvclock_read_raw(records[0], &flags);
	if (!(flags & PVCLOCK_TSC_STABLE_BIT)) {
		*why_not = "the hypervisor does not set the pvclock stable bit";
		return false;
	}
	if (!pvclock_stable_flag_trusted()) {
		*why_not = "the hypervisor does not vouch for the stable bit";
		return false;
	}
	return true;
}

/* Base 0: both count from about when the hypervisor started the clock. */
u64 (*pvclock_sched_clock_start(const char *name, const char **why_not))(void)
{
	owner = name;
	sources[0].name = name;
	*why_not = NULL;
	current_source = pvclock_tsc_usable(why_not) ? &sources[1] : &sources[0];
	return current_source->read;
}

static struct clock_source *find_source(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sources); i++)
		if (!strcmp(sources[i].name, name))
			return &sources[i];
	return NULL;
}

const char *pvclock_clock_select(const char *name)
{
	struct clock_source *to = name ? find_source(name) : NULL;
	const char *why_not;
	u64 now;

	if (!name || to == current_source)
		return current_source->name;
	if (!to) {
		pr_warn("%s: no sched_clock source '%s'\n", owner, name);
		return current_source->name;
	}
	if (to == &sources[1] && !pvclock_tsc_usable(&why_not)) {
		pr_warn("%s: sched_clock stays %s: %s\n", owner, current_source->name, why_not);
		return current_source->name;
	}
	/* Read the new clock, then the old: the new one starts a bit ahead. */
	now = to->raw();
	to->base = now - current_source->read();
	PV_REPATCH(time.sched_clock, to->read);
	current_source = to;
	return to->name;
}
