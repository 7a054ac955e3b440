// SPDX-License-Identifier: GPL-2.0
/*
 * Xen vCPUs as CPUs. Both modes: the spinlock slow path sleeps in
 * SCHEDOP_poll on a per-vCPU event channel that the unlocker's kick
 * raises. PV: Xen starts the other vCPUs (VCPUOP_initialise with a
 * register and page-table context, then VCPUOP_up), IPIs are events
 * (EVTCHNOP_bind_ipi per vCPU) and TLB shootdown is one mmuext_op. PVH
 * keeps the local APIC for start-up and IPIs: Xen emulates one, with
 * INIT-SIPI, and an IPI through it costs one exit like an EVTCHNOP_send.
 */
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/pgtable.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/pvclock.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include "events.h"
#include "mmu-pv.h"
#include "xen.h"

/* A poll that no kick ends still returns: the caller re-checks the lock. */
#define POLL_TIMEOUT_NS		(10 * NSEC_PER_MSEC)
#define AP_STACK_ORDER		2
/* Generous, as natively: a loaded host may keep a new vCPU off for seconds. */
#define ONLINE_TIMEOUT_NS	(10000ULL * NSEC_PER_MSEC)

static int kick_port[MAX_CPUS] = { [0 ... MAX_CPUS - 1] = -1 };
static int ipi_port[MAX_CPUS] = { [0 ... MAX_CPUS - 1] = -1 };
/* Vectors sent to each CPU and not yet delivered, one bit per vector. */
static u64 ipi_pending[MAX_CPUS][256 / 64];
static struct xen_lock_stats lock_stats[MAX_CPUS];

const struct xen_lock_stats *xen_lock_stats(unsigned int cpu)
{
	return &lock_stats[cpu];
}

int xen_kick_port(unsigned int cpu)
{
	return cpu < MAX_CPUS ? kick_port[cpu] : -1;
}

int xen_ipi_port(unsigned int cpu)
{
	return cpu < MAX_CPUS ? ipi_port[cpu] : -1;
}

static u64 xen_now(void)
{
	return pvclock_read((const struct pvclock_vcpu_time_info *)
			    &xen_vcpu_info()->time);
}

/*
 * The lock.wait op. The kick port stays masked (no upcall): SCHEDOP_poll
 * returns as soon as it is pending, masked or not, or another event
 * wakes the vCPU, or the timeout passes. Its pending bit is cleared
 * before the check, so a kick that comes after the check is seen.
 */
static void xen_lock_wait(u8 *ptr, u8 val)
{
	unsigned int cpu = smp_processor_id();
	evtchn_port_t port;
	struct sched_poll p = { .nr_ports = 1 };

	if (kick_port[cpu] < 0) {
		cpu_relax();
		return;
	}
	port = (evtchn_port_t)kick_port[cpu];
	xen_evtchn_clear(port);
	if (READ_ONCE(*ptr) != val)
		return;
	set_xen_guest_handle(p.ports, &port);
	p.timeout = xen_now() + POLL_TIMEOUT_NS;
	lock_stats[cpu].polls++;
	xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_poll, (u64)(uintptr_t)&p);
}

/* The lock.kick op: raise the waiter's kick port, ending its poll. */
static void xen_lock_kick(unsigned int cpu)
{
	if (cpu >= MAX_CPUS || kick_port[cpu] < 0)
		return;
	lock_stats[smp_processor_id()].kicks++;
	xen_evtchn_send((evtchn_port_t)kick_port[cpu]);
}

/* Hand each vector sent to us to its handler, as the local APIC would. */
static void ipi_event(evtchn_port_t port, struct pt_regs *regs)
{
	u64 *pending = ipi_pending[smp_processor_id()];
	unsigned int w;

	for (w = 0; w < ARRAY_SIZE(ipi_pending[0]); w++) {
		u64 v = __atomic_exchange_n(&pending[w], 0, __ATOMIC_ACQ_REL);

		while (v) {
			irq_deliver(w * 64 + (unsigned int)__builtin_ctzll(v), regs);
			v &= v - 1;
		}
	}
}

/* The send_ipi op (PV): mark the vector, then EVTCHNOP_send to the CPU. */
static void xen_send_ipi(unsigned int cpu, unsigned int vector)
{
	if (cpu >= MAX_CPUS || ipi_port[cpu] < 0 || vector > 255)
		return;
	__atomic_fetch_or(&ipi_pending[cpu][vector / 64], 1ULL << (vector % 64),
			  __ATOMIC_RELEASE);
	xen_evtchn_send((evtchn_port_t)ipi_port[cpu]);
}

static void xen_send_ipi_mask(const struct cpumask *cpus, unsigned int vector)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus)
		if (cpumask_test_cpu(cpu, cpu_online_mask))
			xen_send_ipi(cpu, vector);
}

static void xen_send_ipi_allbutself(unsigned int vector)
{
	struct cpumask others = *cpu_online_mask;

	cpumask_clear_cpu(smp_processor_id(), &others);
	xen_send_ipi_mask(&others, vector);
}

/*
 * The flush_tlb_multi op (PV): Xen flushes every vCPU in the mask (ours
 * included) and returns when it is done; vCPU ids are our CPU numbers.
 */
static void xen_pv_flush_tlb_multi(const struct cpumask *cpus, u64 va)
{
	u64 mask = cpumask_bits(cpus) & cpumask_bits(cpu_online_mask);
	struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_MULTI };
	long rc;

	if (!mask)
		return;
	if (va != FLUSH_TLB_ALL) {
		op.cmd = MMUEXT_INVLPG_MULTI;
		op.arg1.linear_addr = va;
	}
	set_xen_guest_handle(op.arg2.vcpumask, &mask);
	xen_lazy_mmu_flush();
	rc = xen_hypercall(__HYPERVISOR_mmuext_op, (u64)(uintptr_t)&op, 1, 0,
			   DOMID_SELF, 0);
	if (rc)
		panic("xen-pv: mmuext_op(%s) refused (%ld)",
		      va == FLUSH_TLB_ALL ? "TLB_FLUSH_MULTI" : "INVLPG_MULTI", rc);
}

static int bind_ipi(xen_evtchn_handler_t handler)
{
	int port = xen_evtchn_bind_ipi(handler);

	if (port < 0)
		pr_err("xen: EVTCHNOP_bind_ipi on vCPU %u refused (%d)\n",
		       smp_processor_id(), port);
	return port;
}

/*
 * On each vCPU, from apic_init: its kick port (both modes) and under PV
 * its IPI port. The boot vCPU, before patching, makes the ops ours.
 */
void xen_smp_cpu_init(bool pv)
{
	unsigned int cpu = smp_processor_id();

	if (xen_events_off())
		return;
	kick_port[cpu] = bind_ipi(NULL);
	if (pv) {
		ipi_port[cpu] = bind_ipi(ipi_event);
		if (ipi_port[cpu] >= 0)
			xen_evtchn_unmask((evtchn_port_t)ipi_port[cpu]);
	}
	if (cpu)
		return;
	pv_ops.lock.wait = xen_lock_wait;
	pv_ops.lock.kick = xen_lock_kick;
	if (!pv)
		return;
	pv_ops.apic.send_ipi = xen_send_ipi;
	pv_ops.apic.send_ipi_mask = xen_send_ipi_mask;
	pv_ops.apic.send_ipi_allbutself = xen_send_ipi_allbutself;
	pv_ops.mmu.flush_tlb_multi = xen_pv_flush_tlb_multi;
}

enum ap_state { AP_DOWN, AP_STARTING, AP_ONLINE, AP_ABANDONED };

/* The PV AP entry (head-pv.S) and its context, built on the boot vCPU. */
extern char xen_pv_ap_entry[], xen_event_entry[], xen_failsafe_entry[];
static struct vcpu_guest_context ap_ctxt;

static bool ap_advance(struct percpu *p, int from, int to)
{
	return __atomic_compare_exchange_n(&p->boot_state, &from, to, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Interrupts off for good: VCPUOP_down would do, but parking is enough. */
static void __noreturn ap_park(void)
{
	for (;;) {
		irq_disable();
		halt();
	}
}

/*
 * A PV AP, on its stack with Xen's GDT and our page tables, GS base not
 * yet set: the per-CPU area and the APIC ID Xen's CPUID reports, then its own trap table and callbacks (Xen
 * keeps both per vCPU), then its timer and ports.
 */
void xen_pv_ap_start(struct percpu *p) __noreturn;
void xen_pv_ap_start(struct percpu *p)
{
	percpu_init_ap(p);
	p->apic_id = cpu_initial_apic_id();
	idt_load();
	xen_pv_register_callbacks();
	pv_init.cpu_init(p->cpu);
	pv_init.apic_init();
	if (!ap_advance(p, AP_STARTING, AP_ONLINE))
		ap_park();
	for (;;)
		safe_halt();
}

/*
 * What VCPUOP_initialise loads (xen/arch-x86/xen-x86_64.h): the kernel
 * flat selectors, the entry and its argument, the stack, our page-table
 * root (read_cr3 gives the kernel's pseudo-physical view: Xen wants the
 * root's machine frame in xen_pfn_to_cr3 form, mfn << 12 on x86-64), the
 * empty user-mode root in ctrlreg[1] likewise (pagetable-pv.c), and the
 * callbacks; no GDT of our own (Xen's reserved entries hold the flat
 * selectors).
 */
static struct vcpu_guest_context *ap_context(struct percpu *p, u64 stack_top)
{
	struct vcpu_guest_context *c = &ap_ctxt;

	*c = (struct vcpu_guest_context){ .flags = VGCF_in_kernel };
	c->user_regs.rip = (u64)(uintptr_t)xen_pv_ap_entry;
	c->user_regs.rsp = stack_top;
	c->user_regs.rdi = (u64)(uintptr_t)p;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = stack_top;
	c->ctrlreg[3] = xen_pfn_to_mfn(read_cr3() >> PAGE_SHIFT) << PAGE_SHIFT;
	c->ctrlreg[1] = xen_pfn_to_mfn(xen_pv_user_root >> PAGE_SHIFT) << PAGE_SHIFT;
	c->event_callback_eip = (u64)(uintptr_t)xen_event_entry;
	c->failsafe_callback_eip = (u64)(uintptr_t)xen_failsafe_entry;
	return c;
}

static bool wait_online(struct percpu *p)
{
	u64 end = tsc_deadline(ONLINE_TIMEOUT_NS);

	while (__atomic_load_n(&p->boot_state, __ATOMIC_ACQUIRE) != AP_ONLINE)
		if (tsc_passed(end))
			return !ap_advance(p, AP_STARTING, AP_ABANDONED);
	return true;
}

static long refused(unsigned int cpu, const char *op, phys_addr_t stack, long rc)
{
	pr_warn("xen-pv: vCPU %u refused (VCPUOP_%s: %ld); going on without it\n",
		cpu, op, rc);
	free_pages(stack, AP_STACK_ORDER);
	return rc;
}

/*
 * One vCPU: its stack, VCPUOP_initialise, its vcpu_info, VCPUOP_up, and
 * the wait for it to come online. Xen refuses an id the domain has no
 * vCPU for (-ENOENT, do_vcpu_op) and a vCPU already initialised
 * (-EEXIST, arch_initialise_vcpu); VCPUOP_up refuses only a vCPU not
 * initialised (-EINVAL), which cannot follow a successful initialise.
 * Nothing of the CPU (per-CPU area, vcpu_info, online bit) is touched
 * before VCPUOP_initialise succeeds, so a refusal leaves it as it was.
 */
long xen_pv_start_vcpu(unsigned int cpu)
{
	struct percpu *p;
	phys_addr_t stack;
	u64 top;
	long rc;

	if (cpu >= MAX_CPUS)
		return -XEN_EINVAL;
	stack = alloc_pages(AP_STACK_ORDER);
	if (!stack) {
		pr_warn("xen-pv: out of memory for vCPU %u's stack; left out\n", cpu);
		return -XEN_ENOMEM;
	}
	p = per_cpu(cpu);
	top = (u64)(uintptr_t)phys_to_virt(stack) + (PAGE_SIZE << AP_STACK_ORDER);
	rc = xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_initialise, cpu,
			    (u64)(uintptr_t)ap_context(p, top));
	if (rc)
		return refused(cpu, "initialise", stack, rc);
	p->cpu = cpu;
	p->stack_top = top;
	p->boot_state = AP_STARTING;
	xen_vcpu[cpu] = &xen_shared_info->vcpu_info[cpu];
	xen_vcpu[cpu]->evtchn_upcall_mask = 1;
	rc = xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_up, cpu, 0);
	if (rc) {
		p->boot_state = AP_DOWN;
		return refused(cpu, "up", stack, rc);
	}
	if (!wait_online(p)) {
		pr_warn("xen-pv: vCPU %u did not come online within %llu ms; going on without it\n",
			cpu, (unsigned long long)(ONLINE_TIMEOUT_NS / NSEC_PER_MSEC));
		return -XEN_ETIMEDOUT;
	}
	cpumask_set_cpu(cpu, &cpu_online_bits);
	return 0;
}

static void call_function_ipi(struct pt_regs *regs)
{
	smp_call_function_irq(regs);
}

/*
 * PV smp_boot: vCPUs 1 .. cpu_count-1 (those Xen has; xen_pv_cpu_count
 * asks VCPUOP_is_up), each started and waited for in turn; one Xen
 * refuses or that never arrives is left out.
 */
unsigned int xen_pv_smp_boot(void)
{
	unsigned int n = MIN(pv_init.cpu_count(), (unsigned int)MAX_CPUS);
	unsigned int cpu;
	u64 t0 = rdtsc();

	if (n == 1)
		return 1;
	if (ipi_port[0] < 0) {
		pr_warn("xen-pv: no IPI event channel (%s); one vCPU\n",
			xen_events_off() ?: "EVTCHNOP_bind_ipi refused");
		return 1;
	}
	if (irq_register_vector(IRQ_VECTOR_IPI_CALL, call_function_ipi)) {
		pr_warn("smp: IPI vector %#x taken; one CPU\n", IRQ_VECTOR_IPI_CALL);
		return 1;
	}
	for (cpu = 1; cpu < n; cpu++)
		xen_pv_start_vcpu(cpu);
	pr_info("smp: %u of %u vCPUs online in %llu us (VCPUOP_up)\n",
		nr_cpus_online(), n,
		(unsigned long long)(tsc_to_ns(rdtsc() - t0) / 1000));
	return nr_cpus_online();
}
