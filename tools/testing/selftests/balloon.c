// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-balloon follows num_pages. The test says "balloon: ready", then
 * waits (bounded) for the device's num_pages to change (the runner's QMP
 * `balloon` to 16 MiB below RAM), follows it, and checks that the device
 * reads back actual equal to the driver's target, that the target is the
 * request unless memory bounded it, that the free count fell by at least
 * the pages ballooned, and that ballooned frames are not in the
 * allocator's free set; "balloon: inflated" tells the runner, which
 * compares query-balloon and asks for all the RAM back. After the deflate,
 * actual must read 0 and the same frames must be free again. With
 * DEFLATE_ON_OOM the deflate is not the driver's following num_pages but
 * the allocator's reclaimer, on a request larger than all memory.
 *
 * While inflated (the one time num_pages is not 0), a misordered chain on
 * the inflate queue (virtio_send_misordered: QEMU sets DEVICE_NEEDS_RESET)
 * must restart the device once: the driver gives every page back (free
 * count up by at least them), holds 0 and the device reads actual 0;
 * then one update must inflate to num_pages again, checked as before.
 * Legacy and packed devices are left out with a line. After
 * "balloon: deflated" it serves the stats queue until a request came
 * (bounded) and says how many it answered: the runner, which turned on
 * QEMU's stats polling, wants at least one.
 *
 * The waits halt until the device interrupts (virtio_balloon_wait), and
 * the driver rereads num_pages only after a configuration-change
 * interrupt: where the device has an interrupt, each change must have
 * brought one, and a num_pages the device changed but the driver never
 * followed within BALLOON_WAIT_S is a FAIL (the interrupt was lost).
 * SKIP without a balloon device (a plain boot), and when no one changes
 * num_pages within BALLOON_WAIT_S (a balloon booted by hand, undriven):
 * a reason, not a failure. A device the driver could not run is a FAIL.
 */
#include <asm/pv/ops.h>
#include <asm/processor.h>
#include <linux/virtio_ids.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/virtio.h>
#include <proteus/virtio_balloon.h>

/*
 * The runner answers the ready line within a second; a person at a QEMU
 * monitor needs longer. Wall time (sched_clock), so the emulating KVM
 * waits no longer than TCG does.
 */
#define BALLOON_WAIT_S		30
/*
 * QEMU returns the stats buffer every guest-stats-polling-interval, which
 * the runner sets to 1 s once it has checked the deflate: the runner's
 * last QMP commands come while the guest waits here.
 */
#define STATS_WAIT_S		10
/* Frames checked in and out of the free set: a fixed cost, whatever the RAM. */
#define CHECKED_FRAMES		64

static phys_addr_t frames[CHECKED_FRAMES];

/*
 * Until num_pages differs from @from and, when @follow, the driver has
 * reached its target: 1, 0 on timeout, -1 when the device failed or a
 * change was never followed. Between looks it halts until the device
 * interrupts.
 */
static int wait_change(u32 from, struct balloon_status *s, bool follow)
{
	u64 start = sched_clock(), left = BALLOON_WAIT_S * 1000 * MS, spent, seen;

	while ((spent = sched_clock() - start) < left) {
		seen = virtio_balloon_irqs();
		if ((follow && virtio_balloon_update()) || virtio_balloon_status(s))
			return -1;
		if (s->num_pages != from &&
		    (!follow || (s->followed == s->num_pages && s->held == s->target)))
			return 1;
		virtio_balloon_wait(seen, left - spent);
	}
	if (follow && s->num_pages != from) {
		printk("# num_pages %u for %u s, the driver still follows %u: its configuration-change interrupt was not taken\n",
		       s->num_pages, BALLOON_WAIT_S, s->followed);
		return -1;
	}
	return 0;
}

/* A device with an interrupt told each change with one. */
static enum test_result change_interrupted(const struct balloon_status *s, u64 before)
{
	printk("# %llu configuration-change interrupts (%s)\n",
	       (unsigned long long)(s->config_changes - before),
	       s->polled ? "polled device: none expected" : "at least one expected");
	EXPECT(s->polled || s->config_changes > before);
	return TEST_PASS;
}

/*
 * DEFLATE_ON_OOM: a request larger than all free memory, the balloon's
 * included, fails; on the way the allocator's reclaimer must have emptied
 * the balloon (it was not asked to: num_pages is not followed here).
 */
static enum test_result oom_deflates(u32 held)
{
	u64 want = page_alloc_free_pages() + held;
	struct balloon_status s;
	unsigned int order = 0;

	while ((1ULL << order) <= want)
		order++;
	if (order > PAGE_ALLOC_MAX_ORDER) {
		printk("# %llu frames: no block size exceeds them; DEFLATE_ON_OOM not tried\n",
		       (unsigned long long)want);
		return TEST_PASS;
	}
	EXPECT(!alloc_pages(order));
	EXPECT(!virtio_balloon_status(&s));
	printk("# an order-%u request failed; the balloon gave back %u of %u pages\n", order,
	       held - s.held, held);
	EXPECT_EQ(s.held, 0);
	EXPECT_EQ(s.actual, 0);
	return TEST_PASS;
}

/* actual as the device reads it is the driver's, and the request's unless bounded. */
static enum test_result reached(const struct balloon_status *s)
{
	printk("# num_pages %u, target %u, held %u, device's actual %u, stats answered %llu\n",
	       s->num_pages, s->target, s->held, s->actual,
	       (unsigned long long)s->stats_answered);
	EXPECT_EQ(s->actual, s->held);
	EXPECT_EQ(s->held, s->target);
	if (s->target != s->num_pages)
		printk("# the kernel could spare only %u of the %u pages asked\n",
		       s->target, s->num_pages);
	EXPECT(s->target <= s->num_pages);
	return TEST_PASS;
}

static enum test_result inflated(const struct balloon_status *s, u64 free_before,
				 unsigned int *n)
{
	unsigned int i;

	if (reached(s) != TEST_PASS)
		return TEST_FAIL;
	EXPECT(s->held > 0);
	printk("# free frames %llu before, %llu after\n", (unsigned long long)free_before,
	       (unsigned long long)page_alloc_free_pages());
	EXPECT(free_before - page_alloc_free_pages() >= s->held);
	*n = virtio_balloon_frames(frames, CHECKED_FRAMES);
	EXPECT_EQ(*n, MIN(s->held, CHECKED_FRAMES));
	for (i = 0; i < *n; i++)
		EXPECT(!page_alloc_frame_free(frames[i]));
	return TEST_PASS;
}

/* The latest frames taken go back first: those given back are free again. */
static enum test_result deflated(const struct balloon_status *s, u32 held_before,
				 unsigned int n)
{
	unsigned int i, back = held_before - s->held;

	if (reached(s) != TEST_PASS)
		return TEST_FAIL;
	EXPECT(s->held < held_before);
	for (i = 0; i < n && i < back; i++)
		EXPECT(page_alloc_frame_free(frames[i]));
	return TEST_PASS;
}

/*
 * Serve stats requests until one more was answered, up to STATS_WAIT_S:
 * how many were answered in all. None is not a failure here (QEMU asks
 * only when told a polling interval); the runner checks what QEMU got.
 */
static u64 serve_stats(u64 before)
{
	struct balloon_status s = { 0 };
	u64 start = sched_clock(), seen;

	while (sched_clock() - start < STATS_WAIT_S * 1000 * MS) {
		seen = virtio_balloon_irqs();
		if (virtio_balloon_update() || virtio_balloon_status(&s) ||
		    s.stats_answered > before)
			break;
		virtio_balloon_wait(seen, STATS_WAIT_S * 1000 * MS);
	}
	return s.stats_answered;
}

/* DEVICE_NEEDS_RESET while inflated: all given back, then followed again. */
static enum test_result restarts_inflated(struct balloon_status *s, u64 free_before,
					  unsigned int *n)
{
	const char *out = virtio_misordered_left_out(virtio_balloon_device());
	unsigned int restarts = s->restarts;
	u64 free_held = page_alloc_free_pages();
	u32 held = s->held;

	if (out) {
		printk("# restart not tried: %s\n", out);
		return TEST_PASS;
	}
	EXPECT(virtio_balloon_send_misordered() == -1);
	EXPECT(!virtio_balloon_status(s));
	printk("# restarted: held %u, actual %u (held %u before); free frames %llu, %llu before\n",
	       s->held, s->actual, held, (unsigned long long)page_alloc_free_pages(),
	       (unsigned long long)free_held);
	EXPECT_EQ(s->restarts, restarts + 1);
	EXPECT_EQ(s->held, 0);
	EXPECT_EQ(s->actual, 0);
	EXPECT(page_alloc_free_pages() >= free_held + held);
	EXPECT(!virtio_balloon_update());
	EXPECT(!virtio_balloon_status(s));
	EXPECT_EQ(s->followed, s->num_pages);
	return inflated(s, free_before, n);
}

SELFTEST(balloon, follows_num_pages)
{
	struct balloon_status s;
	unsigned int n = 0;
	u64 free_before, changes;
	u32 from, held;
	bool oom;
	int rc;

	if (!virtio_count(VIRTIO_ID_BALLOON))
		return skip("no virtio-balloon device");
	if (!virtio_balloon_running() || virtio_balloon_update() ||
	    virtio_balloon_status(&s)) {
		printk("# a virtio-balloon device was found but does not run\n");
		return TEST_FAIL;
	}
	from = s.num_pages;
	changes = s.config_changes;
	free_before = page_alloc_free_pages() + s.held;
	printk("balloon: ready pages=%u actual=%u\n", s.num_pages, s.actual);
	rc = wait_change(from, &s, true);
	if (!rc)
		return skip("num_pages unchanged for 30 s: no one drove the balloon (QMP balloon)");
	EXPECT(rc > 0);
	if (change_interrupted(&s, changes) != TEST_PASS)
		return TEST_FAIL;
	if (inflated(&s, free_before, &n) != TEST_PASS ||
	    restarts_inflated(&s, free_before, &n) != TEST_PASS)
		return TEST_FAIL;
	printk("balloon: inflated actual=%u\n", s.actual);
	from = s.num_pages;
	changes = s.config_changes;
	held = s.held;
	oom = s.deflate_on_oom;
	rc = wait_change(from, &s, !oom);
	if (!rc)
		return skip("inflated, but num_pages unchanged for 30 s after: no deflate asked");
	EXPECT(rc > 0);
	if (oom && (oom_deflates(held) != TEST_PASS || wait_change(from, &s, true) <= 0))
		return TEST_FAIL;
	if (change_interrupted(&s, changes) != TEST_PASS)
		return TEST_FAIL;
	if (deflated(&s, held, n) != TEST_PASS)
		return TEST_FAIL;
	printk("balloon: deflated actual=%u\n", s.actual);
	printk("balloon: stats answered=%llu\n",
	       (unsigned long long)serve_stats(s.stats_answered));
	return TEST_PASS;
}
