// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy 8259 PICs. Firmware leaves the master at vector 8, over the
 * exception vectors, with the timer line unmasked: on a machine that
 * wires the PIC straight to the CPU (the MP specification's PIC mode) the
 * first sti would take IRQ 0 as a double fault. So, on every platform
 * that has them, both are reinitialized (ICW1-ICW4) at
 * I8259_VECTOR_BASE..+15 and all their lines masked (OCW1); interrupts come
 * through the local APIC and the IOAPICs instead.
 *
 * A masked 8259 can still raise a spurious interrupt: when a request goes
 * away before the CPU acknowledges it, the chip answers with its lowest
 * priority line, IRQ 7 (or IRQ 15 on the slave), without setting that
 * line's in-service bit. The handlers read the in-service register (OCW3)
 * to tell; a spurious one is counted and not acknowledged, except that a
 * spurious IRQ 15 did put the master's cascade line in service, so the
 * master alone gets its EOI.
 *
 * Where there is no PIC (Xen PV, which owns it; microvm with pic=off; a
 * machine whose MADT says so) nothing is written beyond the probe.
 */
#include <asm/i8259.h>
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>

#define ICW1_INIT		0x10
#define ICW1_NEED_ICW4		0x01	/* edge triggered, cascaded */
#define CASCADE_IRQ		2	/* the master input the slave drives */
#define ICW3_MASTER		(1U << CASCADE_IRQ)	/* inputs with a slave */
#define ICW3_SLAVE		CASCADE_IRQ		/* the slave's identity */
#define ICW4_8086		0x01	/* normal (not automatic) EOI */
#define OCW2_EOI		0x20	/* non-specific end of interrupt */
#define OCW3_READ_IRR		0x0a
#define OCW3_READ_ISR		0x0b
#define IMR_ALL_MASKED		0xff
/* Probe value: only the cascade input open, while the slave is all masked. */
#define IMR_PROBE		(0xff & ~(1U << CASCADE_IRQ))
#define SPURIOUS_LINE		7

#define MADT_PCAT_COMPAT	(1U << 0)	/* ACPI 6.4 table 5.20 */

static DEFINE_SPINLOCK(i8259_lock);
static const char *missing = "not probed";
static unsigned int vector_base;
static u64 spurious;

/* Each write of the init sequence gets the slow legacy bus's pause. */
static void pic_out(u8 val, u16 port)
{
	outb(val, port);
	io_delay();
}

static const char *why_missing(void)
{
	const struct acpi_table_header *t;

	if (boot_info.path == BOOT_XEN_PV)
		return "Xen PV: the PIC belongs to Xen";
	t = acpi_find_table("APIC");
	if (t && t->length >= sizeof(struct acpi_madt) &&
	    !(((const struct acpi_madt *)t)->flags & MADT_PCAT_COMPAT))
		return "the ACPI MADT says there is no dual 8259";
	/* Absent ports read all ones; a present IMR reads back what it holds. */
	outb(IMR_ALL_MASKED, PIC_SLAVE_IMR);
	outb(IMR_PROBE, PIC_MASTER_IMR);
	if (inb(PIC_MASTER_IMR) != IMR_PROBE)
		return "no 8259 answers at ports 0x20/0x21";
	outb(IMR_ALL_MASKED, PIC_MASTER_IMR);
	return NULL;
}

static void program(u16 cmd, u16 imr, u8 base, u8 icw3)
{
	pic_out(ICW1_INIT | ICW1_NEED_ICW4, cmd);
	pic_out(base, imr);
	pic_out(icw3, imr);
	pic_out(ICW4_8086, imr);
	pic_out(IMR_ALL_MASKED, imr);	/* ICW1 cleared the mask */
}

static u8 read_isr(u16 cmd)
{
	u8 isr;

	outb(OCW3_READ_ISR, cmd);
	isr = inb(cmd);
	outb(OCW3_READ_IRR, cmd);
	return isr;
}

u16 i8259_in_service(void)
{
	u64 flags;
	u16 isr;

	if (missing)
		return 0;
	flags = spin_lock_irqsave(&i8259_lock);
	isr = read_isr(PIC_MASTER_CMD) | (u16)read_isr(PIC_SLAVE_CMD) << 8;
	spin_unlock_irqrestore(&i8259_lock, flags);
	return isr;
}

/*
 * IRQ 7 or 15 with its in-service bit clear is spurious. With the bit set
 * the line was really raised although masked: acknowledge it all the same
 * so the chip does not stay blocked, and say so once.
 */
static void line7_interrupt(bool slave)
{
	u16 cmd = slave ? PIC_SLAVE_CMD : PIC_MASTER_CMD;
	static bool reported;
	u64 flags;

	flags = spin_lock_irqsave(&i8259_lock);
	if (!(read_isr(cmd) & (1U << SPURIOUS_LINE))) {
		__atomic_fetch_add(&spurious, 1, __ATOMIC_RELAXED);
		if (slave)
			outb(OCW2_EOI, PIC_MASTER_CMD);
	} else {
		if (slave)
			outb(OCW2_EOI, PIC_SLAVE_CMD);
		outb(OCW2_EOI, PIC_MASTER_CMD);
		if (!reported) {
			reported = true;
			pr_warn("i8259: masked IRQ %u was delivered\n",
				slave ? 8 + SPURIOUS_LINE : SPURIOUS_LINE);
		}
	}
	spin_unlock_irqrestore(&i8259_lock, flags);
}

static void master_irq7(struct pt_regs *regs)
{
	line7_interrupt(false);
}

static void slave_irq15(struct pt_regs *regs)
{
	line7_interrupt(true);
}

void i8259_init(void)
{
	unsigned int base = I8259_VECTOR_BASE;

	missing = why_missing();
	if (missing) {
		pr_info("i8259: none (%s)\n", missing);
		return;
	}
	program(PIC_MASTER_CMD, PIC_MASTER_IMR, base, ICW3_MASTER);
	program(PIC_SLAVE_CMD, PIC_SLAVE_IMR, base + 8, ICW3_SLAVE);
	if (irq_register_vector(base + SPURIOUS_LINE, master_irq7) ||
	    irq_register_vector(base + 8 + SPURIOUS_LINE, slave_irq15))
		pr_warn("i8259: vectors %#x/%#x taken; a spurious IRQ 7/15 goes unhandled\n",
			base + SPURIOUS_LINE, base + 8 + SPURIOUS_LINE);
	vector_base = base;
	pr_info("i8259: remapped to %#x-%#x, masked\n", base, base + I8259_NR_IRQS - 1);
}

const char *i8259_missing(void)
{
	return missing;
}

unsigned int i8259_vector_base(void)
{
	return vector_base;
}

u64 i8259_spurious_count(void)
{
	return __atomic_load_n(&spurious, __ATOMIC_RELAXED);
}
