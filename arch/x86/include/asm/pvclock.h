/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pvclock record a hypervisor keeps per vCPU: KVM's kvmclock
 * (MSR_KVM_SYSTEM_TIME_NEW) and Xen's vcpu_time_info share it. Debian's
 * headers do not ship KVM's layout (it is in Linux's kernel-internal
 * pvclock-abi.h), so it is written here from the description in Linux's
 * Documentation/virt/kvm/x86/msr.rst (MSR_KVM_SYSTEM_TIME_NEW,
 * MSR_KVM_WALL_CLOCK_NEW); pvclock.c checks it against Xen's public
 * xen/xen.h at build time.
 *
 * The hypervisor updates a record under a version count that is odd while
 * it writes: readers retry until they saw the same even version before
 * and after reading the fields.
 */
#ifndef ASM_PVCLOCK_H
#define ASM_PVCLOCK_H

#include <proteus/types.h>
#include <proteus/compiler.h>

struct pvclock_vcpu_time_info {
	u32 version;
	u32 pad0;
	u64 tsc_timestamp;	/* guest TSC when system_time was taken */
	u64 system_time;	/* ns since the VM started */
	u32 tsc_to_system_mul;	/* ns = ((tsc delta << shift) * mul) >> 32 */
	s8 tsc_shift;
	u8 flags;
	u8 pad[2];
} __packed;

/* Wall time at which system_time was 0. */
struct pvclock_wall_clock {
	u32 version;
	u32 sec;
	u32 nsec;
} __packed;

/* The TSCs of all vCPUs agree: no cross-CPU correction needed. */
#define PVCLOCK_TSC_STABLE_BIT	(1U << 0)
/* The VM was paused by the host (for watchdogs; unused here). */
#define PVCLOCK_GUEST_STOPPED	(1U << 1)

/*
 * Whether records' TSC_STABLE flag may be believed (KVM says so with its
 * CLOCKSOURCE_STABLE_BIT feature). Without it, or when a record lacks the
 * flag, pvclock_read() keeps time monotonic across CPUs through one
 * shared last value.
 */
void pvclock_trust_stable_flag(bool trust);
bool pvclock_stable_flag_trusted(void);

/* Nanoseconds from a record: per-CPU exact, monotonic across CPUs. */
u64 pvclock_read(const struct pvclock_vcpu_time_info *t);

/* The same without the cross-CPU correction; *flags gets the record's flags. */
u64 pvclock_read_raw(const struct pvclock_vcpu_time_info *t, u8 *flags);

/* Whether the hypervisor has written the record (an even, non-zero version). */
bool pvclock_valid(const struct pvclock_vcpu_time_info *t);

/* The TSC frequency the record's scale implies, in kHz; 0 if unset. */
u64 pvclock_tsc_khz(const struct pvclock_vcpu_time_info *t);

/* Seconds since 1970 now, from the wall clock record plus time since then. */
u64 pvclock_wallclock(const struct pvclock_wall_clock *w,
		      const struct pvclock_vcpu_time_info *t);

/*
 * sched_clock on the pvclock records (arch/x86/kernel/pvclock-sched.c),
 * for the backend that owns them (kvmclock, Xen's vcpu_time_info): it
 * registers each CPU's record, then takes the op the start chose, the
 * record or the raw TSC where the CPU's TSC is invariant and the trusted
 * stable bit says all TSCs agree; pvclock_clock_select is its
 * pv_init.clock_select, which re-patches the op, each source continuing
 * from the other's value.
 */
void pvclock_set_record(unsigned int cpu, const struct pvclock_vcpu_time_info *t);
bool pvclock_tsc_usable(const char **why_not);
u64 (*pvclock_sched_clock_start(const char *owner, const char **why_not))(void);
const char *pvclock_clock_select(const char *name);

#endif
