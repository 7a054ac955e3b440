// SPDX-License-Identifier: GPL-2.0
/*
 * Conversions between a clock's cycles, at a rate in kHz, and nanoseconds:
 * the TSC's spans and sched_clock, the APIC timer's counts. Both hold for
 * the whole range of a 64-bit counter (a GHz TSC runs for centuries before
 * it wraps), so no intermediate product may overflow: each splits its
 * input into a quotient and a remainder whose products stay small.
 */
#include <proteus/kernel.h>

u64 ns_to_cycles(u64 ns, u64 khz)
{
	u64 whole;

	if (__builtin_mul_overflow(ns / NSEC_PER_MSEC, khz, &whole))
		return ~0ULL;
	return whole + (ns % NSEC_PER_MSEC * khz + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
}

u64 cycles_to_ns(u64 cycles, u64 khz)
{
	u64 whole;

	if (__builtin_mul_overflow(cycles / khz, NSEC_PER_MSEC, &whole))
		return ~0ULL;
	return whole + cycles % khz * NSEC_PER_MSEC / khz;
}
