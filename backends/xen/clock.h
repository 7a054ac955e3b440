/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen time (clock.c), both modes: the pvclock sched_clock, the wall clock
 * from shared_info, steal time from the runstate area. Private to
 * backends/xen, and the Xen time selftests' interface.
 */
#ifndef BACKENDS_XEN_CLOCK_H
#define BACKENDS_XEN_CLOCK_H

#include <proteus/types.h>
#include <xen/xen.h>
#include <xen/vcpu.h>

/*
 * Per vCPU, from pv_init.cpu_init once the vCPU's vcpu_info is known
 * (xen_vcpu[cpu]): register its runstate area; on CPU 0 also install the
 * time ops (before patching).
 */
void xen_time_cpu_init(unsigned int cpu);

/* Why the Xen clock ops are not in use, or NULL when they are. */
const char *xen_clock_off(void);
/* Why steal time is off (a refused registration), or NULL. */
const char *xen_steal_off(void);

/* Whether the raw TSC may serve as sched_clock; why not otherwise. */

/*
 * A consistent copy of CPU cpu's runstate area (retried while Xen is
 * updating it); false when the vCPU has none registered.
 */
bool xen_runstate_read(unsigned int cpu, struct vcpu_runstate_info *out);

/*
 * Register @area as vCPU @cpu's runstate area: 0, or Xen's refusal, the
 * vCPU then keeping the area it had (none at first).
 */
long xen_register_runstate(unsigned int cpu, struct vcpu_runstate_info *area);

/* shared_info's wall clock at Xen system time 0, in ns since 1970. */
u64 xen_wallclock_base_ns(void);

#endif
