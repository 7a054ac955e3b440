// SPDX-License-Identifier: GPL-2.0
/*
 * Wall-clock time natively: the PC's CMOS real-time clock (MC146818 and
 * its descendants), an index port (0x70) and a data port (0x71). The
 * clock updates its registers once a second; while register A's UIP bit
 * is set an update is under way or about to start, so we read after it
 * clears and read twice until both reads agree. Register B says whether
 * values are BCD or binary and whether hours are 12- or 24-hour
 * (rtc-decode.c turns the registers into seconds). The century lives in
 * register 0x32 on PCs (ACPI FADT default); the RTC is taken to run in
 * UTC, as QEMU's does by default. Register access is
 * arch/x86/kernel/cmos.c.
 */
#include <asm/apic.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include "rtc.h"

#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04
#define RTC_DAY			0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09
#define RTC_CENTURY		0x32

#define RTC_A_UIP		0x80

/* An update takes under 2 ms; give up after 10. */
#define UPDATE_WAIT_MS		10
#define READ_TRIES		5


static bool wait_update_done(void)
{
	u64 end = tsc_deadline(UPDATE_WAIT_MS * NSEC_PER_MSEC);

	/*
	 * The deadline is checked before the read: a vCPU descheduled past
	 * it still looks once more.
	 */
	for (;;) {
		bool late = tsc_passed(end);

		if (!(cmos_read(RTC_REG_A) & RTC_A_UIP))
			return true;
		if (late)
			return false;
	}
}

static void read_regs(struct rtc_regs *r)
{
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->day = cmos_read(RTC_DAY);
	r->mon = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = cmos_read(RTC_CENTURY);
}

/* Two reads, each after an update finished, that agree; false if none. */
static bool read_stable(struct rtc_regs *r)
{
	struct rtc_regs again;
	int i;

	for (i = 0; i < READ_TRIES; i++) {
		if (!wait_update_done())
			return false;
		read_regs(r);
		if (!wait_update_done())
			return false;
		read_regs(&again);
		if (!memcmp(r, &again, sizeof(again)))
			return true;
	}
	return false;
}

static void warn_bad(const char *why, const struct rtc_regs *r, u8 reg_b)
{
	static bool warned;

	if (warned)
		return;
	warned = true;
	pr_warn("rtc: %s (raw %02x%02x-%02x-%02x %02x:%02x:%02x, B %#x): no wall clock\n",
		why, r->century, r->year, r->mon, r->day, r->hour, r->min, r->sec,
		reg_b);
}

static void warn_once_missing(const char *why)
{
	static bool warned;

	if (!warned)
		pr_warn("rtc: %s: no wall clock\n", why);
	warned = true;
}

/*
 * The CMOS clock's date and time as seconds since 1970; 0 (with one
 * warning) when there is none, it cannot be read or holds an impossible
 * date.
 */
u64 native_wallclock(void)
{
	struct rtc_regs r = { 0 };
	const char *missing = cmos_rtc_missing();
	u8 reg_b;
	u64 secs;

	if (missing) {
		warn_once_missing(missing);
		return 0;
	}
	if (!read_stable(&r)) {
		warn_bad("the clock never held still", &r, 0);
		return 0;
	}
	reg_b = cmos_read(RTC_REG_B);
	if (!rtc_regs_to_time(&r, reg_b, &secs)) {
		warn_bad("impossible date", &r, reg_b);
		return 0;
	}
	return secs;
}
