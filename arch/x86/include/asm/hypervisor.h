/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_HYPERVISOR_H
#define ASM_HYPERVISOR_H

#include <proteus/types.h>

enum hypervisor_type {
	HYPERVISOR_NONE,
	HYPERVISOR_KVM,
	HYPERVISOR_XEN,
	HYPERVISOR_TCG,
	HYPERVISOR_OTHER,
};

struct hypervisor_info {
	enum hypervisor_type type;
	u32 base;		/* CPUID leaf of its signature, 0 if none */
	u32 max_leaf;
	char signature[13];
};

extern struct hypervisor_info hypervisor;

void hypervisor_detect(void);
const char *hypervisor_name(void);

/*
 * The hypercall op's implementation for a hardware-virtualized guest (KVM,
 * Xen HVM/PVH): vmcall or vmmcall by CPU vendor
 * (arch/x86/paravirt/hypercall-insn.S).
 */
void hypercall_vmcall(void);
void hypercall_vmmcall(void);
void (*hypervisor_hypercall_insn(void))(void);

#endif
