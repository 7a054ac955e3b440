// SPDX-License-Identifier: GPL-2.0
/*
 * Xen time, in both Xen modes: the pvclock record in each vCPU's
 * vcpu_info never goes back through sched_clock and moves with the TSC,
 * the wall clock is shared_info's plus system time and agrees with the
 * CMOS clock, and the runstate area accounts for every nanosecond: what we
 * spin is running, what we halt is blocked, and steal time is neither.
 * The generic time.* tests run on these ops as well (hosttime= included).
 */
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/pv/init.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <asm/pvclock.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include <xen/errno.h>
#include "../../../backends/xen/clock.h"
#include "../../../backends/xen/events.h"

#define MONOTONIC_READS	10000

static const char *clock_missing(void)
{
	if (strncmp(pv_backend->name, "xen-", 4))
		return "not a Xen guest (no vcpu_time_info)";
	return xen_clock_off();
}

static const struct pvclock_vcpu_time_info *my_record(void)
{
	return (const struct pvclock_vcpu_time_info *)&xen_vcpu_info()->time;
}

/* scratch[0]: record valid; [1]: steps back; [2]: a pvclock_read. */
static void read_own_clock(void *unused)
{
	u64 *s = this_cpu()->scratch, prev = sched_clock(), back = 0;
	unsigned int i;

	s[0] = pvclock_valid(my_record());
	for (i = 0; i < MONOTONIC_READS; i++) {
		u64 now = sched_clock();

		back += now < prev;
		prev = now;
	}
	s[1] = back;
	s[2] = pvclock_read(my_record());
}

/*
 * sched_clock is Xen's (or the TSC Xen vouches for) and never goes back
 * over many reads on each vCPU; a reading on another vCPU lies between
 * two of ours.
 */
SELFTEST(xen, pvclock_monotonic_every_cpu)
{
	const char *source;
	unsigned int cpu;

	if (clock_missing())
		return skip(clock_missing());
	source = pv_init.clock_select(NULL);
	printk("# sched_clock source %s\n", source);
	EXPECT(!strcmp(source, "xen") || !strcmp(source, "tsc"));
	read_own_clock(NULL);
	EXPECT_EQ(this_cpu()->scratch[0], 1);
	EXPECT_EQ(this_cpu()->scratch[1], 0);
	for_each_cpu(cpu, cpu_online_mask) {
		struct cpumask one = { 1ULL << cpu };
		u64 before, after;

		if (cpu == smp_processor_id())
			continue;
		before = pvclock_read(my_record());
		smp_call_function_many(&one, read_own_clock, NULL, true);
		after = pvclock_read(my_record());
		EXPECT_EQ(per_cpu(cpu)->scratch[0], 1);
		EXPECT_EQ(per_cpu(cpu)->scratch[1], 0);
		EXPECT(per_cpu(cpu)->scratch[2] >= before);
		EXPECT(per_cpu(cpu)->scratch[2] <= after);
	}
	return TEST_PASS;
}

/*
 * Over 2 ms the record's time moves with the TSC at the rate the record
 * states; tolerance: the half brackets (the measured cost of a read) and
 * 1% for Xen adjusting the rate meanwhile. The kernel's TSC rate (Xen's
 * CPUID leaf) agrees with the record's to 1%.
 */
SELFTEST(xen, pvclock_follows_tsc)
{
	const struct pvclock_vcpu_time_info *t;
	u64 khz;

	if (clock_missing())
		return skip(clock_missing());
	t = my_record();
	khz = pvclock_tsc_khz(t);
	printk("# record says %llu kHz, kernel uses %llu kHz\n", khz, tsc_khz());
	EXPECT(khz != 0);
	EXPECT(tsc_khz() * 100 >= khz * 99 && tsc_khz() * 100 <= khz * 101);
	return pvclock_follows_tsc("pvclock", t, khz);
}

/*
 * The wallclock op is shared_info's wall clock plus the system time: it
 * lies between the two sums taken around it (whole seconds), and Xen's
 * base is a date this kernel can be running at.
 */
SELFTEST(xen, wallclock_from_shared_info)
{
	u64 base, before, after, w;
	u8 flags;

	if (clock_missing())
		return skip(clock_missing());
	base = xen_wallclock_base_ns();
	before = (base + pvclock_read_raw(my_record(), &flags)) / NSEC_PER_SEC;
	w = wallclock();
	after = (xen_wallclock_base_ns() + pvclock_read_raw(my_record(), &flags)) /
		NSEC_PER_SEC;
	printk("# shared_info wall clock base %llu s, wallclock %llu in %llu..%llu\n",
	       base / NSEC_PER_SEC, w, before, after);
	EXPECT(base / NSEC_PER_SEC >= 1704067200ULL);	/* 2024-01-01 */
	EXPECT(w >= before && w <= after);
	return TEST_PASS;
}

/*
 * Xen read the CMOS clock at its boot; the emulated CMOS clock has kept
 * counting: the two agree within 2 s (their phases, whole seconds).
 */
SELFTEST(xen, wallclock_matches_rtc)
{
	u64 xen, rtc0, rtc1;

	if (clock_missing())
		return skip(clock_missing());
	if (cmos_rtc_missing())
		return skip(cmos_rtc_missing());
	rtc0 = native_wallclock();
	xen = wallclock();
	rtc1 = native_wallclock();
	printk("# xen wallclock %llu, CMOS %llu..%llu\n", xen, rtc0, rtc1);
	EXPECT(rtc0 && rtc1 >= rtc0);
	EXPECT(xen + 2 >= rtc0 && xen <= rtc1 + 2);
	return TEST_PASS;
}

/*
 * This vCPU's runstate, with the current state's time up to the system
 * time now added in (the area is only written at state changes).
 */
struct runstate_snap {
	u64 now, time[4];
	int state;
};

static bool snap(struct runstate_snap *s)
{
	struct vcpu_runstate_info r;
	u8 flags;

	if (!xen_runstate_read(smp_processor_id(), &r))
		return false;
	s->now = pvclock_read_raw(my_record(), &flags);
	memcpy(s->time, r.time, sizeof(s->time));
	s->state = r.state;
	if (r.state >= 0 && r.state < 4 && s->now > r.state_entry_time)
		s->time[r.state] += s->now - r.state_entry_time;
	return true;
}

static u64 grew(const struct runstate_snap *a, const struct runstate_snap *b, int state)
{
	return b->time[state] - a->time[state];
}

static u64 steal_of(const struct runstate_snap *s)
{
	return s->time[RUNSTATE_runnable] + s->time[RUNSTATE_offline];
}

/*
 * Halt until the timer interrupt, delta from now: HALTED, or LATE when
 * this vCPU reached its first hlt with less than HALT_MARGIN of the delta
 * left (a host that deschedules us lets the timer fire before we halt, so
 * we never block), or NO_IRQ when no interrupt came.
 */
enum halt_result { HALTED, LATE, NO_IRQ };
#define HALT_MARGIN	(1 * MS)
#define HALT_TRIES	20

static enum halt_result halt_for(u64 delta)
{
	u64 seen = timer_irq_count(), end = tsc_deadline(delta + WAIT_NS), t0;
	u64 flags = irq_save();
	bool late;

	t0 = sched_clock();
	if (timer_set_oneshot(delta)) {
		restore_flags(flags);
		return NO_IRQ;
	}
	late = sched_clock() - t0 + HALT_MARGIN > delta;
	while (timer_irq_count() == seen && !tsc_passed(end)) {
		safe_halt();
		irq_disable();
	}
	restore_flags(flags);
	if (timer_irq_count() == seen)
		return NO_IRQ;
	return late ? LATE : HALTED;
}

/* Halt 3 ms, retrying a late halt: NULL, or why no halt blocked. */
static const char *halt_3ms(void)
{
	enum halt_result r = LATE;
	int i;

	for (i = 0; i < HALT_TRIES && r == LATE; i++)
		r = halt_for(3 * MS);
	if (r == NO_IRQ)
		return "no timer interrupt to end a halt (set_oneshot refused)";
	if (r == LATE)
		return "never reached hlt within 2 ms of arming a 3 ms timer "
		       "(the host keeps descheduling this vCPU)";
	return NULL;
}

/*
 * We read our own area while running; spinning 2 ms is all running
 * (or stolen), none blocked; halting 3 ms is blocked. The four times
 * account for the system time that passed (Xen: they never drift from
 * it), and the steal_clock op moved by no more than runnable + offline
 * did around it.
 */
SELFTEST(xen, runstate_accounts_spin_and_halt)
{
	struct runstate_snap a, b, c;
	u64 s0, s1, total;
	const char *why;
	int i;

	if (xen_steal_off())
		return skip(xen_steal_off());
	EXPECT(snap(&a));
	s0 = steal_clock(smp_processor_id());
	EXPECT_EQ(a.state, RUNSTATE_running);
	tsc_delay(2 * MS);
	EXPECT(snap(&b));
	EXPECT_EQ(b.state, RUNSTATE_running);
	EXPECT(grew(&a, &b, RUNSTATE_running) > 0);
	EXPECT_EQ(grew(&a, &b, RUNSTATE_blocked), 0);
	why = halt_3ms();
	if (why)
		return skip(why);
	s1 = steal_clock(smp_processor_id());
	EXPECT(snap(&c));
	for (total = 0, i = 0; i < 4; i++)
		total += grew(&a, &c, i);
	printk("# over %llu ns: running %llu, runnable %llu, blocked %llu, offline %llu; steal op +%llu\n",
	       c.now - a.now, grew(&a, &c, RUNSTATE_running), grew(&a, &c, RUNSTATE_runnable),
	       grew(&a, &c, RUNSTATE_blocked), grew(&a, &c, RUNSTATE_offline), s1 - s0);
	EXPECT(total + US >= c.now - a.now && total <= c.now - a.now + US);
	EXPECT(grew(&b, &c, RUNSTATE_blocked) > 0);
	EXPECT(s1 >= s0);
	EXPECT(s0 >= steal_of(&a) && s1 <= steal_of(&c));
	return TEST_PASS;
}

/*
 * Runstate areas Xen must refuse: under PV one in Xen's own range
 * (-EFAULT: guest_handle_okay; a PVH guest's addresses pass that check,
 * xen/arch/x86/include/asm/guest_access.h), in both modes one for a vCPU
 * id the domain lacks (-ENOENT). Xen keeps writing the area it had and
 * the kernel keeps reading it: a halt still shows as blocked time.
 */
SELFTEST(xen, refused_runstate_area_keeps_old)
{
	static struct vcpu_runstate_info spare __aligned(64);
	unsigned int absent = pv_init.cpu_count();
	struct vcpu_runstate_info copy;
	struct runstate_snap a, b;
	const char *why;
	int i;

	if (xen_steal_off())
		return skip(xen_steal_off());
	if (boot_info.path == BOOT_XEN_PV)
		EXPECT_EQ(xen_register_runstate(smp_processor_id(),
						(struct vcpu_runstate_info *)HYPERVISOR_VIRT_START),
			  -XEN_EFAULT);
	if (absent < MAX_CPUS) {
		EXPECT_EQ(xen_register_runstate(absent, &spare), -XEN_ENOENT);
		EXPECT(!xen_runstate_read(absent, &copy));
	}
	/*
	 * A halt whose timer fired between the lateness check and hlt never
	 * blocks (1 of 15 xen-pvh boots under --stress): halt again.
	 */
	for (i = 0; i < HALT_TRIES; i++) {
		EXPECT(snap(&a));
		why = halt_3ms();
		if (why)
			return skip(why);
		EXPECT(snap(&b));
		if (grew(&a, &b, RUNSTATE_blocked) > 0)
			break;
	}
	EXPECT(grew(&a, &b, RUNSTATE_blocked) > 0);
	return TEST_PASS;
}

/* Every online vCPU has an area, read from here; steal never goes back. */
SELFTEST(xen, steal_time_every_cpu)
{
	struct vcpu_runstate_info r;
	u64 first[MAX_CPUS];
	unsigned int cpu;

	if (xen_steal_off())
		return skip(xen_steal_off());
	for_each_cpu(cpu, cpu_online_mask) {
		EXPECT(xen_runstate_read(cpu, &r));
		EXPECT(r.state_entry_time != 0);
		first[cpu] = steal_clock(cpu);
	}
	tsc_delay(5 * MS);
	for_each_cpu(cpu, cpu_online_mask) {
		u64 now = steal_clock(cpu);

		printk("# vCPU %u: steal %llu ns\n", cpu, now);
		EXPECT(now >= first[cpu]);
	}
	return TEST_PASS;
}
