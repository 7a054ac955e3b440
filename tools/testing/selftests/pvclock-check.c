// SPDX-License-Identifier: GPL-2.0
/*
 * The check kvm.kvmclock_follows_tsc and xen.pvclock_follows_tsc share:
 * over 2 ms a pvclock record's time moves with the TSC at the rate the
 * record states. Each end is a record reading paired with the TSC: of
 * several tries, the one with the narrowest TSC bracket, so that neither
 * a slow (emulated) read nor a vCPU descheduled in the middle of one
 * weighs on the comparison; its TSC is the bracket's middle, within half
 * the bracket of the one the reader used. Tolerance: the two half
 * brackets (what a read costs here, measured) plus 1% for the hypervisor
 * adjusting the record's rate meanwhile.
 */
#include <asm/processor.h>
#include <asm/pvclock.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>

struct clock_pair {
	u64 tsc, ns, bracket;
};

#define PAIR_TRIES	8

static void closest_pair(const struct pvclock_vcpu_time_info *t,
			 struct clock_pair *p)
{
	unsigned int i;
	u8 flags;

	p->bracket = ~0ULL;
	for (i = 0; i < PAIR_TRIES; i++) {
		u64 before = rdtsc(), ns = pvclock_read_raw(t, &flags);
		u64 after = rdtsc();

		if (after - before < p->bracket) {
			p->bracket = after - before;
			p->tsc = before + p->bracket / 2;
			p->ns = ns;
		}
	}
}

enum test_result pvclock_follows_tsc(const char *what,
				     const struct pvclock_vcpu_time_info *t, u64 khz)
{
	struct clock_pair p0, p1;
	u64 by_tsc, by_clock, diff, slack;

	closest_pair(t, &p0);
	tsc_delay(2 * MS);
	closest_pair(t, &p1);
	EXPECT(p1.ns > p0.ns);
	by_tsc = cycles_to_ns(p1.tsc - p0.tsc, khz);
	by_clock = p1.ns - p0.ns;
	diff = by_tsc > by_clock ? by_tsc - by_clock : by_clock - by_tsc;
	slack = cycles_to_ns(p0.bracket / 2 + p1.bracket / 2 + 2, khz) + by_tsc / 100;
	printk("# %s %llu ns, TSC %llu ns, reads bracketed by %llu and %llu ticks\n",
	       what, by_clock, by_tsc, p0.bracket, p1.bracket);
	EXPECT(diff <= slack);
	return TEST_PASS;
}
