// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts end to end: the flag ops nest, a self-IPI runs its handler
 * exactly once, the one-shot timer wakes a halted CPU, and a real
 * device's interrupt (the CMOS RTC's periodic one) arrives through the
 * bind_device_irq op (an IOAPIC entry, or a Xen PV pirq event), while a
 * line that does not exist is refused with nothing left bound.
 * Every wait is bounded by the TSC; no test leaves interrupts enabled
 * if they were not.
 */
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <asm-generic/errno-base.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>

#define NO_TIMER_REASON	"this CPU has no one-shot timer (set_oneshot: -ENODEV)"

/* Spin with interrupts on for up to timeout_ms, until *count passes seen. */
static bool wait_count(const u64 *count, u64 seen, u64 timeout_ms)
{
	u64 end = tsc_deadline(timeout_ms * NSEC_PER_MSEC);
	u64 flags = irq_save();

	irq_enable();
	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) == seen && !tsc_passed(end))
		cpu_relax();
	restore_flags(flags);
	return __atomic_load_n(count, __ATOMIC_ACQUIRE) != seen;
}

static enum test_result nesting(void)
{
	u64 outer, inner;

	irq_enable();
	EXPECT(!irqs_disabled());
	outer = irq_save();
	EXPECT(outer & X86_EFLAGS_IF);
	EXPECT(irqs_disabled());
	inner = irq_save();
	EXPECT(!(inner & X86_EFLAGS_IF));
	EXPECT(irqs_disabled());
	restore_flags(inner);
	EXPECT(irqs_disabled());
	restore_flags(outer);
	EXPECT(!irqs_disabled());
	return TEST_PASS;
}

SELFTEST(irq, save_restore_nesting)
{
	u64 orig = irq_save();
	enum test_result r = nesting();

	restore_flags(orig);
	EXPECT_EQ(irqs_disabled(), !(orig & X86_EFLAGS_IF));
	return r;
}

static u64 ipi_hits;

static void ipi_handler(struct pt_regs *regs)
{
	__atomic_fetch_add(&ipi_hits, 1, __ATOMIC_RELEASE);
}

/* Pending while interrupts are off, taken once they are on, and only once. */
static enum test_result self_ipi(unsigned int vector)
{
	u64 before = irq_count(vector), flags = irq_save(), early;
	bool came;

	ipi_hits = 0;
	send_ipi(0, vector);
	early = __atomic_load_n(&ipi_hits, __ATOMIC_ACQUIRE);
	came = wait_count(&ipi_hits, 0, WAIT_MS);
	wait_count(&ipi_hits, 1, 1);
	restore_flags(flags);
	EXPECT_EQ(early, 0);
	EXPECT(came);
	EXPECT_EQ(ipi_hits, 1);
	EXPECT_EQ(irq_count(vector), before + 1);
	return TEST_PASS;
}

SELFTEST(irq, self_ipi)
{
	enum test_result r;
	int v;

	v = irq_alloc_vector(ipi_handler);
	EXPECT(v >= IRQ_VECTOR_FIRST);
	r = self_ipi((unsigned int)v);
	irq_free_vector((unsigned int)v);
	return r;
}

SELFTEST(irq, timer_wakes_halt)
{
	u64 seen = timer_irq_count(), t0 = sched_clock();
	int rc = timer_set_oneshot(1 * MS);

	if (rc == -ENODEV)
		return skip(NO_TIMER_REASON);
	EXPECT_EQ(rc, 0);
	EXPECT(timer_wait(seen, WAIT_MS * MS));
	EXPECT_EQ(timer_irq_count(), seen + 1);
	EXPECT(timer_irq_last_ns() > t0);
	EXPECT(sched_clock() - t0 >= 1 * MS);
	return TEST_PASS;
}

/* The RTC's periodic interrupt, acknowledged by reading register C. */
static u64 rtc_hits;

static void rtc_handler(struct pt_regs *regs)
{
	cmos_read(RTC_REG_C);
	__atomic_fetch_add(&rtc_hits, 1, __ATOMIC_RELEASE);
}

/* 1024 Hz: an interrupt about every millisecond. */
#define RTC_RATE_1024HZ	6
/*
 * More than one, so that a line left unacknowledged after its first
 * interrupt (no EOI, a port left masked) fails.
 */
#define RTC_IRQS_WANTED	4

/* Wait, interrupts on, until *count reaches want; false on timeout. */
static bool wait_at_least(const u64 *count, u64 want, u64 timeout_ms)
{
	u64 end = tsc_deadline(timeout_ms * NSEC_PER_MSEC), seen;

	while ((seen = __atomic_load_n(count, __ATOMIC_ACQUIRE)) < want) {
		if (tsc_passed(end) || !wait_count(count, seen, timeout_ms))
			return false;
	}
	return true;
}

/* Bind the RTC's line, let it tick, unbind: the interrupts, or an errno. */
static long rtc_interrupts(struct device_irq *line)
{
	int rc = bind_device_irq(line);
	u8 a, b;

	if (rc)
		return rc;
	a = cmos_read(RTC_REG_A);
	b = cmos_read(RTC_REG_B);
	__atomic_store_n(&rtc_hits, 0, __ATOMIC_RELEASE);
	cmos_write(RTC_REG_A, (a & ~RTC_A_RATE_MASK) | RTC_RATE_1024HZ);
	cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_B, b | RTC_B_PIE);
	wait_at_least(&rtc_hits, RTC_IRQS_WANTED, WAIT_MS);
	cmos_write(RTC_REG_B, b);
	cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_A, a);
	unbind_device_irq(line);
	return (long)__atomic_load_n(&rtc_hits, __ATOMIC_ACQUIRE);
}

/*
 * The RTC's ISA IRQ 8 through the bind_device_irq op, twice: the second
 * round shows the first unbind gave everything back (Xen binds a pirq
 * to one port at a time).
 */
SELFTEST(irq, device_irq_delivered)
{
	struct device_irq line = { .type = DEVICE_IRQ_GSI, .handler = rtc_handler };
	int round;

	if (cmos_rtc_missing())
		return skip(cmos_rtc_missing());
	line.gsi = ioapic_isa_gsi(RTC_ISA_IRQ, &line.flags);
	for (round = 1; round <= 2; round++) {
		long n = rtc_interrupts(&line);

		printk("# RTC on GSI %u, round %d: %ld%s\n", line.gsi, round, n,
		       n < 0 ? " (bind_device_irq refused)" : " interrupts");
		EXPECT(n >= RTC_IRQS_WANTED);
	}
	return TEST_PASS;
}

/* Far beyond any IOAPIC's inputs and Xen's GSIs. */
#define NO_SUCH_GSI	0x7fff

static void never_called(struct pt_regs *regs)
{
}

/* The vector irq_alloc_vector() would hand out next. */
static int next_free_vector(void)
{
	int v = irq_alloc_vector(never_called);

	if (v >= 0)
		irq_free_vector((unsigned int)v);
	return v;
}

SELFTEST(irq, device_irq_refused)
{
	struct device_irq line = {
		.type = DEVICE_IRQ_GSI, .gsi = NO_SUCH_GSI, .handler = never_called,
	};
	int before = next_free_vector(), rc;

	rc = bind_device_irq(&line);
	EXPECT(rc < 0);
	EXPECT_EQ(next_free_vector(), before);
	return TEST_PASS;
}
