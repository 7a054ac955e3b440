// SPDX-License-Identifier: GPL-2.0
/*
 * The one-shot timer under Xen, both modes: VCPUOP_set_singleshot_timer
 * raises VIRQ_TIMER on the vCPU at an absolute Xen system time (the
 * vcpu_time_info clock), and the VIRQ's handler hands the kernel the
 * timer interrupt (IRQ_VECTOR_TIMER) as the local APIC would. A PV domain
 * has no local APIC, so this is its only timer; PVH uses it too, falling
 * back to the emulated local APIC when the VIRQ cannot be bound.
 */
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/pv/ops.h>
#include <asm/pvclock.h>
#include <asm-generic/errno-base.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <xen/vcpu.h>
#include "events.h"
#include "xen.h"

static int timer_port[MAX_CPUS] = { [0 ... MAX_CPUS - 1] = -1 };
/* The armed deadline in Xen system time, 0 when none is. */
static u64 deadline[MAX_CPUS];

int xen_timer_port(void)
{
	return timer_port[smp_processor_id()];
}

static u64 xen_now(void)
{
	return pvclock_read((const struct pvclock_vcpu_time_info *)
			    &xen_vcpu_info()->time);
}

static long arm(u64 due)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = due };

	return xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer,
			      smp_processor_id(), (u64)(uintptr_t)&t);
}

/*
 * Xen runs a timer up to its timer_slop (50 us by default) early, to
 * batch them; the interrupt must never come before the deadline, so an
 * early VIRQ re-arms for the same deadline. A VIRQ with nothing armed
 * (one replaced meanwhile) is dropped. A re-arm Xen refuses would leave
 * the deadline pending with no timer behind it, and a CPU halting for it
 * would never wake: the interrupt is delivered now, early, with a line.
 */
static void timer_event(evtchn_port_t port, struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	u64 due = __atomic_load_n(&deadline[cpu], __ATOMIC_RELAXED);
	long rc;

	if (!due)
		return;
	if (xen_now() < due) {
		rc = arm(due);
		if (!rc)
			return;
		pr_warn("xen: VCPUOP_set_singleshot_timer refused a re-arm (%ld): the tick comes %llu ns early\n",
			rc, (unsigned long long)(due - xen_now()));
	}
	__atomic_store_n(&deadline[cpu], 0, __ATOMIC_RELAXED);
	irq_deliver(IRQ_VECTOR_TIMER, regs);
}

/* The set_oneshot op (its contract in asm/pv/ops.h). */
static int xen_set_oneshot(u64 delta_ns)
{
	unsigned int cpu = smp_processor_id();
	u64 now, due;
	long rc;

	if (timer_port[cpu] < 0)
		return -ENODEV;
	now = xen_now();
	if (delta_ns > ~0ULL - now - 1)
		return -ERANGE;
	due = now + MAX(delta_ns, 1);
	__atomic_store_n(&deadline[cpu], due, __ATOMIC_RELAXED);
	rc = arm(due);
	if (rc) {
		__atomic_store_n(&deadline[cpu], 0, __ATOMIC_RELAXED);
		pr_warn("xen: VCPUOP_set_singleshot_timer refused (%ld)\n", rc);
		return -ENODEV;
	}
	return 0;
}

static bool xen_oneshot_pending(void)
{
	return __atomic_load_n(&deadline[smp_processor_id()], __ATOMIC_RELAXED) != 0;
}

/*
 * On each vCPU, from apic_init: stop the periodic tick Xen gives a vCPU
 * by default (it would come as VIRQ_TIMER too), bind VIRQ_TIMER, and on
 * the boot vCPU (before patching) make the timer ops ours.
 */
void xen_timer_init(void)
{
	unsigned int cpu = smp_processor_id();
	int port;

	if (xen_events_off())
		return;
	xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, cpu, 0);
	port = xen_evtchn_bind_virq(VIRQ_TIMER, timer_event);
	if (port < 0) {
		pr_err("xen: EVTCHNOP_bind_virq(VIRQ_TIMER) on vCPU %u refused (%d): no Xen timer\n",
		       cpu, port);
		return;
	}
	timer_port[cpu] = port;
	xen_evtchn_unmask((evtchn_port_t)port);
	if (cpu == 0) {
		pv_ops.time.set_oneshot = xen_set_oneshot;
		pv_ops.time.oneshot_pending = xen_oneshot_pending;
	}
}
