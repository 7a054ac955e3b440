// SPDX-License-Identifier: GPL-2.0
/*
 * The TSC as the kernel's clock for spans: its frequency comes from the
 * backend's time op (PIT or CPUID natively, Xen's CPUID leaf under Xen).
 * Without a frequency we fall back to 1 GHz with a warning, so spans are
 * still printed, plainly marked as uncalibrated.
 */
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>

#define FALLBACK_KHZ	1000000

static u64 khz;

void tsc_init(void)
{
	khz = pv_ops.time.tsc_khz();
	if (!khz || khz > 100000000) {
		pr_warn("tsc: cannot calibrate (got %llu kHz); assuming 1 GHz\n",
			(unsigned long long)khz);
		khz = FALLBACK_KHZ;
		return;
	}
	pr_info("tsc: %llu.%03llu MHz\n", (unsigned long long)(khz / 1000),
		(unsigned long long)(khz % 1000));
}

u64 tsc_khz(void)
{
	return khz;
}

u64 tsc_to_ns(u64 ticks)
{
	/* ticks * 1e6 / khz without overflowing for spans up to hours. */
	return ticks / khz * 1000000 + ticks % khz * 1000000 / khz;
}
