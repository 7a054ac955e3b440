/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CMOS clock's date registers as read, and their conversion to
 * seconds since 1970 (rtc-decode.c): pure, so host tests can check it.
 */
#ifndef NATIVE_RTC_H
#define NATIVE_RTC_H

#include <proteus/types.h>

#define RTC_B_24H		0x02	/* hours 0-23, else 1-12 with a PM bit */
#define RTC_B_BINARY		0x04	/* binary values, else BCD */
#define RTC_HOUR_PM		0x80	/* 12-hour mode's PM flag */

struct rtc_regs {
	u8 sec, min, hour, day, mon, year, century;
};

/*
 * The time r holds, in register B's format, as seconds since 1970 (UTC);
 * false for anything a calendar does not have or a register that is not
 * valid BCD. The century register is used when it reads 19-99, else the
 * 21st century is assumed.
 */
bool rtc_regs_to_time(const struct rtc_regs *r, u8 reg_b, u64 *secs);

#endif
