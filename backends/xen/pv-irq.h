/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where vcpu-info-pv.S finds a vCPU's upcall bytes and saved %cr2: offsets in
 * shared_info of vcpu_info[0]'s (it comes first), vcpu_info[n] 2^XEN_VCPU_INFO_SHIFT
 * bytes further per n, and the CPU number in struct percpu (pv.c checks
 * these against xen/xen.h and asm/percpu.h).
 */
#ifndef BACKENDS_XEN_PV_IRQ_H
#define BACKENDS_XEN_PV_IRQ_H

#define XEN_VCPU0_UPCALL_PENDING	0
#define XEN_VCPU0_UPCALL_MASK		1
#define XEN_VCPU0_CR2			16
#define XEN_VCPU_INFO_SHIFT		6
#define XEN_PERCPU_CPU			8

#endif
