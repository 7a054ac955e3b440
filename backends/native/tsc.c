// SPDX-License-Identifier: GPL-2.0
/*
 * TSC frequency on a PC: CPUID leaf 0x15 (crystal ratio) or 0x16 (base
 * MHz) when the CPU reports them, else timed against PIT channel 2
 * (1.193182 MHz). The PIT window adapts to what a port read costs here:
 * it lasts until one read is under 1/1000 of the span, so it is short
 * where reads are cheap (TCG, hardware) and longer where every port access
 * is a VM exit (KVM's emulator). Both ends are taken at a counter edge,
 * and a window the vCPU was descheduled in is measured again.
 */
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61
#define PIT_MIN_TICKS	32
#define PIT_MAX_TICKS	60000
/* Reads to wait for the counter to move: it moves every 838 ns. */
#define PIT_EDGE_READS	1000

static u64 cpuid_tsc_khz(void)
{
	struct cpuid_regs r;
	u32 max;

	cpuid(0, &r);
	max = r.eax;
	if (max >= 0x15) {
		cpuid(0x15, &r);
		if (r.eax && r.ebx && r.ecx)
			return (u64)r.ecx * r.ebx / r.eax / 1000;
	}
	if (max >= 0x16) {
		cpuid(0x16, &r);
		if (r.eax & 0xffff)
			return (u64)(r.eax & 0xffff) * 1000;
	}
	return 0;
}

static u16 pit_read(void)
{
	u8 lo, hi;

	outb(0x80, PIT_CMD);		/* latch channel 2 */
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	return (u16)(hi << 8 | lo);
}

/*
 * The counter's 16 bits last 55 ms: a vCPU descheduled longer than that
 * between two reads (a loaded host) comes back to a count that wrapped,
 * and the window would count 65536 ticks too few, making the TSC look
 * many times faster than it is. A TSC of 100 MHz or more ticks over 5.4M
 * times in 55 ms, so no two reads may be further apart than that; a
 * window with such a gap is measured again, and if every window has one,
 * the one whose longest gap was shortest is taken.
 */
#define PIT_MAX_GAP	5000000ULL
#define PIT_TRIES	10

struct pit_sample {
	u16 count;
	u64 tsc;
	u64 gap;		/* the longest time between two reads */
};

static void pit_sample(struct pit_sample *s)
{
	u64 prev = s->tsc;

	s->count = pit_read();
	s->tsc = rdtsc();
	s->gap = MAX(s->gap, s->tsc - prev);
}

/* Wait for the counter to move off its current value. */
static void pit_wait_edge(struct pit_sample *s)
{
	u16 from = s->count;
	int spins = 0;

	do {
		pit_sample(s);
	} while (s->count == from && ++spins < PIT_EDGE_READS);
}

/* One window, from a reloaded counter: kHz, 0 without a PIT; its gap. */
static u64 pit_window(u64 *gap)
{
	struct pit_sample s = { .tsc = rdtsc() }, start;
	u64 read_cost;

	/* Channel 2 gate on, speaker off; mode 0, count down from 0xffff. */
	outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE);
	outb(0xb0, PIT_CMD);
	outb(0xff, PIT_CH2);
	outb(0xff, PIT_CH2);

	start.tsc = rdtsc();
	pit_sample(&s);
	read_cost = s.tsc - start.tsc;
	pit_wait_edge(&s);
	if (s.count == 0xffff || s.count == 0) {
		pr_warn("tsc: PIT channel 2 does not count: no PIT here\n");
		return 0;
	}
	start = s;
	s.gap = 0;		/* only the window itself must be whole */
	do {
		pit_sample(&s);
	} while ((u16)(start.count - s.count) < PIT_MAX_TICKS &&
		 ((u16)(start.count - s.count) < PIT_MIN_TICKS ||
		  s.tsc - start.tsc < 1000 * read_cost));
	pit_wait_edge(&s);
	*gap = s.gap;
	if ((u16)(start.count - s.count) == 0 || s.count > start.count)
		return 0;
	return (s.tsc - start.tsc) * PIT_HZ / ((u64)(start.count - s.count) * 1000);
}

static u64 pit_tsc_khz(void)
{
	u64 khz, gap, best = 0, best_gap = ~0ULL;
	int i;

	for (i = 0; i < PIT_TRIES; i++) {
		khz = pit_window(&gap);
		if (!khz || gap <= PIT_MAX_GAP)
			return khz;
		if (gap < best_gap) {
			best = khz;
			best_gap = gap;
		}
	}
	pr_warn("tsc: every PIT window was interrupted (shortest longest gap %llu ticks)\n",
		(unsigned long long)best_gap);
	return best;
}

/*
 * Ask the CPU first; fall back to the PIT, which every PC (and QEMU's pc
 * machine) has, but machines without legacy devices (QEMU's microvm with
 * pit=off) lack: its probe gives up after PIT_EDGE_READS reads.
 */
u64 native_tsc_khz(void)
{
	u64 khz = cpuid_tsc_khz();

	if (khz)
		return khz;
	return pit_tsc_khz();
}
