/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to backends/kvm (and its selftests): which paravirt features
 * are in use, the per-vCPU records shared with the host, hypercalls.
 * The ABI (feature bits, MSRs, hypercall numbers, the steal time record)
 * comes from Debian's linux-libc-dev: asm/kvm_para.h, linux/kvm_para.h.
 */
#ifndef BACKENDS_KVM_KVM_H
#define BACKENDS_KVM_KVM_H

#include <proteus/types.h>
#include <proteus/cpumask.h>
#include <asm/pvclock.h>
#include <asm/kvm_para.h>
#include <linux/kvm_para.h>

/* The features this backend can use, each with its switch. */
enum kvm_feature {
	KVM_F_CLOCK,		/* kvmclock: sched_clock, wallclock, TSC rate */
	KVM_F_PV_EOI,
	KVM_F_STEAL,		/* steal time and the preempted flag */
	KVM_F_PV_IPI,
	KVM_F_PV_TLB,		/* needs KVM_F_STEAL */
	KVM_F_PV_YIELD,		/* needs KVM_F_STEAL */
	KVM_F_PV_SPIN,
	KVM_F_COUNT,
};

extern bool kvm_uses[KVM_F_COUNT];
/* no-kvm-hypercall: this host's KVM cannot complete a hypercall. */
extern bool kvm_no_hypercall;
/* kvm-pveoi-inert: this host never sets the PV EOI bit. */
extern bool kvm_pveoi_inert;

/* Why a feature is not in use ("not the KVM backend", a switch...), or NULL. */
const char *kvm_feature_off(enum kvm_feature f);

static inline bool kvm_using(enum kvm_feature f)
{
	return kvm_uses[f];
}

/*
 * What the host and this vCPU share, one per CPU, by physical address:
 * the steal time record wants 64-byte alignment, the pvclock record must
 * not cross a page, the PV EOI word is 4-byte aligned. Counters follow.
 */
struct kvm_vcpu_area {
	struct kvm_steal_time steal;
	struct pvclock_vcpu_time_info clock;
	u32 pv_eoi;
	u32 pad;
	u64 eoi_skipped;	/* EOIs the host let us skip */
	u64 eoi_written;	/* EOIs written to the APIC */
	u64 tlb_deferred;	/* remote flushes left to the host */
	u64 yields;		/* SCHED_YIELDs to a preempted IPI target */
	u64 kicks;		/* KICK_CPUs sent */
	u64 lock_halts;		/* spinlock waits that halted */
} __aligned(64);

extern struct kvm_vcpu_area kvm_vcpu[MAX_CPUS];

/* Hypercall: number in rax, arguments in rbx, rcx, rdx, rsi, result rax. */
long kvm_hypercall(unsigned int nr, u64 a0, u64 a1, u64 a2, u64 a3);

/* Per feature: install ops at boot, register per-CPU records on each CPU. */
void kvm_clock_init(void);
void kvm_clock_cpu_init(unsigned int cpu);
void kvm_steal_cpu_init(unsigned int cpu);
void kvm_pv_eoi_cpu_init(unsigned int cpu);
void kvm_apic_init_ops(void);
void kvm_tlb_init_ops(void);
void kvm_spin_init_ops(void);

/* Steal time: the host's view of a vCPU. */
u64 kvm_steal_clock(unsigned int cpu);
bool kvm_vcpu_preempted(unsigned int cpu);

/* kvmclock: the sources sched_clock can use, and which one it uses. */

#endif
