// SPDX-License-Identifier: GPL-2.0
/*
 * Clocks and the one-shot timer: sched_clock never goes back and keeps
 * pace with the TSC, the wall clock reads a date this kernel can be
 * running at, counts seconds, and agrees with the host's clock when the
 * runner says what that was, and a timer interrupt never comes before
 * its delay.
 */
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <asm-generic/errno-base.h>
#include <proteus/bootinfo.h>
#include <proteus/cmdline.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/spinlock.h>

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

/* Why there is no wall clock to test here, or NULL. */
static const char *wallclock_missing(void)
{
	if (pv_ops.time.wallclock != native_wallclock)
		return NULL;
	if (boot_info.path == BOOT_XEN_PV)
		return "Xen PV cannot reach the CMOS clock, and Xen's wall clock is off (see the boot log)";
	return cmos_rtc_missing();
}

/*
 * hosttime=: the host's UTC seconds just before the runner started QEMU
 * (under QEMU the CMOS clock, under KVM kvmclock's wall clock, and under
 * Xen shared_info's, which Xen set from the CMOS clock, follow the host's). The guest has no clock of the host's to read for itself.
 */
static u64 host_time;

static int set_host_time(const char *val)
{
	return parse_u64(val, &host_time);
}
KERNEL_PARAM("hosttime", set_host_time);

/*
 * Neither QEMU's start nor firmware take this long before our entry; the
 * guest's own uptime (from the TSC) comes on top.
 */
#define HOST_START_SLACK_S	300

SELFTEST(time, wallclock_matches_host)
{
	u64 t, up_s;

	if (wallclock_missing())
		return skip(wallclock_missing());
	if (!host_time)
		return skip("no hosttime= given: the host's clock is unknown");
	t = wallclock();
	up_s = tsc_to_ns(rdtsc() - boot_info.entry_tsc) / NSEC_PER_SEC;
	printk("# wallclock %llu, host %llu before QEMU started, up %llu s\n",
	       t, host_time, up_s);
	EXPECT(t + 1 >= host_time);
	EXPECT(t <= host_time + HOST_START_SLACK_S + up_s);
	return TEST_PASS;
}

/*
 * The wall clock counts: within 5 s by the TSC it moves on, to the next
 * second unless we were descheduled (a step over a minute is no clock).
 */
SELFTEST(time, wallclock_advances)
{
	u64 w0, w1, end;

	if (wallclock_missing())
		return skip(wallclock_missing());
	if (!tsc_calibrated())
		return skip("the TSC is uncalibrated: no measure of 5 s to wait");
	w0 = wallclock();
	EXPECT(w0 != 0);
	end = tsc_deadline(5 * NSEC_PER_SEC);
	do {
		w1 = wallclock();
	} while (w1 == w0 && !tsc_passed(end));
	if (w1 <= w0 || w1 - w0 > 60)
		printk("# wallclock %llu, then %llu\n", w0, w1);
	EXPECT(w1 > w0);
	EXPECT(w1 - w0 <= 60);
	return TEST_PASS;
}

SELFTEST(time, wallclock_plausible)
{
	u64 t;

	if (wallclock_missing())
		return skip(wallclock_missing());
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
	u64 seen = timer_irq_count();
	int rc = timer_set_oneshot(deltas[0]);

	if (rc == -ENODEV)
		return skip("this CPU has no one-shot timer (set_oneshot: -ENODEV)");
	/* That first interrupt out of the way before the measured ones. */
	EXPECT_EQ(rc, 0);
	EXPECT(timer_wait(seen, WAIT_NS));
	for (i = 0; i < ARRAY_SIZE(deltas); i++) {
		enum test_result r = oneshot_after(deltas[i]);

		if (r != TEST_PASS)
			return r;
	}
	return TEST_PASS;
}
