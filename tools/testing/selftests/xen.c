// SPDX-License-Identifier: GPL-2.0
/*
 * Xen event channels, in both Xen modes: an event on a loopback channel
 * (this domain to itself) reaches its handler exactly once; a masked port
 * holds its event until unmasked; disabled interrupts hold off the upcall
 * until enabled; VIRQ_TIMER ends a halt; requests Xen refuses come
 * back as errors; and a refused vcpu_info move (PVH) leaves events on
 * the vcpu_info in use. Each wait is bounded by the TSC; "not delivered" is
 * checked across a hypercall, on whose return Xen would deliver.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/memmap.h>
#include <proteus/selftest.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include <xen/errno.h>
#include "../../../backends/xen/events.h"
#include "../../../backends/xen/xen.h"

/* Why the event tests cannot run here, or NULL. */
static const char *events_missing(void)
{
	if (strncmp(pv_backend->name, "xen-", 4))
		return "not a Xen guest (no event channels)";
	return xen_events_off();
}

static void count_only(evtchn_port_t port, struct pt_regs *regs)
{
}

/* Spin with interrupts on until port's count passes seen, or timeout. */
static bool wait_event(evtchn_port_t port, u64 seen, u64 timeout_ns)
{
	u64 end = tsc_deadline(timeout_ns);
	u64 flags = irq_save();

	irq_enable();
	while (xen_evtchn_count(port) == seen && !tsc_passed(end))
		cpu_relax();
	restore_flags(flags);
	return xen_evtchn_count(port) != seen;
}

/* A loopback channel with both ends unmasked, or why not. */
static enum test_result open_loopback(evtchn_port_t ends[2])
{
	int rc = xen_evtchn_loopback(ends, count_only);

	if (rc)
		printk("# loopback channel: %d\n", rc);
	EXPECT_EQ(rc, 0);
	EXPECT(ends[0] != ends[1]);
	return TEST_PASS;
}

static void close_loopback(const evtchn_port_t ends[2])
{
	xen_evtchn_close(ends[0]);
	xen_evtchn_close(ends[1]);
}

/* body over a fresh loopback channel, closed afterwards. */
static enum test_result on_loopback(enum test_result (*body)(const evtchn_port_t e[2]))
{
	evtchn_port_t e[2];
	enum test_result r;

	if (events_missing())
		return skip(events_missing());
	r = open_loopback(e);
	if (r != TEST_PASS)
		return r;
	r = body(e);
	close_loopback(e);
	return r;
}

static enum test_result loopback_once(const evtchn_port_t e[2])
{
	u64 to = xen_evtchn_count(e[1]), from = xen_evtchn_count(e[0]);

	xen_evtchn_unmask(e[0]);
	xen_evtchn_unmask(e[1]);
	/* Nothing before the send, interrupts on. */
	wait_event(e[1], to, 1 * MS);
	EXPECT_EQ(xen_evtchn_count(e[1]), to);
	EXPECT_EQ(xen_evtchn_send(e[0]), 0);
	EXPECT(wait_event(e[1], to, WAIT_NS));
	/* A second delivery would come within the same waits. */
	wait_event(e[1], to + 1, 1 * MS);
	EXPECT_EQ(xen_evtchn_send(e[1]), 0);
	EXPECT(wait_event(e[0], from, WAIT_NS));
	wait_event(e[0], from + 1, 1 * MS);
	EXPECT_EQ(xen_evtchn_count(e[1]), to + 1);
	EXPECT_EQ(xen_evtchn_count(e[0]), from + 1);
	EXPECT(!xen_evtchn_pending(e[0]) && !xen_evtchn_pending(e[1]));
	return TEST_PASS;
}

SELFTEST(xen, loopback_delivered_once)
{
	return on_loopback(loopback_once);
}

static enum test_result masked_held(const evtchn_port_t e[2])
{
	u64 seen = xen_evtchn_count(e[1]);

	xen_evtchn_unmask(e[0]);
	EXPECT_EQ(xen_evtchn_send(e[0]), 0);
	/* Interrupts on across a hypercall and a millisecond: still held. */
	wait_event(e[1], seen, 1 * MS);
	EXPECT_EQ(xen_evtchn_send(e[0]), 0);
	EXPECT_EQ(xen_evtchn_count(e[1]), seen);
	EXPECT(xen_evtchn_pending(e[1]));
	xen_evtchn_unmask(e[1]);
	EXPECT(wait_event(e[1], seen, WAIT_NS));
	wait_event(e[1], seen + 1, 1 * MS);
	/* Two sends while masked are one pending bit: one delivery. */
	EXPECT_EQ(xen_evtchn_count(e[1]), seen + 1);
	EXPECT(!xen_evtchn_pending(e[1]));
	return TEST_PASS;
}

SELFTEST(xen, masked_port_held_until_unmask)
{
	return on_loopback(masked_held);
}

/*
 * irq_disable holds the event off across the send (a hypercall, whose
 * return would deliver it) and a millisecond; irq_enable takes it at once,
 * as its contract says, not at some later entry to Xen.
 */
static enum test_result irq_off_held(const evtchn_port_t e[2])
{
	u64 seen = xen_evtchn_count(e[1]), flags = save_flags(), held, at_enable;
	bool upcall_pending;

	xen_evtchn_unmask(e[0]);
	xen_evtchn_unmask(e[1]);
	irq_disable();
	EXPECT_EQ(xen_evtchn_send(e[0]), 0);
	tsc_delay(1 * MS);
	held = xen_evtchn_count(e[1]);
	upcall_pending = xen_vcpu_info()->evtchn_upcall_pending;
	irq_enable();
	at_enable = xen_evtchn_count(e[1]);
	restore_flags(flags);
	EXPECT_EQ(held, seen);
	EXPECT(upcall_pending);
	EXPECT_EQ(at_enable, seen + 1);
	wait_event(e[1], seen + 1, 1 * MS);
	EXPECT_EQ(xen_evtchn_count(e[1]), seen + 1);
	return TEST_PASS;
}

SELFTEST(xen, irq_disable_holds_event)
{
	return on_loopback(irq_off_held);
}

/*
 * A 2 ms timer, then safe_halt (PV: SCHEDOP_block) until the kernel's
 * timer interrupt: it comes through VIRQ_TIMER, not before the deadline,
 * and the halt ends within the generous wait after it.
 */
SELFTEST(xen, virq_timer_wakes_halt)
{
	const u64 delta = 2 * MS;
	u64 seen, virqs, t0, t1, end, flags;
	int port;

	if (events_missing())
		return skip(events_missing());
	port = xen_timer_port();
	if (port < 0)
		return skip("VIRQ_TIMER is not bound on this vCPU (see the boot log)");
	flags = irq_save();
	seen = timer_irq_count();
	virqs = xen_evtchn_count((evtchn_port_t)port);
	t0 = sched_clock();
	end = tsc_deadline(delta + WAIT_NS);
	EXPECT_EQ(timer_set_oneshot(delta), 0);
	while (timer_irq_count() == seen && !tsc_passed(end)) {
		safe_halt();
		irq_disable();
	}
	t1 = sched_clock();
	restore_flags(flags);
	EXPECT_EQ(timer_irq_count(), seen + 1);
	EXPECT(xen_evtchn_count((evtchn_port_t)port) > virqs);
	EXPECT(t1 - t0 >= delta);
	return TEST_PASS;
}

/*
 * An event on a port nobody handles masks it (one warning in the log):
 * the next event stays pending instead of raising the upcall again.
 */
static enum test_result unhandled_masked(const evtchn_port_t e[2])
{
	u64 end = tsc_deadline(WAIT_NS), flags = irq_save();
	/* Counts live on after a close: an earlier test may have used e[1]. */
	u64 seen = xen_evtchn_count(e[1]);

	xen_evtchn_unmask(e[0]);
	xen_evtchn_unmask(e[1]);
	EXPECT(!xen_evtchn_masked(e[1]));
	EXPECT_EQ(xen_evtchn_send(e[0]), 0);
	irq_enable();
	while (!xen_evtchn_masked(e[1]) && !tsc_passed(end))
		cpu_relax();
	restore_flags(flags);
	EXPECT(xen_evtchn_masked(e[1]));
	EXPECT(!xen_evtchn_pending(e[1]));
	EXPECT_EQ(xen_evtchn_send(e[0]), 0);
	wait_event(e[1], 0, 1 * MS);
	EXPECT(xen_evtchn_masked(e[1]));
	EXPECT(xen_evtchn_pending(e[1]));
	EXPECT_EQ(xen_evtchn_count(e[1]), seen);
	return TEST_PASS;
}

SELFTEST(xen, unhandled_port_masked)
{
	evtchn_port_t e[2];
	enum test_result r;
	int rc;

	if (events_missing())
		return skip(events_missing());
	rc = xen_evtchn_loopback(e, NULL);
	EXPECT_EQ(rc, 0);
	r = unhandled_masked(e);
	close_loopback(e);
	return r;
}

/* Requests Xen must refuse come back as errors and change nothing. */
SELFTEST(xen, refused_requests_fail)
{
	evtchn_port_t e[2];
	enum test_result r;

	if (events_missing())
		return skip(events_missing());
	EXPECT(xen_evtchn_bind_virq(NR_VIRQS, count_only) < 0);
	/* VIRQ_TIMER is bound already: refused, the timer's port unchanged. */
	if (xen_timer_port() >= 0) {
		int port = xen_timer_port();

		EXPECT(xen_evtchn_bind_virq(VIRQ_TIMER, count_only) < 0);
		EXPECT_EQ(xen_timer_port(), port);
		EXPECT(!xen_evtchn_masked((evtchn_port_t)port));
	}
	r = open_loopback(e);
	if (r != TEST_PASS)
		return r;
	close_loopback(e);
	EXPECT(xen_evtchn_send(e[0]) < 0);
	EXPECT(xen_evtchn_send(e[1]) < 0);
	return TEST_PASS;
}

/*
 * PVH: two vcpu_info moves Xen must refuse, an area crossing a page
 * (-ENXIO) and a second move of this vCPU's (-EINVAL; map_vcpu_info in
 * xen/common/domain.c checks both): the vcpu_info in use stays, and
 * events still arrive through it.
 */
SELFTEST(xen, refused_vcpu_info_keeps_old)
{
	static u8 two_pages[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
	static struct vcpu_info spare __aligned(64);
	struct vcpu_info *crossing = (struct vcpu_info *)&two_pages[PAGE_SIZE - 32];
	unsigned int cpu = smp_processor_id();
	struct vcpu_info *old = xen_vcpu[cpu];

	if (strcmp(pv_backend->name, "xen-pvh"))
		return skip("not a Xen PVH guest (a PV vCPU keeps shared_info's vcpu_info)");
	if (events_missing())
		return skip(events_missing());
	EXPECT_EQ(xen_pvh_register_vcpu_info(cpu, crossing), -XEN_ENXIO);
	EXPECT(xen_vcpu[cpu] == old);
	EXPECT_EQ(xen_pvh_register_vcpu_info(cpu, &spare), -XEN_EINVAL);
	EXPECT(xen_vcpu[cpu] == old);
	return on_loopback(loopback_once);
}
