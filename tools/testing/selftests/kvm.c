// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM backend's features, each against the host: the records it
 * registered are filled in and keep their protocols, and each path does
 * what it replaces. Every test skips with the reason when its feature is
 * not in use (another backend, the host does not offer it, or a switch).
 * Correctness of the ops themselves (clocks, IPIs, TLB shootdown, locks)
 * is also covered by the generic time, irq and smp tests, which run with
 * whichever implementation is installed.
 */
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/pv/native.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include "../../../backends/kvm/kvm.h"

static enum test_result feature_skip(enum kvm_feature f)
{
	return skip(kvm_feature_off(f));
}

static bool wait_until(const volatile u64 *v, u64 want, u64 ns)
{
	u64 end = tsc_deadline(ns);

	while (*v != want)
		if (tsc_passed(end))
			return false;
	return true;
}

static void read_own_clock(void *unused)
{
	u64 *s = this_cpu()->scratch;

	s[0] = pvclock_valid(&kvm_vcpu[smp_processor_id()].clock);
	s[1] = pvclock_read(&kvm_vcpu[smp_processor_id()].clock);
}

/*
 * Every CPU's record is filled in, and the reader orders time across
 * CPUs: what another CPU reads lies between two reads of ours.
 */
SELFTEST(kvm, kvmclock_every_cpu_in_order)
{
	const struct pvclock_vcpu_time_info *mine;
	unsigned int cpu, round;

	if (kvm_feature_off(KVM_F_CLOCK))
		return feature_skip(KVM_F_CLOCK);
	mine = &kvm_vcpu[smp_processor_id()].clock;
	EXPECT(pvclock_valid(mine));
	for (round = 0; round < 50; round++) {
		for_each_cpu(cpu, cpu_online_mask) {
			struct cpumask one = { 1ULL << cpu };
			u64 before, after;

			if (cpu == smp_processor_id())
				continue;
			before = pvclock_read(mine);
			smp_call_function_many(&one, read_own_clock, NULL, true);
			after = pvclock_read(mine);
			EXPECT_EQ(per_cpu(cpu)->scratch[0], 1);
			EXPECT(per_cpu(cpu)->scratch[1] >= before);
			EXPECT(per_cpu(cpu)->scratch[1] <= after);
		}
	}
	return TEST_PASS;
}

/*
 * Over 2 ms, kvmclock moves with the TSC at the rate the record states:
 * the clocks are compared at the two closest pairs, so the tolerance is
 * the half brackets (what reading costs here, measured) plus 1% for the
 * host adjusting the record's rate meanwhile.
 */
SELFTEST(kvm, kvmclock_follows_tsc)
{
	const struct pvclock_vcpu_time_info *t;
	u64 khz;

	if (kvm_feature_off(KVM_F_CLOCK))
		return feature_skip(KVM_F_CLOCK);
	t = &kvm_vcpu[smp_processor_id()].clock;
	khz = pvclock_tsc_khz(t);
	EXPECT(khz != 0);
	EXPECT_EQ(tsc_khz(), khz);
	return pvclock_follows_tsc("kvmclock", t, khz);
}

/*
 * WALL_CLOCK_NEW and the emulated CMOS clock tell the same time: the
 * kvmclock reading lies between two CMOS readings (whole seconds, each
 * some port exits long), give or take 2 s for the two clocks' phases.
 */
SELFTEST(kvm, wallclock_matches_rtc)
{
	u64 kvm, rtc0, rtc1;

	if (kvm_feature_off(KVM_F_CLOCK))
		return feature_skip(KVM_F_CLOCK);
	if (cmos_rtc_missing())
		return skip(cmos_rtc_missing());
	rtc0 = native_wallclock();
	kvm = wallclock();
	rtc1 = native_wallclock();
	printk("# kvm wallclock %llu, CMOS %llu..%llu\n", kvm, rtc0, rtc1);
	EXPECT(rtc0 && rtc1 >= rtc0);
	EXPECT(kvm + 2 >= rtc0 && kvm <= rtc1 + 2);
	return TEST_PASS;
}

/*
 * Across the switch sched_clock neither goes back nor jumps ahead of the
 * time that passed, by the TSC. The switch reads the new clock, then the
 * old, and the new one starts that far ahead: at most the time the switch
 * took (a vCPU descheduled between its two reads makes that long), which
 * we measure. 1% and 1 us more for the two clocks' rates and rounding.
 */
static enum test_result clock_switch_to(const char *name)
{
	u64 tsc0 = rdtsc(), before = sched_clock(), tsc1, tsc2, after, prev;
	u64 elapsed, switching;
	int i;

	tsc1 = rdtsc();
	EXPECT(!strcmp(pv_init.clock_select(name), name));
	tsc2 = rdtsc();
	after = sched_clock();
	elapsed = tsc_to_ns(rdtsc() - tsc0);
	switching = tsc_to_ns(tsc2 - tsc1);
	EXPECT(after >= before);
	if (after - before > elapsed + switching + elapsed / 100 + US)
		printk("# %s: sched_clock moved %llu ns in %llu ns, %llu of them switching\n",
		       name, after - before, elapsed, switching);
	EXPECT(after - before <= elapsed + switching + elapsed / 100 + US);
	prev = after;
	for (i = 0; i < 1000; i++) {
		u64 now = sched_clock();

		EXPECT(now >= prev);
		prev = now;
	}
	return TEST_PASS;
}

/*
 * sched_clock switches between kvmclock and the raw TSC at runtime (the
 * op is re-patched), continuing from where the other left off. Without a
 * usable TSC the switch is refused and kvmclock stays.
 */
SELFTEST(kvm, sched_clock_switch)
{
	const char *start, *why_not;

	if (kvm_feature_off(KVM_F_CLOCK))
		return feature_skip(KVM_F_CLOCK);
	start = pv_init.clock_select(NULL);
	if (!pvclock_tsc_usable(&why_not)) {
		EXPECT(!strcmp(start, "kvmclock"));
		EXPECT(!strcmp(pv_init.clock_select("tsc"), "kvmclock"));
		return skip(why_not);
	}
	EXPECT(!strcmp(start, "tsc"));
	if (clock_switch_to("kvmclock") != TEST_PASS)
		return TEST_FAIL;
	return clock_switch_to("tsc");
}

static u64 eoi_hits;

static void count_eoi_ipi(struct pt_regs *regs)
{
	__atomic_fetch_add(&eoi_hits, 1, __ATOMIC_RELEASE);
}

/*
 * Self-IPIs: every EOI goes through the PV path, they keep arriving
 * (they would not if a skipped EOI had left the vector in service), and
 * the host lets us skip some of them. kvm-pveoi-inert says the host never
 * does (the runner's fact about kvm_pvm): then only the first two hold.
 */
SELFTEST(kvm, pv_eoi_taken)
{
	struct kvm_vcpu_area *v;
	u64 skipped, written, flags, i;
	int vector;
	bool ok = true;

	if (kvm_feature_off(KVM_F_PV_EOI))
		return feature_skip(KVM_F_PV_EOI);
	v = &kvm_vcpu[smp_processor_id()];
	vector = irq_alloc_vector(count_eoi_ipi);
	EXPECT(vector >= 0);
	skipped = v->eoi_skipped;
	written = v->eoi_written;
	eoi_hits = 0;
	flags = irq_save();
	irq_enable();
	for (i = 0; i < 100 && ok; i++) {
		send_ipi(smp_processor_id(), (unsigned int)vector);
		ok = wait_until(&eoi_hits, i + 1, WAIT_NS);
	}
	restore_flags(flags);
	irq_free_vector((unsigned int)vector);
	skipped = v->eoi_skipped - skipped;
	written = v->eoi_written - written;
	printk("# %llu of 100 EOIs skipped, %llu written\n", skipped, written);
	EXPECT(ok);
	EXPECT(skipped + written >= 100);
	if (kvm_pveoi_inert) {
		printk("# kvm-pveoi-inert: this host never sets the PV EOI bit\n");
		EXPECT_EQ(skipped, 0);
	} else {
		EXPECT(skipped > 0);
	}
	return TEST_PASS;
}

static void read_steal(void *unused)
{
	const struct kvm_steal_time *st = &kvm_vcpu[smp_processor_id()].steal;

	this_cpu()->scratch[0] = READ_ONCE(st->version);
	this_cpu()->scratch[1] = steal_clock(smp_processor_id());
}

/* Each CPU's record has been written by the host; steal never goes back. */
SELFTEST(kvm, steal_time_every_cpu)
{
	u64 first[MAX_CPUS];
	unsigned int cpu;

	if (kvm_feature_off(KVM_F_STEAL))
		return feature_skip(KVM_F_STEAL);
	smp_call_function(read_steal, NULL, true);
	read_steal(NULL);
	for_each_cpu(cpu, cpu_online_mask) {
		u64 version = per_cpu(cpu)->scratch[0];

		EXPECT(version && !(version & 1));
		first[cpu] = per_cpu(cpu)->scratch[1];
	}
	tsc_delay(5 * MS);
	smp_call_function(read_steal, NULL, true);
	read_steal(NULL);
	for_each_cpu(cpu, cpu_online_mask) {
		EXPECT(per_cpu(cpu)->scratch[1] >= first[cpu]);
		printk("# CPU %u: steal %llu ns\n", cpu, per_cpu(cpu)->scratch[1]);
	}
	return TEST_PASS;
}

static void nothing(void *unused)
{
}

/*
 * A vCPU marked preempted gets the flush flag instead of an IPI, and the
 * host consumes the flag (flushing) before the vCPU runs guest code
 * again. We mark the other CPU ourselves, as the host would; it is halted
 * or running, so the host resumes it through a fresh entry either way.
 */
SELFTEST(kvm, pv_tlb_flush_flag)
{
	unsigned int self = smp_processor_id();
	int other = another_cpu();
	struct cpumask one;
	u8 *state;
	u64 deferred;
	u64 end;

	if (kvm_feature_off(KVM_F_PV_TLB))
		return feature_skip(KVM_F_PV_TLB);
	if (other < 0)
		return skip("one CPU online");
	one.bits = 1ULL << other;
	state = &kvm_vcpu[other].steal.preempted;
	deferred = kvm_vcpu[self].tlb_deferred;
	__atomic_store_n(state, KVM_VCPU_PREEMPTED, __ATOMIC_SEQ_CST);
	flush_tlb_multi(&one, FLUSH_TLB_ALL);
	/*
	 * Deferred, not sent. The state itself proves nothing now: the
	 * host may already have consumed the flag and, on a loaded host,
	 * marked the vCPU preempted again.
	 */
	EXPECT_EQ(kvm_vcpu[self].tlb_deferred, deferred + 1);
	/* An IPI makes the other vCPU re-enter; the host then clears it. */
	end = tsc_deadline(WAIT_NS);
	while (READ_ONCE(*state) & KVM_VCPU_FLUSH_TLB) {
		EXPECT(!tsc_passed(end));
		smp_call_function_many(&one, nothing, NULL, true);
	}
	return TEST_PASS;
}

/* SEND_IPI with a one-bit bitmap reaches one CPU: the hypercall's answer. */
SELFTEST(kvm, pv_ipi_hypercall)
{
	int other = another_cpu();
	long ret;

	if (kvm_feature_off(KVM_F_PV_IPI))
		return feature_skip(KVM_F_PV_IPI);
	if (other < 0)
		return skip("one CPU online");
	ret = kvm_hypercall(KVM_HC_SEND_IPI, 1, 0, cpu_apic_id(other),
			    APIC_ICR_FIXED | IRQ_VECTOR_IPI_CALL);
	EXPECT_EQ(ret, 1);
	return TEST_PASS;
}

/* SCHED_YIELD to another vCPU is accepted (0), whether or not it runs. */
SELFTEST(kvm, pv_yield_hypercall)
{
	int other = another_cpu();

	if (kvm_feature_off(KVM_F_PV_YIELD))
		return feature_skip(KVM_F_PV_YIELD);
	if (other < 0)
		return skip("one CPU online");
	EXPECT_EQ(kvm_hypercall(KVM_HC_SCHED_YIELD, cpu_apic_id(other), 0, 0, 0), 0);
	return TEST_PASS;
}

static u8 kick_byte;
static u64 kick_woken;

/*
 * The waiter counts its halts; we release it only once it has halted at
 * least once (its vCPU may not even run for a while on a loaded host).
 */
static void wait_for_kick(void *unused)
{
	u64 halts = kvm_vcpu[smp_processor_id()].lock_halts;

	while (READ_ONCE(kick_byte) == 1)
		pv_lock_wait(&kick_byte, 1);
	__atomic_store_n(&kick_woken,
			 1 + kvm_vcpu[smp_processor_id()].lock_halts - halts,
			 __ATOMIC_RELEASE);
}

/* A lock waiter halts in the host until KICK_CPU wakes it. */
SELFTEST(kvm, pv_spinlock_kick)
{
	int other = another_cpu();
	struct cpumask one;
	u64 end, halts;

	if (kvm_feature_off(KVM_F_PV_SPIN))
		return feature_skip(KVM_F_PV_SPIN);
	if (other < 0)
		return skip("one CPU online");
	one.bits = 1ULL << other;
	kick_byte = 1;
	kick_woken = 0;
	halts = READ_ONCE(kvm_vcpu[other].lock_halts);
	smp_call_function_many(&one, wait_for_kick, NULL, false);
	end = tsc_deadline(WAIT_NS);
	while (READ_ONCE(kvm_vcpu[other].lock_halts) == halts)
		EXPECT(!tsc_passed(end));
	tsc_delay(5 * MS);
	EXPECT_EQ(READ_ONCE(kick_woken), 0);
	__atomic_store_n(&kick_byte, 0, __ATOMIC_RELEASE);
	pv_lock_kick(other);
	end = tsc_deadline(WAIT_NS);
	while (!__atomic_load_n(&kick_woken, __ATOMIC_ACQUIRE))
		EXPECT(!tsc_passed(end));
	printk("# waiter halted %llu times\n", kick_woken - 1);
	EXPECT(kick_woken >= 2);
	return TEST_PASS;
}
