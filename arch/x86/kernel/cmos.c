// SPDX-License-Identifier: GPL-2.0
/*
 * The PC's CMOS/RTC registers: an index port (0x70) and a data port
 * (0x71), reached through the port I/O ops. Used by the native wallclock
 * and by the selftest that routes the RTC's interrupt through the IOAPIC.
 */
#include <asm/apic.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/spinlock.h>

#define CMOS_INDEX		0x70
#define CMOS_DATA		0x71

#define RTC_REG_D		0x0d
#define RTC_D_VRT		0x80	/* valid RAM and time: always set */
#define RTC_D_RESERVED		0x40	/* always clear */

static DEFINE_SPINLOCK(cmos_lock);

/* Index then data: nothing, not even an interrupt handler, in between. */
u8 cmos_read(u8 reg)
{
	u64 flags = spin_lock_irqsave(&cmos_lock);
	u8 val;

	outb(reg, CMOS_INDEX);
	val = inb(CMOS_DATA);
	spin_unlock_irqrestore(&cmos_lock, flags);
	return val;
}

void cmos_write(u8 reg, u8 val)
{
	u64 flags = spin_lock_irqsave(&cmos_lock);

	outb(reg, CMOS_INDEX);
	outb(val, CMOS_DATA);
	spin_unlock_irqrestore(&cmos_lock, flags);
}

/*
 * Why this platform has no CMOS RTC, or NULL when it has one. Without port
 * I/O none can be reached; the FADT may say so (IA-PC boot flag "CMOS RTC
 * not present": Xen PVH guests, and machines without legacy devices);
 * else register D decides: an RTC reads
 * VRT set and bit 6 clear there (bits 5-0 may hold a date alarm), while
 * ports with nothing behind them read all ones. One read, no waiting.
 */
const char *cmos_rtc_missing(void)
{
	static const char *reason;
	static bool probed;
	u32 fadt_flags;
	u16 boot_arch;

	if (probed)
		return reason;
	acpi_fadt_flags(&boot_arch, &fadt_flags);
	if (port_io_missing)
		reason = port_io_missing;
	else if (boot_arch & ACPI_FADT_NO_CMOS_RTC)
		reason = "the ACPI FADT says there is no CMOS RTC";
	else if ((cmos_read(RTC_REG_D) & (RTC_D_VRT | RTC_D_RESERVED)) != RTC_D_VRT)
		reason = "no CMOS RTC answers at ports 0x70/0x71";
	probed = true;
	return reason;
}
