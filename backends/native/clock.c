// SPDX-License-Identifier: GPL-2.0
/*
 * Native clocks. sched_clock is the TSC scaled to nanoseconds (QEMU's
 * TSC, and any invariant TSC, runs at a constant rate). Bare metal has no
 * steal time: nobody runs on our CPU but us.
 */
#include <asm/pv/native.h>
#include <proteus/kernel.h>

u64 native_sched_clock(void)
{
	return tsc_to_ns(rdtsc());
}

u64 native_steal_clock(unsigned int cpu)
{
	return 0;
}

/* The TSC is the only clock a PC backend offers. */
const char *native_clock_select(const char *name)
{
	return "tsc";
}
