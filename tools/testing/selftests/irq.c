// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts end to end: the flag ops nest, a self-IPI runs its handler
 * exactly once, the one-shot timer wakes a halted CPU, and an IOAPIC
 * delivers a real device's interrupt (the CMOS RTC's periodic interrupt).
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

#define NO_APIC_REASON	"Xen PV has no IOAPIC: device interrupts come as pirq events (not yet)"
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

/* 1024 Hz, the first interrupt within about a millisecond. */
#define RTC_RATE_1024HZ	6

/* -1: the GSI cannot be routed; else whether an interrupt came. */
static int rtc_interrupts(unsigned int vector, u32 gsi, u32 flags)
{
	u8 a, b;
	bool came;

	if (ioapic_route(gsi, vector, cpu_apic_id(smp_processor_id()), flags))
		return -1;
	a = cmos_read(RTC_REG_A);
	b = cmos_read(RTC_REG_B);
	rtc_hits = 0;
	cmos_write(RTC_REG_A, (a & ~RTC_A_RATE_MASK) | RTC_RATE_1024HZ);
	cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_B, b | RTC_B_PIE);
	came = wait_count(&rtc_hits, 0, WAIT_MS);
	cmos_write(RTC_REG_B, b);
	ioapic_mask(gsi);
	cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_A, a);
	return came;
}

SELFTEST(irq, ioapic_routes_device_irq)
{
	u64 before;
	u32 flags, gsi;
	int v, r;

	if (boot_info.path == BOOT_XEN_PV)
		return skip(NO_APIC_REASON);
	if (!ioapic_count())
		return skip("the MADT lists no IOAPIC");
	if (cmos_rtc_missing())
		return skip(cmos_rtc_missing());
	gsi = ioapic_isa_gsi(RTC_ISA_IRQ, &flags);
	v = irq_alloc_vector(rtc_handler);
	EXPECT(v >= IRQ_VECTOR_FIRST);
	before = irq_count((unsigned int)v);
	r = rtc_interrupts((unsigned int)v, gsi, flags);
	irq_free_vector((unsigned int)v);
	if (r <= 0)
		printk("# RTC on GSI %u: %s\n", gsi,
		       r < 0 ? "no IOAPIC input" : "no interrupt within the wait");
	EXPECT_EQ(r, 1);
	EXPECT(irq_count((unsigned int)v) > before);
	return TEST_PASS;
}
