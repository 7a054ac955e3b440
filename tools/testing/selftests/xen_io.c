// SPDX-License-Identifier: GPL-2.0
/*
 * Device access from a Xen PV dom0. Ports: after PHYSDEVOP_set_iopl an
 * in/out from the ring-3 kernel reaches the CMOS clock on every vCPU (its
 * registers read values only an RTC gives). MMIO: map_mmio names machine
 * frames as they are, so the QEMU pc HPET's capability register reads the
 * HPET's own vendor and period through the mapping, and the VGA BIOS
 * (below the top of RAM, where a pfn would go through the p2m) shows its
 * ROM signature; a range Xen keeps to itself (the local APIC page) is
 * refused with nothing left mapped; and unmap_mmio takes the mapping
 * away. A refused PHYSDEVOP_set_iopl is reported in port_io_missing
 * while Xen keeps the IOPL it had. Only a Xen PV guest has ring-3
 * port rights and machine-frame entries to test.
 */
#include <asm/apic.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/cpumask.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include <xen/errno.h>
#include "../../../backends/xen/xen.h"

#define RTC_REG_A		0x0a
#define RTC_REG_D		0x0d
#define RTC_A_DIVIDER		0x70	/* 010: the 32.768 kHz time base runs */
#define RTC_A_DIVIDER_ON	0x20
#define RTC_D_VRT		0x80
#define RTC_D_RESERVED		0x40

/* Where QEMU's pc machine puts the HPET, and what its ID register holds. */
#define QEMU_HPET_BASE		0xfed00000ULL
#define HPET_VENDOR_INTEL	0x8086
#define HPET_MAX_PERIOD_FS	100000000ULL	/* the spec's 100 ns bound */
/*
 * The VGA BIOS the firmware put at 0xc0000: an option ROM, signature
 * 0x55 0xaa. The frame is below the top of our RAM, where the p2m would
 * send a pfn to some RAM page of ours: only a machine-frame mapping
 * sees the ROM.
 */
#define VGA_ROM_BASE		0xc0000ULL
#define OPTION_ROM_SIGNATURE	0xaa55
/* The local APIC's default base: Xen keeps it from every domain. */
#define LAPIC_DEFAULT_BASE	0xfee00000ULL

static const char *not_pv(void)
{
	return boot_info.path == BOOT_XEN_PV ? NULL :
	       "not a Xen PV guest (the kernel is not in ring 3, MMIO is not machine frames)";
}

static bool rtc_answers(void)
{
	u8 a = cmos_read(RTC_REG_A), d = cmos_read(RTC_REG_D);

	return (a & RTC_A_DIVIDER) == RTC_A_DIVIDER_ON &&
	       (d & (RTC_D_VRT | RTC_D_RESERVED)) == RTC_D_VRT;
}

static void rtc_on_this_cpu(void *arg)
{
	if (rtc_answers())
		__atomic_fetch_add((unsigned int *)arg, 1, __ATOMIC_RELAXED);
}

SELFTEST(xen_io, port_io_reaches_cmos_every_vcpu)
{
	unsigned int answered = 0;

	if (not_pv())
		return skip(not_pv());
	if (port_io_missing)
		return skip(port_io_missing);
	rtc_on_this_cpu(&answered);
	smp_call_function(rtc_on_this_cpu, &answered, true);
	answered = __atomic_load_n(&answered, __ATOMIC_RELAXED);
	printk("# RTC register A %#x, D %#x; %u of %u vCPUs reached it\n",
	       cmos_read(RTC_REG_A), cmos_read(RTC_REG_D), answered,
	       nr_cpus_online());
	EXPECT_EQ(answered, nr_cpus_online());
	return TEST_PASS;
}

SELFTEST(xen_io, map_mmio_reaches_hpet)
{
	volatile u64 *hpet;
	u64 cap, gone_va;

	if (not_pv())
		return skip(not_pv());
	hpet = map_mmio(QEMU_HPET_BASE, PAGE_SIZE);
	EXPECT(hpet);
	cap = hpet[0];
	gone_va = (u64)(uintptr_t)hpet;
	unmap_mmio((void *)hpet, PAGE_SIZE);
	printk("# HPET capabilities %#llx through %#llx\n",
	       (unsigned long long)cap, (unsigned long long)gone_va);
	EXPECT_EQ((cap >> 16) & 0xffff, HPET_VENDOR_INTEL);
	EXPECT((cap >> 32) && (cap >> 32) <= HPET_MAX_PERIOD_FS);
	EXPECT(probe_read_faults((const volatile u8 *)(uintptr_t)gone_va));
	return TEST_PASS;
}

SELFTEST(xen_io, map_mmio_below_ram_top_is_machine)
{
	volatile u16 *rom;
	u16 sig;

	if (not_pv())
		return skip(not_pv());
	rom = map_mmio(VGA_ROM_BASE, 2);
	EXPECT(rom);
	sig = *rom;
	unmap_mmio((void *)rom, 2);
	printk("# %#llx reads %#x through %p\n", VGA_ROM_BASE, sig, rom);
	EXPECT_EQ(sig, OPTION_ROM_SIGNATURE);
	return TEST_PASS;
}

/*
 * A range whose last page Xen keeps (the page below the local APIC is
 * the domain's): NULL, and the page mapped before the refusal is gone.
 */
SELFTEST(xen_io, map_mmio_refused_for_xen_ranges)
{
	const u64 below = LAPIC_DEFAULT_BASE - PAGE_SIZE;
	volatile u8 *alone, *both;

	if (not_pv())
		return skip(not_pv());
	alone = map_mmio(below, PAGE_SIZE);
	EXPECT(alone);
	unmap_mmio((void *)alone, PAGE_SIZE);
	EXPECT(!map_mmio(LAPIC_DEFAULT_BASE, PAGE_SIZE));
	both = map_mmio(below, 2 * PAGE_SIZE);
	EXPECT(!both);
	EXPECT(probe_read_faults(alone));
	return TEST_PASS;
}

/*
 * IOPL 4 is one Xen must refuse (-EINVAL: physdev.c checks iopl > 3):
 * the refusal sets port_io_missing with its reason, and Xen keeps the
 * vCPU's IOPL, so the CMOS clock still answers.
 */
SELFTEST(xen_io, refused_iopl_reported)
{
	const char *saved = port_io_missing, *missing;
	long rc;

	if (not_pv())
		return skip(not_pv());
	if (saved)
		return skip(saved);
	rc = xen_pv_set_iopl(4);
	missing = port_io_missing;
	port_io_missing = saved;
	EXPECT_EQ(rc, -XEN_EINVAL);
	EXPECT(missing && !strncmp(missing, "Xen refused PHYSDEVOP_set_iopl", 30));
	EXPECT(rtc_answers());
	return TEST_PASS;
}
