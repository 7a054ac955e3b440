/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC interrupt hardware: the local APIC (arch/x86/kernel/apic.c),
 * IOAPICs (ioapic.c) and the CMOS RTC's registers (cmos.c). Core code
 * uses the apic ops; the lapic_* functions are the ops' native
 * implementations, which the KVM backend also builds on (a PV EOI that
 * cannot be skipped is an APIC write); the rest is for SMP bring-up,
 * interrupt routing and tests.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <proteus/types.h>

/* Interrupt command register, low word: delivery mode, level, shorthand. */
#define APIC_ICR_FIXED		0x00000
#define APIC_ICR_INIT		0x00500
#define APIC_ICR_STARTUP	0x00600
#define APIC_ICR_ASSERT		0x04000
#define APIC_ICR_LEVEL		0x08000
#define APIC_ICR_ALLBUTSELF	0xc0000

/* This CPU's local APIC id (32 bits in x2APIC mode, 8 in xAPIC mode). */
u32 apic_id(void);

/*
 * Send an IPI: 'low' is the ICR low word (mode, level, vector). In xAPIC
 * mode it waits until the APIC has delivered it.
 */
void apic_write_icr(u32 dest_apic_id, u32 low);

/* Whether the local APICs run in x2APIC mode (set by the first init). */
bool apic_x2apic(void);

/* The apic and timer ops on the local APIC (see asm/pv/ops.h). */
struct cpumask;
void lapic_init(void);
void lapic_eoi(void);
void lapic_send_ipi(unsigned int cpu, unsigned int vector);
void lapic_send_ipi_mask(const struct cpumask *cpus, unsigned int vector);
void lapic_send_ipi_allbutself(unsigned int vector);
int lapic_set_oneshot(u64 delta_ns);
bool lapic_oneshot_pending(void);


/* IOAPICs: found in the MADT (else the MP table) and masked by ioapic_init(). */
#define IOAPIC_LEVEL		(1U << 0)	/* level-triggered, else edge */
#define IOAPIC_ACTIVE_LOW	(1U << 1)	/* active low, else high */

void ioapic_init(void);
unsigned int ioapic_count(void);

/*
 * For the MP table (mptable.c, mptable_parse, run by ioapic_init when the
 * MADT names no IOAPIC): add IOAPIC @id at @address with its first GSI
 * @gsi_base (its pin count, 0 if not usable); ISA IRQ @isa_irq arrives
 * on @gsi with MPS INTI @mps_flags.
 */
void mptable_parse(void);
u32 ioapic_add(u8 id, u32 address, u32 gsi_base);
void ioapic_set_isa_irq(unsigned int isa_irq, u32 gsi, u16 mps_flags);

/* The GSI an ISA IRQ arrives on and its IOAPIC_* flags (MADT overrides). */
u32 ioapic_isa_gsi(unsigned int isa_irq, u32 *flags);

/*
 * Device interrupts are routed through the bind_device_irq op (asm/pv/ops.h),
 * whose native implementation programs the IOAPIC entry.
 */

/* CMOS RTC registers (index 0x70, data 0x71); safe against interrupts. */
#define RTC_REG_A		0x0a
#define RTC_REG_B		0x0b
#define RTC_REG_C		0x0c
#define RTC_A_RATE_MASK		0x0f
#define RTC_B_PIE		0x40	/* periodic interrupt enable */
#define RTC_ISA_IRQ		8

u8 cmos_read(u8 reg);
void cmos_write(u8 reg, u8 val);

/* Why there is no CMOS RTC here (FADT flag or probe), or NULL. */
const char *cmos_rtc_missing(void);

#endif
