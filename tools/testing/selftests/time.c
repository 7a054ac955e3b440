// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks and the one-shot timer: sched_clock never goes back and keeps
 * pace with the TSC, the wall clock reads a date this kernel can be
 * running at, and a timer interrupt never comes before its delay.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/spinlock.h>

#define US		1000ULL
#define MS		1000000ULL
/* A wait that passes never takes this long; a loaded host may stall us ms. */
#define WAIT_NS		(10000 * MS)
#define EPOCH_2024	1704067200ULL	/* 2024-01-01 00:00:00 UTC */
#define EPOCH_2100	4102444800ULL	/* 2100-01-01 00:00:00 UTC */

SELFTEST(time, sched_clock_monotonic)
{
	u64 prev = sched_clock(), start = prev;
	int i;

	for (i = 0; i < 1000; i++) {
		u64 now = sched_clock();

		EXPECT(now >= prev);
		prev = now;
	}
	/* 100 us of TSC later, sched_clock has moved on by about as much. */
	tsc_delay(100 * NSEC_PER_USEC);
	EXPECT(sched_clock() - start >= 100 * US);
	return TEST_PASS;
}

SELFTEST(time, wallclock_plausible)
{
	u64 t;

	if (boot_info.path == BOOT_XEN_PV)
		return skip("Xen PV cannot reach the CMOS clock; no Xen wallclock op yet");
	t = wallclock();
	if (t)
		printk("# wallclock %llu\n", t);
	EXPECT(t >= EPOCH_2024);
	EXPECT(t < EPOCH_2100);
	return TEST_PASS;
}

/* The handler's timestamp is at least delta after the moment we armed. */
static enum test_result oneshot_after(u64 delta_ns)
{
	u64 seen = timer_irq_count(), t0 = sched_clock();

	EXPECT_EQ(timer_set_oneshot(delta_ns), 0);
	EXPECT(timer_wait(seen, WAIT_NS));
	if (timer_irq_last_ns() - t0 < delta_ns)
		printk("# asked %llu ns, came after %llu ns\n", delta_ns,
		       timer_irq_last_ns() - t0);
	EXPECT(timer_irq_last_ns() - t0 >= delta_ns);
	return TEST_PASS;
}

SELFTEST(time, oneshot_deadline_respected)
{
	static const u64 deltas[] = { 50 * US, 300 * US, 2 * MS };
	unsigned int i;

	if (boot_info.path == BOOT_XEN_PV)
		return skip("Xen PV has no local APIC; events come with the Xen backend");
	for (i = 0; i < ARRAY_SIZE(deltas); i++) {
		enum test_result r = oneshot_after(deltas[i]);

		if (r != TEST_PASS)
			return r;
	}
	return TEST_PASS;
}
