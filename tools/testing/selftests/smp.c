// SPDX-License-Identifier: GPL-2.0
/*
 * SMP: every listed CPU online, cross-CPU calls, per-CPU clocks, TLB
 * shootdown, lock contention and stop_machine. The tests run on the boot
 * CPU and drive the others with cross-CPU calls; per-CPU results come
 * back through each CPU's scratch words. Each skips with one CPU.
 */
#include <asm/irq.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>

#define ANSWER_US	1000	/* far longer than a CPU with interrupts on needs */
/* Handoffs in all: a preempted vCPU makes each cost a host timeslice. */
#define LOCK_TOTAL	1200
/* A canonical region nothing else maps (the patcher's alias is at 1 << 46). */
#define SCRATCH_VA	0x0000500000000000ULL
#define PAGE_A_VALUE	0xa0a0a0a0a0a0a0a0ULL
#define PAGE_B_VALUE	0xb0b0b0b0b0b0b0b0ULL

static enum test_result need_two_cpus(void)
{
	return skip("one CPU online");
}

/* Whether cond(arg) holds within WAIT_NS. */
static bool eventually(bool (*cond)(u64 arg), u64 arg)
{
	u64 end = tsc_deadline(WAIT_NS);

	while (!cond(arg)) {
		if (tsc_passed(end))
			return false;
		cpu_relax();
	}
	return true;
}

/* Every other CPU's scratch[0] is n, and ours 0. */
static bool others_counted(u64 n)
{
	unsigned int cpu, self = smp_processor_id();

	for_each_cpu(cpu, cpu_online_mask)
		if (__atomic_load_n(&per_cpu(cpu)->scratch[0], __ATOMIC_ACQUIRE) !=
		    (cpu == self ? 0 : n))
			return false;
	return true;
}

static void clear_scratch(void)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_online_mask)
		memset(per_cpu(cpu)->scratch, 0, sizeof(per_cpu(cpu)->scratch));
}

/* On every platform, Xen PV included: the boot CPU's area through GS. */
SELFTEST(smp, boot_cpu_area_through_gs)
{
	EXPECT(cpu_online(0));		/* else GS may point nowhere yet */
	EXPECT(this_cpu() == per_cpu(0));
	EXPECT_EQ(smp_processor_id(), 0);
	return TEST_PASS;
}

static void report_apic_id(void *unused)
{
	this_cpu()->scratch[0] = cpu_initial_apic_id() + 1;
}

SELFTEST(smp, all_cpus_online)
{
	unsigned int cpu, other;

	if (pv_init.cpu_count() < 2)
		return skip("the platform lists one CPU");
	EXPECT_EQ(nr_cpus_online(), pv_init.cpu_count());
	for_each_cpu(cpu, cpu_online_mask)
		EXPECT_EQ(per_cpu(cpu)->cpu, cpu);
	/*
	 * Without an MADT (Xen PV: no local APIC) the hypervisor alone lists
	 * the vCPUs, and CPUID's APIC IDs need not tell them apart.
	 */
	if (!acpi_find_table("APIC"))
		return TEST_PASS;
	EXPECT_EQ(nr_cpus_online(), acpi_count_cpus());
	clear_scratch();
	smp_call_function(report_apic_id, NULL, true);
	report_apic_id(NULL);
	for_each_cpu(cpu, cpu_online_mask) {
		EXPECT_EQ(per_cpu(cpu)->scratch[0], cpu_apic_id(cpu) + 1ULL);
		for_each_cpu(other, cpu_online_mask)
			EXPECT(other == cpu ||
			       cpu_apic_id(other) != cpu_apic_id(cpu));
	}
	return TEST_PASS;
}

/*
 * The MADT's processor entries, decoded here apart from madt.c so that a
 * wrong rule there shows: enabled ones with a real APIC ID, and the rest
 * (hot-plug slots: only ONLINE_CAPABLE, or no flag at all). Stops where
 * an entry's length makes no sense, as madt.c does.
 */
struct madt_census {
	unsigned int enabled, slots;
	u32 slot_flags;		/* the slots' flags, or-ed */
};

static void madt_census(const struct acpi_table_header *t, struct madt_census *c)
{
	const u8 *p = (const u8 *)t + sizeof(struct acpi_madt);
	const u8 *end = (const u8 *)t + t->length;
	u32 flags, id;

	for (; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
		if (p[0] == ACPI_MADT_LAPIC && p[1] >= 8) {
			id = p[3] == 0xff ? ~0U : p[3];
			memcpy(&flags, p + 4, 4);
		} else if (p[0] == ACPI_MADT_X2APIC && p[1] >= 16) {
			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
		} else {
			continue;
		}
		if ((flags & ACPI_MADT_ENABLED) && id != ~0U) {
			c->enabled++;
		} else {
			c->slots++;
			c->slot_flags |= flags;
		}
	}
}

/*
 * With hot-plug slots in the MADT (QEMU -smp N,maxcpus=M, M > N), the CPU
 * count and the CPUs started are the enabled entries, slots left out.
 */
SELFTEST(smp, hotplug_slots_not_started)
{
	const struct acpi_table_header *t = acpi_find_table("APIC");
	struct madt_census c = { 0 };

	if (!t)
		return skip("no ACPI MADT");
	madt_census(t, &c);
	printk("# MADT: %u enabled processors, %u hot-plug slots (flags %#x)\n",
	       c.enabled, c.slots, c.slot_flags);
	if (!c.slots)
		return skip("the MADT lists no hot-plug slot");
	EXPECT_EQ(acpi_count_cpus(), c.enabled);
	EXPECT_EQ(nr_cpus_online(), c.enabled);
	return TEST_PASS;
}

/* Counts calls made as promised: on the CPU itself, interrupts off. */
static void count_call(void *unused)
{
	struct percpu *me = this_cpu();

	if (me == per_cpu(smp_processor_id()) && irqs_disabled())
		__atomic_fetch_add(&me->scratch[0], 1, __ATOMIC_RELEASE);
}

SELFTEST(smp, call_function_reaches_each)
{
	if (nr_cpus_online() < 2)
		return need_two_cpus();
	clear_scratch();
	smp_call_function(count_call, NULL, true);
	EXPECT(others_counted(1));
	/* Without waiting: each still runs it once, just later. */
	smp_call_function(count_call, NULL, false);
	EXPECT(eventually(others_counted, 2));
	return TEST_PASS;
}

static u64 clock_start;

/* scratch: 1 when monotonic and not before clock_start, then the last read. */
static void check_clock(void *unused)
{
	u64 *s = this_cpu()->scratch, prev = sched_clock(), now;
	bool ok = prev >= clock_start;
	int i;

	for (i = 0; i < 1000; i++) {
		now = sched_clock();
		ok &= now >= prev;
		prev = now;
	}
	s[1] = prev;
	s[0] = ok;
}

SELFTEST(smp, sched_clock_monotonic_every_cpu)
{
	unsigned int cpu;
	u64 end;

	if (nr_cpus_online() < 2)
		return need_two_cpus();
	clear_scratch();
	clock_start = sched_clock();
	smp_call_function(check_clock, NULL, true);
	check_clock(NULL);
	end = sched_clock();
	for_each_cpu(cpu, cpu_online_mask) {
		EXPECT_EQ(per_cpu(cpu)->scratch[0], 1);
		EXPECT(per_cpu(cpu)->scratch[1] <= end);
	}
	return TEST_PASS;
}

static void read_scratch_page(void *unused)
{
	this_cpu()->scratch[0] = *(volatile u64 *)SCRATCH_VA;
}

/* What every other CPU reads at SCRATCH_VA is value. */
static bool others_read(u64 value)
{
	unsigned int cpu, self = smp_processor_id();

	clear_scratch();
	smp_call_function(read_scratch_page, NULL, true);
	for_each_cpu(cpu, cpu_online_mask)
		if (cpu != self && per_cpu(cpu)->scratch[0] != value)
			return false;
	return true;
}

/*
 * Every other CPU caches a translation of SCRATCH_VA, we point it at
 * another frame and shoot it down, one page and then everything: stale
 * translations would show the old frame's value.
 */
SELFTEST(smp, tlb_shootdown)
{
	u64 *root = current_root(), *pte;
	const u64 flags = _PAGE_PRESENT | nx_bit();
	phys_addr_t a, b;
	bool saw_a, saw_b, saw_a_again;
	int level;

	if (nr_cpus_online() < 2)
		return need_two_cpus();
	if (!wx_enforced)
		return skip(wx_skip_reason);
	a = alloc_pages(0);
	b = alloc_pages(0);
	EXPECT(a && b);
	*(u64 *)phys_to_virt(a) = PAGE_A_VALUE;
	*(u64 *)phys_to_virt(b) = PAGE_B_VALUE;
	pgtable_map(root, SCRATCH_VA, a, PAGE_SIZE, flags, false);
	pte = pgtable_lookup(root, SCRATCH_VA, &level);
	saw_a = others_read(PAGE_A_VALUE);
	set_pte(pte, make_pte(b | flags));
	flush_tlb_multi(cpu_online_mask, SCRATCH_VA);
	saw_b = others_read(PAGE_B_VALUE) &&
		*(volatile u64 *)SCRATCH_VA == PAGE_B_VALUE;
	set_pte(pte, make_pte(a | flags));
	flush_tlb_multi(cpu_online_mask, FLUSH_TLB_ALL);
	saw_a_again = others_read(PAGE_A_VALUE);
	pgtable_unmap(root, SCRATCH_VA, PAGE_SIZE, cpu_online_mask);
	free_pages(a, 0);
	free_pages(b, 0);
	EXPECT(saw_a);
	EXPECT(saw_b);
	EXPECT(saw_a_again);
	return TEST_PASS;
}

static DEFINE_SPINLOCK(test_lock);
static u64 test_counter, test_finished;
static u32 test_rounds;

/* A read, a pause, a write: a lock that let two CPUs in would lose counts. */
static void hammer_lock(void *unused)
{
	u32 i;

	for (i = 0; i < test_rounds; i++) {
		u64 flags = spin_lock_irqsave(&test_lock);
		u64 v = *(volatile u64 *)&test_counter;

		cpu_relax();
		*(volatile u64 *)&test_counter = v + 1;
		spin_unlock_irqrestore(&test_lock, flags);
	}
	__atomic_fetch_add(&test_finished, 1, __ATOMIC_RELEASE);
}

static bool all_finished(u64 n)
{
	return __atomic_load_n(&test_finished, __ATOMIC_ACQUIRE) == n;
}

/*
 * Whether all n hammers finish, as long as the counter keeps moving: the
 * handoffs' total time depends on how the host schedules the vCPUs, so
 * only a stall of WAIT_MS counts as a hang.
 */
static bool finished_while_progressing(u64 n)
{
	u64 seen = READ_ONCE(test_counter);

	while (!eventually(all_finished, n)) {
		u64 now = READ_ONCE(test_counter);

		if (now == seen)
			return false;
		seen = now;
	}
	return true;
}

SELFTEST(smp, spinlock_contention)
{
	unsigned int n = nr_cpus_online();

	if (n < 2)
		return need_two_cpus();
	test_counter = 0;
	test_finished = 0;
	test_rounds = LOCK_TOTAL / n;
	smp_call_function(hammer_lock, NULL, false);
	hammer_lock(NULL);
	EXPECT(finished_while_progressing(n));
	EXPECT_EQ(test_counter, (u64)n * test_rounds);
	EXPECT(spin_trylock(&test_lock));
	spin_unlock(&test_lock);
	return TEST_PASS;
}


/*
 * The slow path: the boot CPU holds the lock until another CPU has spun
 * its laps and counted itself among the sleepers, so pv_lock_wait's loop,
 * not the short spin, decides when a waiter gets in. A waiter that finds
 * the holder still inside has broken the lock. A lock of its own, so a
 * broken one cannot hang the other tests.
 */
#define SLOW_ROUNDS	8

static DEFINE_SPINLOCK(slow_lock);
static volatile bool slow_inside, slow_stop;
static u32 slow_intruders;

static void slow_waiter(void *unused)
{
	while (!slow_stop) {
		spin_lock(&slow_lock);
		if (slow_inside)
			__atomic_fetch_add(&slow_intruders, 1, __ATOMIC_RELAXED);
		spin_unlock(&slow_lock);
		cpu_relax();
	}
	__atomic_fetch_add(&test_finished, 1, __ATOMIC_RELEASE);
}

static bool slow_lock_has_sleeper(u64 unused)
{
	return __atomic_load_n(&slow_lock.sleepers, __ATOMIC_ACQUIRE) != 0;
}

SELFTEST(smp, spinlock_slow_path_exclusive)
{
	unsigned int n = nr_cpus_online(), round, slept = 0;

	if (n < 2)
		return need_two_cpus();
	test_finished = 0;
	slow_intruders = 0;
	slow_stop = false;
	smp_call_function(slow_waiter, NULL, false);
	for (round = 0; round < SLOW_ROUNDS; round++) {
		u64 flags = spin_lock_irqsave(&slow_lock);

		slow_inside = true;
		slept += eventually(slow_lock_has_sleeper, 0);
		slow_inside = false;
		spin_unlock_irqrestore(&slow_lock, flags);
	}
	slow_stop = true;
	EXPECT(eventually(all_finished, n - 1));
	printk("# %u of %u holds saw a sleeping waiter\n", slept, SLOW_ROUNDS);
	EXPECT_EQ(slow_intruders, 0);
	EXPECT(slept > 0);
	return TEST_PASS;
}

/*
 * Inside the rendezvous: each other CPU's spin count must keep going up
 * (it is in the loop, not merely past it), and a call sent to all of
 * them must stay unanswered (they do nothing but spin).
 */
static int check_stopped(void *unused)
{
	unsigned int cpu, self = smp_processor_id();
	u64 end = tsc_deadline(WAIT_NS);

	if (!irqs_disabled())
		return -1;
	for_each_cpu(cpu, cpu_online_mask) {
		const volatile u64 *spins = &per_cpu(cpu)->stop_spins;
		u64 before = *spins;

		if (cpu == self)
			continue;
		while (*spins == before) {
			if (tsc_passed(end))
				return -2;
			cpu_relax();
		}
	}
	clear_scratch();
	smp_call_function(count_call, NULL, false);
	tsc_delay(ANSWER_US * NSEC_PER_USEC);
	return others_counted(0) ? 42 : -3;
}

SELFTEST(smp, stop_machine)
{
	if (nr_cpus_online() < 2)
		return need_two_cpus();
	EXPECT_EQ(stop_machine(check_stopped, NULL), 42);
	/* Released, they take the call they held off. */
	EXPECT(eventually(others_counted, 1));
	return TEST_PASS;
}

/* The all-but-self shorthand reaches every other online CPU, once each. */
static u64 allbutself_hits[MAX_CPUS];

static void count_allbutself(struct pt_regs *regs)
{
	__atomic_add_fetch(&allbutself_hits[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

static bool others_hit_once(u64 unused)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_online_mask)
		if (cpu != smp_processor_id() &&
		    __atomic_load_n(&allbutself_hits[cpu], __ATOMIC_ACQUIRE) != 1)
			return false;
	return true;
}

SELFTEST(smp, ipi_allbutself)
{
	int vector;
	bool ok;

	if (nr_cpus_online() < 2)
		return need_two_cpus();
	memset(allbutself_hits, 0, sizeof(allbutself_hits));
	vector = irq_alloc_vector(count_allbutself);
	EXPECT(vector >= 0);
	send_ipi_allbutself((unsigned int)vector);
	ok = eventually(others_hit_once, 0);
	tsc_delay(100 * NSEC_PER_USEC);		/* time for a duplicate to show */
	irq_free_vector((unsigned int)vector);
	EXPECT(ok);
	EXPECT(others_hit_once(0));
	EXPECT_EQ(allbutself_hits[smp_processor_id()], 0);
	return TEST_PASS;
}

/*
 * send_ipi_mask reaches exactly the CPUs in the mask, once each, for every
 * set of other CPUs (up to 63 sets): the PV IPI path packs APIC IDs into
 * bitmaps, where an off-by-one would hit a neighbour.
 */
static u64 mask_expected;

static bool hits_match(u64 unused)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_online_mask)
		if (__atomic_load_n(&allbutself_hits[cpu], __ATOMIC_ACQUIRE) !=
		    !!(mask_expected & (1ULL << cpu)))
			return false;
	return true;
}

static enum test_result ipi_one_set(unsigned int vector, u64 set)
{
	struct cpumask m = { set };
	bool ok;

	memset(allbutself_hits, 0, sizeof(allbutself_hits));
	mask_expected = set;
	send_ipi_mask(&m, vector);
	ok = eventually(hits_match, 0);
	tsc_delay(50 * NSEC_PER_USEC);		/* time for a stray one to show */
	if (!ok || !hits_match(0))
		printk("# IPI to set %#llx missed or hit another CPU\n",
		       (unsigned long long)set);
	EXPECT(ok);
	EXPECT(hits_match(0));
	return TEST_PASS;
}

SELFTEST(smp, ipi_mask_exact_targets)
{
	u64 others = cpumask_bits(cpu_online_mask) & ~(1ULL << smp_processor_id());
	u64 set = 0;
	unsigned int n = 0;
	enum test_result r = TEST_PASS;
	int vector;

	if (nr_cpus_online() < 2)
		return need_two_cpus();
	vector = irq_alloc_vector(count_allbutself);
	EXPECT(vector >= 0);
	/* Every subset of others, in order: set = (set - others) & others. */
	do {
		set = (set - others) & others;
		if (set)
			r = ipi_one_set((unsigned int)vector, set);
	} while (set && r == TEST_PASS && ++n < 63);
	irq_free_vector((unsigned int)vector);
	return r;
}
