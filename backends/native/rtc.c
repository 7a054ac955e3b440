// SPDX-License-Identifier: GPL-2.0
/*
 * Wall-clock time natively: the PC's CMOS real-time clock (MC146818 and
 * its descendants), an index port (0x70) and a data port (0x71). The
 * clock updates its registers once a second; while register A's UIP bit
 * is set an update is under way or about to start, so we read after it
 * clears and read twice until both reads agree. Register B says whether
 * values are BCD or binary and whether hours are 12- or 24-hour. The
 * century lives in register 0x32 on PCs (ACPI FADT default); the RTC is
 * taken to run in UTC, as QEMU's does by default. Register access is
 * arch/x86/kernel/cmos.c.
 */
#include <asm/apic.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>

#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04
#define RTC_DAY			0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09
#define RTC_CENTURY		0x32

#define RTC_A_UIP		0x80
#define RTC_B_24H		0x02
#define RTC_B_BINARY		0x04
#define RTC_HOUR_PM		0x80

/* An update takes under 2 ms; give up after 10. */
#define UPDATE_WAIT_MS		10
#define READ_TRIES		5

struct rtc_regs {
	u8 sec, min, hour, day, mon, year, century;
};


static bool wait_update_done(void)
{
	u64 end = tsc_deadline(UPDATE_WAIT_MS * NSEC_PER_MSEC);

	while (cmos_read(RTC_REG_A) & RTC_A_UIP)
		if (tsc_passed(end))
			return false;
	return true;
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

/* A register's value, or -1 if it is not valid BCD. */
static int decode(u8 v, bool bcd)
{
	if (!bcd)
		return v;
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return -1;
	return (v >> 4) * 10 + (v & 0x0f);
}

/* 12-hour mode: 12 AM is 0, the PM flag adds 12 to 1-11 PM. */
static int decode_hour(u8 v, u8 reg_b)
{
	bool pm = !(reg_b & RTC_B_24H) && (v & RTC_HOUR_PM);
	int h = decode(pm ? v & ~RTC_HOUR_PM : v, !(reg_b & RTC_B_BINARY));

	if (reg_b & RTC_B_24H || h < 1 || h > 12)
		return h;
	return h % 12 + (pm ? 12 : 0);
}

static bool leap_year(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in 1..y-1 (proleptic Gregorian). */
static unsigned int leaps_before(unsigned int y)
{
	return (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
}

static unsigned int days_in_month(unsigned int y, unsigned int m)
{
	static const u8 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[m - 1] + (m == 2 && leap_year(y));
}

/* Days from 1970-01-01 to y-m-d (y >= 1970, m 1-12, d valid). */
static u64 days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
	static const u16 before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243,
					273, 304, 334 };

	return (u64)(y - 1970) * 365 + leaps_before(y) - leaps_before(1970) +
	       before[m - 1] + (m > 2 && leap_year(y)) + d - 1;
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

struct rtc_time {
	int sec, min, hour, day, mon, year;
};

/* Decode and check: false for anything a calendar does not have. */
static bool rtc_decode(const struct rtc_regs *r, u8 reg_b, struct rtc_time *t)
{
	bool bcd = !(reg_b & RTC_B_BINARY);
	int century = decode(r->century, bcd);

	t->sec = decode(r->sec, bcd);
	t->min = decode(r->min, bcd);
	t->hour = decode_hour(r->hour, reg_b);
	t->day = decode(r->day, bcd);
	t->mon = decode(r->mon, bcd);
	t->year = decode(r->year, bcd);
	if (t->year < 0 || t->year > 99)
		return false;
	t->year += (century >= 19 && century <= 99 ? century : 20) * 100;
	return t->sec >= 0 && t->sec <= 59 && t->min >= 0 && t->min <= 59 &&
	       t->hour >= 0 && t->hour <= 23 && t->mon >= 1 && t->mon <= 12 &&
	       t->year >= 1970 && t->day >= 1 &&
	       t->day <= (int)days_in_month(t->year, t->mon);
}

/*
 * The CMOS clock's date and time as seconds since 1970; 0 (with one
 * warning) when there is none, it cannot be read or holds an impossible
 * date.
 */
u64 native_wallclock(void)
{
	struct rtc_regs r = { 0 };
	struct rtc_time t;
	const char *missing = cmos_rtc_missing();
	u8 reg_b;

	if (missing) {
		warn_once_missing(missing);
		return 0;
	}
	if (!read_stable(&r)) {
		warn_bad("the clock never held still", &r, 0);
		return 0;
	}
	reg_b = cmos_read(RTC_REG_B);
	if (!rtc_decode(&r, reg_b, &t)) {
		warn_bad("impossible date", &r, reg_b);
		return 0;
	}
	return days_since_epoch(t.year, t.mon, t.day) * 86400 +
	       t.hour * 3600 + t.min * 60 + t.sec;
}
