// SPDX-License-Identifier: GPL-2.0
/*
 * bench=exits: a known number of operations of one class, for the host
 * to count VM exits around (tools/perf-exits counts KVM tracepoints over
 * a whole boot; a boot with exits=none is its baseline). exits=PHASE
 * picks the class, exits=all runs them one after another. Each phase
 * prints one line:
 *
 *   exits: phase=eoi ops=2000 tsc=123456789 impl=kvm_pv_eoi
 *
 * ops is how many operations ran, tsc the guest TSC ticks they took in
 * all, impl the implementation of the op that the phase is about.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <proteus/bench.h>
#include <proteus/cmdline.h>
#include <proteus/kallsyms.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/string.h>

#define OPS		2000
#define SLOW_OPS	500	/* phases that wait for another CPU or a timer */
#define HALT_NS		20000
#define NULL_HYPERCALL	0xffff	/* no hypervisor knows it: -ENOSYS at once */

struct phase {
	const char *name;
	const void *impl;	/* the op the phase is about */
	unsigned int ops;
	bool smp;		/* needs a second CPU */
	void (*run)(unsigned int n);
};

static u64 ipi_hits;

static void count_ipi(struct pt_regs *regs)
{
	__atomic_fetch_add(&ipi_hits, 1, __ATOMIC_RELEASE);
}

/* A self-IPI, taken at once (interrupts on): its handler's EOI is the op. */
static void run_eoi(unsigned int n)
{
	int v = irq_alloc_vector(count_ipi);
	unsigned int i;

	if (v < 0) {
		pr_warn("exits: no free vector\n");
		return;
	}
	for (i = 0; i < n; i++) {
		u64 seen = __atomic_load_n(&ipi_hits, __ATOMIC_ACQUIRE);
		u64 end = tsc_deadline(100 * NSEC_PER_MSEC);

		send_ipi(smp_processor_id(), (unsigned int)v);
		while (__atomic_load_n(&ipi_hits, __ATOMIC_ACQUIRE) == seen) {
			if (tsc_passed(end)) {
				pr_warn("exits: self-IPI %u never came\n", i);
				i = n;
				break;
			}
			cpu_relax();
		}
	}
	irq_free_vector((unsigned int)v);
}

static void run_wallclock(unsigned int n)
{
	while (n--)
		wallclock();
}

static void run_sched_clock(unsigned int n)
{
	while (n--)
		sched_clock();
}

static void nothing(void *arg)
{
}

/* Each round sends one IPI to every other CPU and waits for all. */
static void run_ipi(unsigned int n)
{
	while (n--)
		smp_call_function(nothing, NULL, true);
}

static void run_tlb(unsigned int n)
{
	while (n--)
		flush_tlb_multi(cpu_online_mask, FLUSH_TLB_ALL);
}

/* The hypercall op's site with a number nobody implements. */
static void run_hypercall(unsigned int n)
{
	while (n--) {
		long ret = NULL_HYPERCALL;

		__asm__ __volatile__(PV_SITE(PV_CLOBBERS_NORMAL)
				     : "+a"(ret), ASM_CALL_CONSTRAINT
				     : PV_SITE_INPUTS(hypercall)
				     : "rdi", "rsi", "rdx", PV_NORMAL_CLOBBERS);
	}
}

/* Arm the timer a little ahead and halt until it fires. */
static void run_halt(unsigned int n)
{
	while (n--) {
		u64 seen = timer_irq_count();

		if (timer_set_oneshot(HALT_NS) || !timer_wait(seen, 100 * NSEC_PER_MSEC)) {
			pr_warn("exits: timer did not fire\n");
			return;
		}
	}
}

static struct phase phases[] = {
	{ "eoi", NULL, OPS, false, run_eoi },
	{ "wallclock", NULL, OPS, false, run_wallclock },
	{ "sched_clock", NULL, OPS, false, run_sched_clock },
	{ "ipi", NULL, SLOW_OPS, true, run_ipi },
	{ "tlb", NULL, SLOW_OPS, true, run_tlb },
	{ "hypercall", NULL, OPS, false, run_hypercall },
	{ "halt", NULL, SLOW_OPS, false, run_halt },
};

static void set_impls(void)
{
	phases[0].impl = pv_ops.apic.eoi;
	phases[1].impl = pv_ops.time.wallclock;
	phases[2].impl = pv_ops.time.sched_clock;
	phases[3].impl = pv_ops.apic.send_ipi_mask;
	phases[4].impl = pv_ops.mmu.flush_tlb_multi;
	phases[5].impl = pv_ops.hypercall;
	phases[6].impl = pv_ops.irq.safe_halt;
}

static char which[16] = "all";

static int set_exits(const char *val)
{
	unsigned int i;

	if (!val)
		return -1;
	for (i = 0; i < ARRAY_SIZE(phases); i++)
		if (!strcmp(val, phases[i].name))
			break;
	if (i == ARRAY_SIZE(phases) && strcmp(val, "all") && strcmp(val, "none"))
		return -1;
	strlcpy(which, val, sizeof(which));
	return 0;
}
KERNEL_PARAM("exits", set_exits);

static void run_phase(const struct phase *p)
{
	unsigned int ops = p->ops;
	u64 t0, off;
	const char *impl = kallsyms_lookup((u64)(uintptr_t)p->impl, &off);

	if (p->smp && nr_cpus_online() < 2) {
		printk("exits: phase=%s skipped: needs a second CPU\n", p->name);
		return;
	}
	if (!strcmp(p->name, "ipi"))
		ops *= nr_cpus_online() - 1;
	t0 = rdtsc();
	p->run(p->ops);
	printk("exits: phase=%s ops=%u tsc=%llu impl=%s\n", p->name, ops,
	       (unsigned long long)(rdtsc() - t0), impl ? impl : "?");
}

/* Interrupts on: the phases wait for IPIs and timer interrupts. */
static void bench_exits(void)
{
	u64 flags = irq_save();
	unsigned int i;

	irq_enable();
	set_impls();
	printk("exits: cpus=%u backend=%s phase=%s\n", nr_cpus_online(),
	       pv_backend->name, which);
	for (i = 0; i < ARRAY_SIZE(phases); i++)
		if (!strcmp(which, "all") || !strcmp(which, phases[i].name))
			run_phase(&phases[i]);
	restore_flags(flags);
	printk("exits: done\n");
}
BENCHMARK("exits", bench_exits);
