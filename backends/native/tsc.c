// SPDX-License-Identifier: GPL-2.0
/*
 * TSC frequency on a PC: CPUID leaf 0x15 (crystal ratio) or 0x16 (base
 * MHz) when the CPU reports them, else timed against PIT channel 2
 * (1.193182 MHz). The PIT window adapts to what a port read costs here:
 * it lasts until one read is under 1/1000 of the span, so it is short
 * where reads are cheap (TCG, hardware) and longer where every port access
 * is a VM exit (KVM's emulator). Both ends are taken at a counter edge.
 */
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
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

/* Wait for the counter to move off 'from'; return the new value and TSC. */
static u16 pit_wait_edge(u16 from, u64 *tsc)
{
	u16 c;
	int spins = 0;

	do {
		c = pit_read();
		*tsc = rdtsc();
	} while (c == from && ++spins < PIT_EDGE_READS);
	return c;
}

static u64 pit_tsc_khz(void)
{
	u64 t0, t1, read_cost, before;
	u16 c0, c1;

	/* Channel 2 gate on, speaker off; mode 0, count down from 0xffff. */
	outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE);
	outb(0xb0, PIT_CMD);
	outb(0xff, PIT_CH2);
	outb(0xff, PIT_CH2);

	before = rdtsc();
	c0 = pit_read();
	read_cost = rdtsc() - before;
	c0 = pit_wait_edge(c0, &t0);
	if (c0 == 0xffff || c0 == 0) {
		pr_warn("tsc: PIT channel 2 does not count: no PIT here\n");
		return 0;
	}
	do {
		c1 = pit_read();
		t1 = rdtsc();
	} while ((u16)(c0 - c1) < PIT_MAX_TICKS &&
		 ((u16)(c0 - c1) < PIT_MIN_TICKS || t1 - t0 < 1000 * read_cost));
	c1 = pit_wait_edge(c1, &t1);
	if ((u16)(c0 - c1) == 0 || c1 > c0)
		return 0;
	return (t1 - t0) * PIT_HZ / ((u64)(c0 - c1) * 1000);
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
