/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where irq-pv.S finds vCPU 0's upcall bytes: offsets in shared_info
 * (vcpu_info[0] comes first; pv.c checks these against xen/xen.h).
 */
#ifndef BACKENDS_XEN_PV_IRQ_H
#define BACKENDS_XEN_PV_IRQ_H

#define XEN_VCPU0_UPCALL_PENDING	0
#define XEN_VCPU0_UPCALL_MASK		1

#endif
