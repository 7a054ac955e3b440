// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM backend: a guest that finds "KVMKVMKVM" at CPUID 0x40000000.
 * The CPU, page tables, devices and the APIC timer stay native (KVM runs
 * them in hardware, or emulates them as hardware); this backend replaces
 * the ops that KVM's paravirt interface does with fewer exits. Each
 * feature needs its CPUID 0x40000001 bit and can be switched off on the
 * command line; the boot line says which are in use and which not, and
 * why.
 */
#include <asm/hypervisor.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/cmdline.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include "kvm.h"

struct feature {
	const char *name;	/* as the boot line reports it */
	const char *param;	/* the switch that turns it off */
	int bit;		/* in CPUID 0x40000001 eax */
	int needs;		/* another feature it builds on, or -1 */
	bool hypercall;		/* it makes hypercalls */
	bool switched_off;
};

static struct feature features[KVM_F_COUNT] = {
	[KVM_F_CLOCK] = { "kvmclock", "no-kvmclock", KVM_FEATURE_CLOCKSOURCE2, -1 },
	[KVM_F_PV_EOI] = { "pv-eoi", "no-kvm-pveoi", KVM_FEATURE_PV_EOI, -1 },
	[KVM_F_STEAL] = { "steal-time", "no-steal-acc", KVM_FEATURE_STEAL_TIME, -1 },
	[KVM_F_PV_IPI] = { "pv-ipi", "no-kvm-pvipi", KVM_FEATURE_PV_SEND_IPI, -1, true },
	[KVM_F_PV_TLB] = { "pv-tlb-flush", "no-kvm-pvtlb", KVM_FEATURE_PV_TLB_FLUSH,
			   KVM_F_STEAL },
	[KVM_F_PV_YIELD] = { "pv-yield", "no-kvm-yield", KVM_FEATURE_PV_SCHED_YIELD,
			     KVM_F_STEAL, true },
	[KVM_F_PV_SPIN] = { "pv-spinlock", "no-kvm-pvspin", KVM_FEATURE_PV_UNHALT, -1, true },
};

bool kvm_uses[KVM_F_COUNT];
bool kvm_no_hypercall;
struct kvm_vcpu_area kvm_vcpu[MAX_CPUS];
/* Offered by the host but not in use. */
static u32 unused_mask;

static int switch_off(enum kvm_feature f, const char *val)
{
	if (val)
		return -1;	/* a bare switch, no value */
	features[f].switched_off = true;
	return 0;
}

/* Each switch is a bare key that turns one feature off. */
#define KVM_SWITCH(key, f, fn)						\
	static int fn(const char *val)					\
	{								\
		return switch_off(f, val);				\
	}								\
	KERNEL_PARAM(key, fn)

KVM_SWITCH("no-kvmclock", KVM_F_CLOCK, no_kvmclock);
KVM_SWITCH("no-kvm-pveoi", KVM_F_PV_EOI, no_pveoi);
KVM_SWITCH("no-steal-acc", KVM_F_STEAL, no_steal);
KVM_SWITCH("no-kvm-pvipi", KVM_F_PV_IPI, no_pvipi);
KVM_SWITCH("no-kvm-pvtlb", KVM_F_PV_TLB, no_pvtlb);
KVM_SWITCH("no-kvm-yield", KVM_F_PV_YIELD, no_yield);
KVM_SWITCH("no-kvm-pvspin", KVM_F_PV_SPIN, no_pvspin);

/*
 * For hosts whose KVM cannot complete a hypercall: one that runs guests
 * in its instruction emulator (kvm_pvm without VMX/SVM) rewrites vmcall
 * for the host's vendor and re-executes it forever. The guest cannot
 * tell such a host from inside, so the runner says so.
 */
static int no_hypercall(const char *val)
{
	if (val)
		return -1;
	kvm_no_hypercall = true;
	return 0;
}
KERNEL_PARAM("no-kvm-hypercall", no_hypercall);

/*
 * For hosts that accept the PV EOI MSR but never set the bit (kvm_pvm
 * injects interrupts on a path that does not): EOIs then all go to the
 * APIC, correctly; only the selftest needs to know.
 */
bool kvm_pveoi_inert;

static int pveoi_inert(const char *val)
{
	if (val)
		return -1;
	kvm_pveoi_inert = true;
	return 0;
}
KERNEL_PARAM("kvm-pveoi-inert", pveoi_inert);

static bool kvm_detect(void)
{
	return hypervisor.type == HYPERVISOR_KVM;
}

/* Why an offered feature is not used, or NULL if it is. */
static const char *why_off(const struct feature *f)
{
	if (f->switched_off)
		return f->param;
	if (f->hypercall && kvm_no_hypercall)
		return "no-kvm-hypercall";
	if (f->needs >= 0 && !kvm_uses[f->needs])
		return features[f->needs].name;
	return NULL;
}

/* For selftests: why a feature is not in use, NULL if it is. */
const char *kvm_feature_off(enum kvm_feature f)
{
	if (strcmp(pv_backend->name, "kvm"))
		return "not the KVM backend";
	if (kvm_uses[f])
		return NULL;
	return why_off(&features[f]) ?: "not offered by the host, or not usable";
}

/* Decide what to use; features come before those that build on them. */
static void choose(u32 offered)
{
	int i;

	for (i = 0; i < KVM_F_COUNT; i++) {
		if (!(offered & (1U << features[i].bit)))
			continue;
		kvm_uses[i] = !why_off(&features[i]);
		if (!kvm_uses[i])
			unused_mask |= 1U << i;
	}
}

static void report(void)
{
	char used[128] = "", unused[192] = "";
	int i;

	for (i = 0; i < KVM_F_COUNT; i++) {
		char *list = kvm_uses[i] ? used : unused;
		size_t size = kvm_uses[i] ? sizeof(used) : sizeof(unused);

		if (!kvm_uses[i] && !(unused_mask & (1U << i)))
			continue;
		if (*list)
			strlcat(list, ",", size);
		strlcat(list, features[i].name, size);
		if (!kvm_uses[i]) {
			strlcat(list, "(", size);
			strlcat(list, why_off(&features[i]), size);
			strlcat(list, ")", size);
		}
	}
	pr_info("kvm: features=%s hypercall=%s sched_clock=%s\n",
		*used ? used : "none",
		kvm_no_hypercall ? "off" :
		pv_ops.hypercall == hypercall_vmmcall ? "vmmcall" : "vmcall",
		pv_init.clock_select(NULL));
	if (*unused)
		pr_info("kvm: off=%s\n", unused);
}

/*
 * Every CPU, before its APIC: hand the host this vCPU's records. The boot
 * CPU's kvmclock record decides the sched_clock source, so the report
 * comes after it.
 */
static void kvm_cpu_init(unsigned int cpu)
{
	if (kvm_using(KVM_F_CLOCK))
		kvm_clock_cpu_init(cpu);
	if (kvm_using(KVM_F_STEAL))
		kvm_steal_cpu_init(cpu);
	if (kvm_using(KVM_F_PV_EOI))
		kvm_pv_eoi_cpu_init(cpu);
	if (cpu == 0)
		report();
}

static void kvm_init(void)
{
	struct cpuid_regs r;

	cpuid(hypervisor.base + 1, &r);
	if (!kvm_no_hypercall)
		pv_ops.hypercall = hypervisor_hypercall_insn();
	pv_init.cpu_init = kvm_cpu_init;
	choose(r.eax);
	if (kvm_using(KVM_F_CLOCK))
		kvm_clock_init();
	kvm_apic_init_ops();
	kvm_tlb_init_ops();
	kvm_spin_init_ops();
}

PV_BACKEND(kvm_backend) = {
	.name = "kvm",
	.priority = 50,
	.detect = kvm_detect,
	.init = kvm_init,
};
