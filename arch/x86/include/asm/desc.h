/* SPDX-License-Identifier: GPL-2.0 */
/* Descriptor tables: the IDT (arch/x86/kernel/traps.c), lgdt/lidt operands. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <proteus/compiler.h>
#include <proteus/types.h>

#define NR_VECTORS	256

/* What lgdt and lidt load: the table's limit and linear address. */
struct desc_ptr {
	u16 size;
	u64 address;
} __packed;

struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __attribute__((__packed__));

/* Build the IDT for the exceptions and load it (through the load_idt op). */
void idt_setup(void);

/* Point a vector at an entry stub; takes effect at the next idt_load(). */
void idt_set_gate(unsigned int vector, u64 handler);
void idt_load(void);

/* Run a vector's handler on interrupt stack table entry ist (1-7) of the TSS. */
void idt_set_ist(unsigned int vector, int ist);

static inline u64 idt_gate_address(const struct idt_gate *g)
{
	return g->offset_low | (u64)g->offset_mid << 16 | (u64)g->offset_high << 32;
}

#endif
