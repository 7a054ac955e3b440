// SPDX-License-Identifier: GPL-2.0
/*
 * The TSC as the kernel's clock for spans: its frequency comes from the
 * backend's time op (PIT or CPUID natively, Xen's CPUID leaf under Xen).
 * Without a frequency we fall back to 1 GHz with a warning, so spans are
 * still printed, plainly marked as uncalibrated.
 */
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>

#define FALLBACK_KHZ	1000000

static u64 khz;
static bool calibrated;

void tsc_init(void)
{
	khz = pv_init.tsc_khz();
	if (!khz || khz > 100000000) {
		pr_warn("tsc: cannot calibrate (got %llu kHz); assuming 1 GHz\n",
			(unsigned long long)khz);
		khz = FALLBACK_KHZ;
		return;
	}
	calibrated = true;
	pr_info("tsc: %llu.%03llu MHz\n", (unsigned long long)(khz / 1000),
		(unsigned long long)(khz % 1000));
}

u64 tsc_khz(void)
{
	return khz;
}

bool tsc_calibrated(void)
{
	return calibrated;
}

u64 tsc_deadline(u64 ns)
{
	u64 now = rdtsc(), t = ns_to_cycles(ns, khz);

	return t > ~now ? ~0ULL : now + t;
}

bool tsc_passed(u64 deadline)
{
	return rdtsc() >= deadline;
}

void tsc_delay(u64 ns)
{
	u64 end = tsc_deadline(ns);

	while (!tsc_passed(end))
		cpu_relax();
}

u64 tsc_to_ns(u64 ticks)
{
	return cycles_to_ns(ticks, khz);
}
