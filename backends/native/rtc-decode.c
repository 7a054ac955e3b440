// SPDX-License-Identifier: GPL-2.0
/*
 * The CMOS clock's registers to seconds since 1970: BCD or binary, 12- or
 * 24-hour, two-digit year plus century register, each checked against
 * the calendar (proleptic Gregorian, UTC).
 */
#include "rtc.h"

/* A register's value, or -1 if it is not valid BCD. */
static int decode(u8 v, bool bcd)
{
	if (!bcd)
		return v;
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return -1;
	return (v >> 4) * 10 + (v & 0x0f);
}

/* 12-hour mode: 1-12, 12 AM is 0, the PM flag adds 12 to 1-11 PM. */
static int decode_hour(u8 v, u8 reg_b)
{
	bool pm = !(reg_b & RTC_B_24H) && (v & RTC_HOUR_PM);
	int h = decode(pm ? v & ~RTC_HOUR_PM : v, !(reg_b & RTC_B_BINARY));

	if (reg_b & RTC_B_24H)
		return h;
	if (h < 1 || h > 12)
		return -1;
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

struct rtc_time {
	int sec, min, hour, day, mon, year;
};

/* Decode and check: false for anything a calendar does not have. */
static bool decode_all(const struct rtc_regs *r, u8 reg_b, struct rtc_time *t)
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

bool rtc_regs_to_time(const struct rtc_regs *r, u8 reg_b, u64 *secs)
{
	struct rtc_time t;

	if (!decode_all(r, reg_b, &t))
		return false;
	*secs = days_since_epoch(t.year, t.mon, t.day) * 86400 +
		t.hour * 3600 + t.min * 60 + t.sec;
	return true;
}
