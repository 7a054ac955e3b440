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
 * the other's last value: the shared pvclock-sched.c, as under KVM.
 */
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/pvclock.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <xen/errno.h>
#include "clock.h"
#include "xen.h"

/* Written by Xen whenever the vCPU changes state; 8-byte fields, 48 bytes. */
static struct vcpu_runstate_info runstate_area[MAX_CPUS] __aligned(64);
/* The area Xen writes for each vCPU, NULL until one is registered. */
static struct vcpu_runstate_info *runstate[MAX_CPUS];
static const char *clock_off = "not a Xen guest";
static const char *steal_off = "not a Xen guest";

static const struct pvclock_vcpu_time_info *time_info(unsigned int cpu)
{
	return (const struct pvclock_vcpu_time_info *)&xen_vcpu[cpu]->time;
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

	if (cpu >= MAX_CPUS)
		return false;
	r = __atomic_load_n(&runstate[cpu], __ATOMIC_ACQUIRE);
	if (!r)
		return false;
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

/*
 * Xen writes @area (a virtual address) on every state change of vCPU
 * @cpu. It refuses an id the domain has no vCPU for (-ENOENT) and, for a
 * PV guest, an address the guest may not use (-EFAULT: guest_handle_okay,
 * such as Xen's own range), and keeps writing the area it had, if any:
 * the kernel keeps reading that one.
 */
long xen_register_runstate(unsigned int cpu, struct vcpu_runstate_info *area)
{
	struct vcpu_register_runstate_memory_area a = { .addr.v = area };
	long rc;

	if (cpu >= MAX_CPUS)
		return -XEN_EINVAL;
	rc = xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
			    cpu, (u64)(uintptr_t)&a);
	if (!rc) {
		__atomic_store_n(&runstate[cpu], area, __ATOMIC_RELEASE);
		return 0;
	}
	pr_warn("xen: VCPUOP_register_runstate_memory_area refused for vCPU %u (%ld): %s\n",
		cpu, rc, runstate[cpu] ? "its area stays" : "no steal time on it");
	if (cpu == 0 && !runstate[0])
		steal_off = "Xen refused VCPUOP_register_runstate_memory_area (see the boot log)";
	return rc;
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
	pv_ops.time.sched_clock = pvclock_sched_clock_start("xen", &why_not);
	pv_ops.time.wallclock = xen_wallclock;
	pv_init.clock_select = pvclock_clock_select;
	if (runstate[0]) {
		steal_off = NULL;
		pv_ops.time.steal_clock = xen_steal_clock;
	}
	if (why_not)
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
	xen_register_runstate(cpu, &runstate_area[cpu]);
	if (xen_vcpu[cpu])
		pvclock_set_record(cpu, time_info(cpu));
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
