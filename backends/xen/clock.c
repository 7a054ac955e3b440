// SPDX-License-Identifier: GPL-2.0
/*
 * Xen time, both modes. Each vCPU's vcpu_info holds a pvclock record
 * (vcpu_time_info: Xen system time, nanoseconds since Xen booted,
 * extrapolated with the TSC), read by the same code as kvmclock
 * (arch/x86/kernel/pvclock.c). shared_info holds the wall clock at system
 * time 0, which Xen sets from the CMOS clock at boot. A runstate area,
 * registered per vCPU, says how long the vCPU has been running, runnable
 * (waiting for a physical CPU), blocked and offline.
 *
 * sched_clock reads the pvclock record, or the raw TSC when the CPU says
 * its TSC is invariant and Xen sets XEN_PVCLOCK_TSC_STABLE_BIT (Xen's
 * vCPUs' TSCs agree: its own clocksource is the TSC). clock_select
 * switches between the two by re-patching the op, each continuing from
 * the other's last value, as under KVM.
 */
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <asm/pvclock.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include "clock.h"
#include "xen.h"

#define CPUID_APM_EDX_INVARIANT_TSC	(1U << 8)

/* Written by Xen whenever the vCPU changes state; 8-byte fields, 48 bytes. */
static struct vcpu_runstate_info runstate[MAX_CPUS] __aligned(64);
static bool runstate_registered[MAX_CPUS];
static const char *clock_off = "not a Xen guest";
static const char *steal_off = "not a Xen guest";

static const struct pvclock_vcpu_time_info *time_info(unsigned int cpu)
{
	return (const struct pvclock_vcpu_time_info *)&xen_vcpu[cpu]->time;
}

static u64 xen_clock_raw(void)
{
	return pvclock_read(time_info(smp_processor_id()));
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

static u64 xen_sched_clock(void)
{
	return xen_clock_raw() - sources[0].base;
}

static u64 tsc_sched_clock(void)
{
	return tsc_raw() - sources[1].base;
}

static struct clock_source sources[2] = {
	{ .name = "xen", .read = xen_sched_clock, .raw = xen_clock_raw },
	{ .name = "tsc", .read = tsc_sched_clock, .raw = tsc_raw },
};

static struct clock_source *current_source;

bool xen_tsc_clock_usable(const char **why_not)
{
	struct cpuid_regs r;
	u8 flags;

	if (clock_off) {
		*why_not = clock_off;
		return false;
	}
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
	pvclock_read_raw(time_info(0), &flags);
	if (!(flags & XEN_PVCLOCK_TSC_STABLE_BIT)) {
		*why_not = "Xen does not set XEN_PVCLOCK_TSC_STABLE_BIT";
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

/* The clock_select hook: switch sched_clock's source, or report it. */
static const char *xen_clock_select(const char *name)
{
	struct clock_source *to = name ? find_source(name) : NULL;
	const char *why_not;
	u64 now;

	if (!name || to == current_source)
		return current_source->name;
	if (!to) {
		pr_warn("xen: no sched_clock source '%s'\n", name);
		return current_source->name;
	}
	if (to == &sources[1] && !xen_tsc_clock_usable(&why_not)) {
		pr_warn("xen: sched_clock stays %s: %s\n", current_source->name, why_not);
		return current_source->name;
	}
	/* Read the new clock, then the old: the new one starts a bit ahead. */
	now = to->raw();
	to->base = now - current_source->read();
	PV_REPATCH(time.sched_clock, to->read);
	current_source = to;
	return to->name;
}

/*
 * wc_sec_hi:wc_sec.wc_nsec under wc_version (odd while Xen writes; a
 * changed version means a write came in between: read again).
 */
u64 xen_wallclock_base_ns(void)
{
	const struct shared_info *s = xen_shared_info;
	u32 version, sec, nsec, hi;

	do {
		version = READ_ONCE(s->wc_version);
		barrier();
		sec = READ_ONCE(s->wc_sec);
		nsec = READ_ONCE(s->wc_nsec);
		hi = READ_ONCE(s->xen_wc_sec_hi);
		barrier();
	} while ((version & 1) || version != READ_ONCE(s->wc_version));
	return (((u64)hi << 32) | sec) * NSEC_PER_SEC + nsec;
}

/*
 * The wallclock op: Xen's wall clock at system time 0 plus the system
 * time now. No port I/O, which a PV kernel in ring 3 cannot do anyway.
 */
static u64 xen_wallclock(void)
{
	u8 flags;
	u64 now = pvclock_read_raw(time_info(smp_processor_id()), &flags);

	return (xen_wallclock_base_ns() + now) / NSEC_PER_SEC;
}

/*
 * Xen marks an update in progress with XEN_RUNSTATE_UPDATE in
 * state_entry_time (once VMASST_TYPE_runstate_update_flag is on); every
 * update also changes state_entry_time, so a copy is consistent when that
 * word was clear of the flag and the same before and after.
 */
bool xen_runstate_read(unsigned int cpu, struct vcpu_runstate_info *out)
{
	const struct vcpu_runstate_info *r;
	u64 entry;

	if (cpu >= MAX_CPUS || !__atomic_load_n(&runstate_registered[cpu], __ATOMIC_ACQUIRE))
		return false;
	r = &runstate[cpu];
	do {
		entry = READ_ONCE(r->state_entry_time);
		barrier();
		memcpy(out, r, sizeof(*out));
		barrier();
	} while ((entry & XEN_RUNSTATE_UPDATE) ||
		 entry != READ_ONCE(r->state_entry_time));
	return true;
}

/*
 * The steal_clock op: time the vCPU wanted a physical CPU and Xen ran
 * something else (runnable), or kept it from running (offline). Blocked
 * is the vCPU's own choice (it halted), not stolen.
 */
static u64 xen_steal_clock(unsigned int cpu)
{
	struct vcpu_runstate_info r;

	if (!xen_runstate_read(cpu, &r))
		return 0;
	return r.time[RUNSTATE_runnable] + r.time[RUNSTATE_offline];
}

/* Xen writes the area at this (virtual) address on every state change. */
static void register_runstate(unsigned int cpu)
{
	struct vcpu_register_runstate_memory_area a = { .addr.v = &runstate[cpu] };
	long rc = xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
				 cpu, (u64)(uintptr_t)&a);

	if (rc) {
		pr_warn("xen: VCPUOP_register_runstate_memory_area refused for vCPU %u (%ld): no steal time on it\n",
			cpu, rc);
		if (cpu == 0)
			steal_off = "Xen refused VCPUOP_register_runstate_memory_area (see the boot log)";
		return;
	}
	__atomic_store_n(&runstate_registered[cpu], true, __ATOMIC_RELEASE);
}

static void boot_cpu_time(void)
{
	const char *why_not;
	u8 flags;

	if (!xen_shared_info || !xen_vcpu[0] || !pvclock_valid(time_info(0))) {
		clock_off = "no vcpu_time_info from Xen (see the boot log)";
		pr_warn("xen: no vcpu_time_info or shared_info: native clocks\n");
		return;
	}
	clock_off = NULL;
	/* As Linux does: the stable bit counts if vCPU 0's record has it now. */
	pvclock_read_raw(time_info(0), &flags);
	pvclock_trust_stable_flag(flags & XEN_PVCLOCK_TSC_STABLE_BIT);
	current_source = xen_tsc_clock_usable(&why_not) ? &sources[1] : &sources[0];
	pv_ops.time.sched_clock = current_source->read;
	pv_ops.time.wallclock = xen_wallclock;
	pv_init.clock_select = xen_clock_select;
	if (runstate_registered[0]) {
		steal_off = NULL;
		pv_ops.time.steal_clock = xen_steal_clock;
	}
	if (current_source == &sources[0])
		pr_info("xen: sched_clock=xen (not tsc: %s) wallclock=shared_info steal=%s\n",
			why_not, steal_off ? "off" : "runstate");
	else
		pr_info("xen: sched_clock=tsc wallclock=shared_info steal=%s\n",
			steal_off ? "off" : "runstate");
}

/*
 * With VMASST_TYPE_runstate_update_flag Xen flags its updates of the
 * area, so that another vCPU can read it consistently (steal_clock of any
 * CPU); without it the state_entry_time check is all there is.
 */
void xen_time_cpu_init(unsigned int cpu)
{
	if (cpu == 0 && xen_hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable,
				       VMASST_TYPE_runstate_update_flag))
		pr_warn("xen: VMASST_TYPE_runstate_update_flag refused: other vCPUs' runstate read unflagged\n");
	register_runstate(cpu);
	if (cpu == 0)
		boot_cpu_time();
}

const char *xen_clock_off(void)
{
	return clock_off;
}

const char *xen_steal_off(void)
{
	return steal_off;
}
