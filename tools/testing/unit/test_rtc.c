// SPDX-License-Identifier: GPL-2.0
/*
 * backends/native/rtc-decode.c: the CMOS clock's registers to seconds
 * since 1970. Times from 1970 to 2199 are encoded by the test's own
 * encoder (from libc's gmtime_r) in every format register B allows (BCD
 * or binary, 24- or 12-hour) and must decode to the second libc's
 * timegm gives; hand-picked register values cover 12 AM/PM, the century
 * register, leap days and what a calendar does not have.
 */
#define _GNU_SOURCE
#include "unit.h"

#include <time.h>

#include "../../../backends/native/rtc.h"

static const u8 formats[] = { 0, RTC_B_24H, RTC_B_BINARY,
			      RTC_B_BINARY | RTC_B_24H };

static u8 enc(int v, u8 reg_b)
{
	return reg_b & RTC_B_BINARY ? v : (v / 10) << 4 | v % 10;
}

static void encode(time_t t, u8 reg_b, struct rtc_regs *r)
{
	struct tm tm;
	int h;

	gmtime_r(&t, &tm);
	r->sec = enc(tm.tm_sec, reg_b);
	r->min = enc(tm.tm_min, reg_b);
	h = tm.tm_hour;
	if (reg_b & RTC_B_24H)
		r->hour = enc(h, reg_b);
	else
		r->hour = enc(h % 12 ? h % 12 : 12, reg_b) |
			  (h >= 12 ? RTC_HOUR_PM : 0);
	r->day = enc(tm.tm_mday, reg_b);
	r->mon = enc(tm.tm_mon + 1, reg_b);
	r->year = enc((tm.tm_year + 1900) % 100, reg_b);
	r->century = enc((tm.tm_year + 1900) / 100, reg_b);
}

/* A sweep of instants, every format: decode(encode(t)) == t. */
static void test_round_trip(void)
{
	const time_t end = 7258118400;	/* 2200-01-01 */
	unsigned int f, bad;
	time_t t;

	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		unit_name("round trip 1970-2199, register B %#x", formats[f]);
		bad = 0;
		/* a week and 7 s, coprime with 86400: every hour, minute, second */
		for (t = 0; t < end; t += 7 * 86400 + 7) {
			struct rtc_regs r;
			u64 secs = 0;

			encode(t, formats[f], &r);
			if (!rtc_regs_to_time(&r, formats[f], &secs) ||
			    secs != (u64)t) {
				if (!bad++)
					printf("# %lld decoded as %llu\n",
					       (long long)t, (unsigned long long)secs);
			}
		}
		CHECK_EQ(bad, 0);
	}
	unit_name(NULL);
}

struct rtc_case {
	const char *what;
	struct rtc_regs r;	/* sec, min, hour, day, mon, year, century */
	u8 reg_b;
	bool valid;
	const char *want;	/* "YYYY-MM-DD HH:MM:SS" when valid */
};

static const struct rtc_case cases[] = {
	{ "BCD 24h", { 0x59, 0x58, 0x23, 0x31, 0x12, 0x99, 0x19 }, RTC_B_24H,
	  true, "1999-12-31 23:58:59" },
	{ "binary 24h", { 59, 58, 23, 31, 12, 99, 19 },
	  RTC_B_24H | RTC_B_BINARY, true, "1999-12-31 23:58:59" },
	{ "BCD 12 AM", { 0x00, 0x00, 0x12, 0x01, 0x01, 0x24, 0x20 }, 0,
	  true, "2024-01-01 00:00:00" },
	{ "BCD 12 PM", { 0x00, 0x00, 0x92, 0x01, 0x01, 0x24, 0x20 }, 0,
	  true, "2024-01-01 12:00:00" },
	{ "BCD 1 PM", { 0x00, 0x00, 0x81, 0x01, 0x01, 0x24, 0x20 }, 0,
	  true, "2024-01-01 13:00:00" },
	{ "BCD 11 PM", { 0x00, 0x00, 0x91, 0x01, 0x01, 0x24, 0x20 }, 0,
	  true, "2024-01-01 23:00:00" },
	{ "binary 11 PM", { 0, 0, 0x80 | 11, 1, 1, 24, 20 }, RTC_B_BINARY,
	  true, "2024-01-01 23:00:00" },
	{ "binary 12 AM", { 0, 0, 12, 1, 1, 24, 20 }, RTC_B_BINARY,
	  true, "2024-01-01 00:00:00" },
	{ "century 21", { 0, 0, 0x10, 0x15, 0x06, 0x30, 0x21 }, RTC_B_24H,
	  true, "2130-06-15 10:00:00" },
	{ "no century register: 20xx", { 0, 0, 0x10, 0x15, 0x06, 0x30, 0x00 },
	  RTC_B_24H, true, "2030-06-15 10:00:00" },
	{ "century register junk: 20xx", { 0, 0, 0x10, 0x15, 0x06, 0x30, 0xff },
	  RTC_B_24H, true, "2030-06-15 10:00:00" },
	{ "leap day 2024", { 0, 0, 0, 0x29, 0x02, 0x24, 0x20 }, RTC_B_24H,
	  true, "2024-02-29 00:00:00" },
	{ "leap day 2000", { 0, 0, 0, 0x29, 0x02, 0x00, 0x20 }, RTC_B_24H,
	  true, "2000-02-29 00:00:00" },
	{ "no leap day 2023", { 0, 0, 0, 0x29, 0x02, 0x23, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "no leap day 2100", { 0, 0, 0, 0x29, 0x02, 0x00, 0x21 }, RTC_B_24H,
	  false, NULL },
	{ "April 31", { 0, 0, 0, 0x31, 0x04, 0x24, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "month 13", { 0, 0, 0, 0x01, 0x13, 0x24, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "month 0", { 0, 0, 0, 0x01, 0x00, 0x24, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "day 0", { 0, 0, 0, 0x00, 0x01, 0x24, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "second 60", { 0x60, 0, 0, 0x01, 0x01, 0x24, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "hour 24", { 0, 0, 0x24, 0x01, 0x01, 0x24, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "12-hour hour 0", { 0, 0, 0x00, 0x01, 0x01, 0x24, 0x20 }, 0,
	  false, NULL },
	{ "12-hour hour 13", { 0, 0, 0x13, 0x01, 0x01, 0x24, 0x20 }, 0,
	  false, NULL },
	{ "not BCD", { 0x1a, 0, 0, 0x01, 0x01, 0x24, 0x20 }, RTC_B_24H,
	  false, NULL },
	{ "before 1970", { 0, 0, 0, 0x01, 0x01, 0x69, 0x19 }, RTC_B_24H,
	  false, NULL },
	{ "binary year 100", { 0, 0, 0, 1, 1, 100, 20 },
	  RTC_B_24H | RTC_B_BINARY, false, NULL },
};

static void test_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct rtc_case *c = &cases[i];
		u64 secs = 0;
		bool ok;

		unit_name("%s", c->what);
		ok = rtc_regs_to_time(&c->r, c->reg_b, &secs);
		CHECK_EQ(ok, c->valid);
		if (ok && c->valid) {
			struct tm tm;
			char got[32];
			time_t t = (time_t)secs;

			gmtime_r(&t, &tm);
			strftime(got, sizeof(got), "%Y-%m-%d %H:%M:%S", &tm);
			CHECK_STR(got, c->want);
		}
	}
	unit_name(NULL);
}

int main(void)
{
	test_round_trip();
	test_cases();
	return unit_done();
}
