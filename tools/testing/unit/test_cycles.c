// SPDX-License-Identifier: GPL-2.0
/*
 * lib/cycles.c: cycles_to_ns() and ns_to_cycles() over long uptimes (a
 * second to centuries) at the rates clocks here run at, against a 128-bit
 * reference; both directions round as documented, grow with their input
 * and saturate instead of wrapping. A conversion whose product overflows
 * 64 bits (ticks * 10^6 / khz wraps after about two hours at 2.6 GHz)
 * fails the uptime checks.
 */
#include "unit.h"

#include <proteus/kernel.h>

typedef unsigned __int128 u128;

#define SEC	1000000000ull
#define HOUR	(3600 * SEC)
#define DAY	(24 * HOUR)
#define YEAR	(365 * DAY)

/* kHz: icount's 1 GHz, real TSCs (some not a whole MHz), the extremes. */
static const u64 rates[] = { 1000000, 2600000, 2099998, 3699999, 100000,
			     10000000, 1193, 1 };

/* The reference: floor(cycles * 10^6 / khz), saturated. */
static u64 ref_ns(u64 cycles, u64 khz)
{
	u128 ns = (u128)cycles * 1000000 / khz;

	return ns > ~0ull ? ~0ull : (u64)ns;
}

/* ceil(ns * khz / 10^6), saturated. */
static u64 ref_cycles(u64 ns, u64 khz)
{
	u128 c = ((u128)ns * khz + 999999) / 1000000;

	return c > ~0ull ? ~0ull : (u64)c;
}

static void test_uptimes(void)
{
	static const u64 uptimes[] = { 0, 1, 999, SEC, HOUR, 2 * HOUR + 17,
				       DAY, 49 * DAY, YEAR, 100 * YEAR,
				       500 * YEAR };
	size_t r, u;

	for (r = 0; r < ARRAY_SIZE(rates); r++) {
		for (u = 0; u < ARRAY_SIZE(uptimes); u++) {
			u64 khz = rates[r], ns = uptimes[u];
			u64 cycles = ref_cycles(ns, khz);

			unit_name("%llu kHz, uptime %llu ns", (unsigned long long)khz,
				  (unsigned long long)ns);
			CHECK_EQ(ns_to_cycles(ns, khz), cycles);
			CHECK_EQ(cycles_to_ns(cycles, khz), ref_ns(cycles, khz));
			CHECK_EQ(cycles_to_ns(cycles + 12345, khz),
				 ref_ns(cycles + 12345, khz));
		}
	}
	unit_name(NULL);
}

/* Values near every power of two, where a wrapped product shows. */
static void test_powers(void)
{
	size_t r;
	int bit, bad_ns, bad_cycles;

	for (r = 0; r < ARRAY_SIZE(rates); r++) {
		u64 khz = rates[r];

		unit_name("%llu kHz, 2^0 .. 2^63 +- 1", (unsigned long long)khz);
		bad_ns = bad_cycles = 0;
		for (bit = 0; bit < 64; bit++) {
			u64 v = 1ull << bit, d;

			for (d = v - 1; d <= v + 1; d++) {
				bad_ns += cycles_to_ns(d, khz) != ref_ns(d, khz);
				bad_cycles += ns_to_cycles(d, khz) != ref_cycles(d, khz);
			}
		}
		CHECK_EQ(bad_ns, 0);
		CHECK_EQ(bad_cycles, 0);
	}
	unit_name(NULL);
}

/* Neither direction ever goes back as its input grows. */
static void test_monotonic(void)
{
	u64 khz = 2600000, c, prev_ns = 0, prev_c = 0, start = 3 * DAY;
	int back_ns = 0, back_c = 0;

	unit_name("monotonic around 3 days at 2.6 GHz");
	for (c = start; c < start + 100000; c++) {
		u64 ns = cycles_to_ns(c, khz), cy = ns_to_cycles(c, khz);

		back_ns += ns < prev_ns;
		back_c += cy < prev_c;
		prev_ns = ns;
		prev_c = cy;
	}
	CHECK_EQ(back_ns, 0);
	CHECK_EQ(back_c, 0);
	unit_name(NULL);
}

static void test_saturation(void)
{
	unit_name("saturation");
	CHECK_EQ(cycles_to_ns(~0ull, 1), ~0ull);
	CHECK_EQ(cycles_to_ns(~0ull, 1000), ~0ull);
	CHECK_EQ(ns_to_cycles(~0ull, 10000000), ~0ull);
	/* 2^64 - 1 cycles at 1 GHz: 584 years, within range */
	CHECK_EQ(cycles_to_ns(~0ull, 1000000), ~0ull);
	CHECK_EQ(cycles_to_ns(~0ull, 2600000), ref_ns(~0ull, 2600000));
	unit_name(NULL);
}

int main(void)
{
	test_uptimes();
	test_powers();
	test_monotonic();
	test_saturation();
	return unit_done();
}
