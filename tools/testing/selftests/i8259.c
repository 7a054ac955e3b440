// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259 PICs after i8259_init(): off the exception vectors, every line
 * masked, the mask register really a register (a pattern written reads
 * back), and a spurious IRQ 7 or IRQ 15 counted and survived. The spurious
 * interrupt is made with `int $vector`: the chip has nothing in service,
 * exactly what it shows when it raises one itself.
 */
#include <asm/extable.h>
#include <asm/i8259.h>
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <asm/ptrace.h>
#include <proteus/selftest.h>

#define SLAVE_PATTERN	0x5a

static enum test_result no_pic(void)
{
	return skip(i8259_missing());
}

/* Write pattern to one IMR with the other all masked, read it, mask again. */
static u8 imr_echo(u16 imr, u16 other, u8 pattern)
{
	u64 flags = irq_save();
	u8 val;

	outb(0xff, other);
	outb(pattern, imr);
	val = inb(imr);
	outb(0xff, imr);
	restore_flags(flags);
	return val;
}

SELFTEST(i8259, masked_off_exception_vectors)
{
	unsigned int base = i8259_vector_base();

	if (i8259_missing())
		return no_pic();
	EXPECT(base >= NR_EXCEPTIONS);
	EXPECT_EQ(base % 8, 0);
	EXPECT(base + I8259_NR_IRQS - 1 < IRQ_VECTOR_TIMER);
	EXPECT_EQ(inb(PIC_MASTER_IMR), 0xff);
	EXPECT_EQ(inb(PIC_SLAVE_IMR), 0xff);
	EXPECT_EQ(imr_echo(PIC_SLAVE_IMR, PIC_MASTER_IMR, SLAVE_PATTERN), SLAVE_PATTERN);
	EXPECT_EQ(imr_echo(PIC_MASTER_IMR, PIC_SLAVE_IMR, 0xfb), 0xfb);
	EXPECT_EQ(inb(PIC_MASTER_IMR), 0xff);
	EXPECT_EQ(inb(PIC_SLAVE_IMR), 0xff);
	EXPECT_EQ(i8259_in_service(), 0);
	return TEST_PASS;
}

/* The vector is an immediate: one function per line. */
static void raise_irq7(void)
{
	__asm__ __volatile__("int %0" :: "i"(I8259_VECTOR_BASE + 7) : "memory");
}

static void raise_irq15(void)
{
	__asm__ __volatile__("int %0" :: "i"(I8259_VECTOR_BASE + 15) : "memory");
}

static enum test_result spurious(unsigned int line, void (*raise)(void))
{
	unsigned int vector = I8259_VECTOR_BASE + line;
	u64 count = i8259_spurious_count(), hits = irq_count(vector);
	u64 faults = last_fault.count, flags;

	if (i8259_missing())
		return no_pic();
	if (no_softint)
		return skip("no_softint: this platform cannot execute int $n");
	EXPECT_EQ(i8259_vector_base(), I8259_VECTOR_BASE);
	flags = irq_save();
	raise();
	restore_flags(flags);
	EXPECT_EQ(irq_count(vector), hits + 1);
	EXPECT_EQ(i8259_spurious_count(), count + 1);
	EXPECT_EQ(last_fault.count, faults);
	EXPECT_EQ(i8259_in_service(), 0);
	EXPECT_EQ(inb(PIC_MASTER_IMR), 0xff);
	EXPECT_EQ(inb(PIC_SLAVE_IMR), 0xff);
	return TEST_PASS;
}

SELFTEST(i8259, spurious_irq7_counted)
{
	return spurious(7, raise_irq7);
}

SELFTEST(i8259, spurious_irq15_counted)
{
	return spurious(15, raise_irq15);
}
