/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every architectural MSR the kernel uses, and its bits, under Linux's
 * names (Intel SDM vol. 4, "Model-Specific Registers"). Plain constants,
 * so that assembly includes it too. KVM's paravirt MSRs are not here:
 * they come from Debian's <asm/kvm_para.h> (MSR_KVM_*).
 */
#ifndef ASM_MSR_INDEX_H
#define ASM_MSR_INDEX_H

/* Extended feature enables (SDM vol. 3A 2.2.1). */
#define MSR_EFER		0xc0000080
#define EFER_LME		(1 << 8)	/* long mode enable */
#define EFER_LMA		(1 << 10)	/* long mode active */
#define EFER_NX			(1 << 11)	/* no-execute enable */

#define MSR_GS_BASE		0xc0000101

/* The local APIC's base and mode (SDM vol. 3A 11.4.4, 10.12.1). */
#define MSR_IA32_APICBASE		0x1b
#define MSR_IA32_APICBASE_X2APIC	(1 << 10)
#define MSR_IA32_APICBASE_ENABLE	(1 << 11)
#define MSR_IA32_APICBASE_BASE		0x000ffffffffff000

#define MSR_IA32_TSC_DEADLINE	0x6e0

/* Supervisor protection keys: bits 63:32 reserved (SDM vol. 4 table 2-2). */
#define MSR_IA32_PKRS		0x6e1

/* x2APIC registers: MSR APIC_BASE_MSR + (xAPIC offset / 16) (SDM 10.12.1.2). */
#define APIC_BASE_MSR		0x800

#endif
