/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to backends/xen: hypercalls and shared state. The public Xen ABI
 * comes from Debian's libxen-dev headers (xen/...).
 */
#ifndef BACKENDS_XEN_XEN_H
#define BACKENDS_XEN_XEN_H

#include <proteus/types.h>
#include <xen/xen.h>

/* The PV hypercall op (hypercall-insn.S). */
void xen_hypercall_syscall(void);

long xen_hypercall(unsigned int nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5);

static inline long xen_hypercall2(unsigned int nr, u64 a1, u64 a2)
{
	return xen_hypercall(nr, a1, a2, 0, 0, 0);
}

static inline long xen_hypercall3(unsigned int nr, u64 a1, u64 a2, u64 a3)
{
	return xen_hypercall(nr, a1, a2, a3, 0, 0);
}

/* Features, console, power, clock: shared by the PV and PVH backends. */
bool xen_is_dom0(void);
void xen_console_init(void);
void xen_power_init(void);
void xen_power_off(int status) __attribute__((__noreturn__));
void xen_smp_cpu_init(bool pv);
unsigned int xen_pv_smp_boot(void);
/*
 * Start PV vCPU @cpu and mark it online: 0, or an error in Xen's errno
 * numbering (Xen's refusal, -XEN_ENOMEM, -XEN_ETIMEDOUT); a refusal
 * leaves the CPU as it was (smp.c).
 */
long xen_pv_start_vcpu(unsigned int cpu);
u64 xen_tsc_khz(void);
void xen_late_init(void);

/* What Xen said about itself at boot (features.c), for the boot line and tests. */
struct xen_info {
	bool up;		/* a Xen backend runs and asked */
	bool pvh;		/* Xen says we are translated (auto_translated_physmap) */
	u32 major, minor;
	u32 features;		/* XENVER_get_features submap 0 */
};
extern struct xen_info xen_info;
void xen_report(void);
long xen_query_version(void);
long xen_query_features(u32 *submap);

/* Xen PV specifics; shared_info in both modes (NULL until mapped). */
extern struct start_info *xen_start_info;
extern struct shared_info *xen_shared_info;
void xen_pv_install_ops(void);
void xen_pv_register_callbacks(void);
/* Device access for a PV dom0 (io-pv.c): port I/O rights, map_mmio. */
void xen_pv_io_install(void);
void xen_pv_io_cpu_init(void);
/* PHYSDEVOP_set_iopl(@level) for this vCPU: 0, or Xen's refusal, reported. */
long xen_pv_set_iopl(unsigned int level);
/* Device interrupts as pirq events (pirq-pv.c): the io ops for them. */
void xen_pv_pirq_install(void);

/* Each vCPU's vcpu_info (PV: shared_info's; PVH: registered, pvh.c). */
extern struct vcpu_info *xen_vcpu[];

/* Xen PVH specifics (pvh.c). */
void xen_pvh_shared_info_init(void);
void xen_pvh_cpu_init(unsigned int cpu);
/*
 * Move vCPU @cpu's vcpu_info to @area, shared_info being mapped: 0, or
 * Xen's refusal, the vCPU then keeping the one it had (or shared_info's
 * if it had none).
 */
long xen_pvh_register_vcpu_info(unsigned int cpu, struct vcpu_info *area);
void xen_pvh_apic_init(void);

#endif
