// SPDX-License-Identifier: GPL-2.0
/*
 * The PC's CMOS/RTC registers: an index port (0x70) and a data port
 * (0x71), reached through the port I/O ops. Used by the native wallclock
 * and by the selftest that routes the RTC's interrupt through the IOAPIC.
 */
#include <asm/apic.h>
#include <asm/pv/ops.h>
#include <proteus/spinlock.h>

#define CMOS_INDEX		0x70
#define CMOS_DATA		0x71

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
