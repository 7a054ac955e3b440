/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's two cascaded 8259 interrupt controllers (arch/x86/kernel/i8259.c).
 * The kernel never uses them: it moves them off the exception vectors and
 * masks every line, so that only a spurious IRQ7/IRQ15 can still arrive.
 */
#ifndef ASM_I8259_H
#define ASM_I8259_H

#include <proteus/types.h>

/* IRQ 0-7 on the master, 8-15 on the slave (cascaded on the master's IRQ 2). */
#define I8259_VECTOR_BASE	0x30
#define I8259_NR_IRQS		16

#define PIC_MASTER_CMD		0x20
#define PIC_MASTER_IMR		0x21
#define PIC_SLAVE_CMD		0xa0
#define PIC_SLAVE_IMR		0xa1

/* With interrupts off, once, on the boot CPU: remap and mask, or leave alone. */
void i8259_init(void);

/* Why this platform's PIC was left alone, or NULL when it was remapped. */
const char *i8259_missing(void);

/* The vector of IRQ 0 as programmed (IRQ 8 is 8 above), 0 if none. */
unsigned int i8259_vector_base(void);

/* The in-service registers (master low byte, slave high byte). */
u16 i8259_in_service(void);

/* Spurious IRQ7/IRQ15 interrupts seen and survived since boot. */
u64 i8259_spurious_count(void);

#endif
