/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen event channels, 2-level ABI (xen/event_channel.h): the pending and
 * mask bitmaps live in shared_info, the per-vCPU selector and the
 * upcall_pending/upcall_mask bytes in vcpu_info. One upcall (the PV event
 * callback, or the PVH callback vector) scans them and calls each port's
 * handler. Private to backends/xen, and the Xen selftests' interface.
 *
 * Every function that returns int gives 0 or a port (>= 0) on success and
 * Xen's negative errno otherwise; ports are bound masked and become live
 * when unmasked.
 */
#ifndef BACKENDS_XEN_EVENTS_H
#define BACKENDS_XEN_EVENTS_H

#include <proteus/types.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

struct pt_regs;
struct vcpu_info;

/* Runs from the upcall with interrupts off; the port's pending bit is clear. */
typedef void (*xen_evtchn_handler_t)(evtchn_port_t port, struct pt_regs *regs);

/*
 * Why events are off (a refused hypercall at setup, or not set up yet), or
 * NULL when the upcall is in place.
 */
const char *xen_events_off(void);

/* This vCPU's vcpu_info (the upcall bytes and the selector). */
struct vcpu_info *xen_vcpu_info(void);
/* CPU cpu's, or NULL before it has one. */
struct vcpu_info *xen_vcpu_info_of(unsigned int cpu);

/*
 * Bind virq on the calling vCPU to handler; the port, masked. A NULL
 * handler leaves a port unhandled: its first event masks it, with a
 * warning.
 */
int xen_evtchn_bind_virq(unsigned int virq, xen_evtchn_handler_t handler);

/*
 * A channel from this domain to itself: EVTCHNOP_alloc_unbound then
 * EVTCHNOP_bind_interdomain to our own domain id. Sending on one end
 * raises the other; both ends get handler and start masked.
 */
int xen_evtchn_loopback(evtchn_port_t ends[2], xen_evtchn_handler_t handler);

/*
 * An IPI channel to the calling vCPU (EVTCHNOP_bind_ipi): sending on it
 * from any vCPU raises it here. Masked; a NULL handler for a port only
 * ever polled.
 */
int xen_evtchn_bind_ipi(xen_evtchn_handler_t handler);

/*
 * A port for physical IRQ pirq (EVTCHNOP_bind_pirq), delivered to the
 * calling vCPU; masked.
 */
int xen_evtchn_bind_pirq(u32 pirq, xen_evtchn_handler_t handler);

int xen_evtchn_send(evtchn_port_t port);
/* Drop a pending event (before polling for the next one). */
void xen_evtchn_clear(evtchn_port_t port);
void xen_evtchn_mask(evtchn_port_t port);
/* Clear the mask; an event that came while masked is delivered then. */
void xen_evtchn_unmask(evtchn_port_t port);
bool xen_evtchn_pending(evtchn_port_t port);
bool xen_evtchn_masked(evtchn_port_t port);
/* Unbind: the port stays masked and its handler is dropped. */
void xen_evtchn_close(evtchn_port_t port);

/* How many times the upcall called port's handler since boot. */
u64 xen_evtchn_count(evtchn_port_t port);

/* The VIRQ_TIMER port of the calling vCPU, or -1 when it has none. */
int xen_timer_port(void);

/* The spinlock slow path (smp.c): each vCPU's polls and the kicks it sent. */
struct xen_lock_stats {
	u64 polls;
	u64 kicks;
};
const struct xen_lock_stats *xen_lock_stats(unsigned int cpu);
/* The port cpu polls on in the lock slow path, or -1. */
int xen_kick_port(unsigned int cpu);
/* The port IPIs to cpu are sent on (PV), or -1. */
int xen_ipi_port(unsigned int cpu);

/* Setup, from the backends: the upcall for the mode, then per vCPU. */
void xen_events_init_pv(void);
void xen_events_init_pvh(void);
void xen_timer_init(void);

#endif
