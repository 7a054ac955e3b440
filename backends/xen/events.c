// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels, 2-level ABI. Xen raises a port by setting its bit in
 * shared_info's evtchn_pending; if the port's evtchn_mask bit is clear it
 * also sets the port's word in the vCPU's evtchn_pending_sel and the
 * vCPU's evtchn_upcall_pending, and enters the guest through the upcall
 * unless evtchn_upcall_mask (PV) or IF (PVH) holds it off. The upcall is
 * an interrupt vector of ours in both modes: PVH through the HVM callback
 * vector, PV through the event callback, whose entry (entry-pv.S) jumps to
 * that vector's stub. So do_irq() runs it with interrupts off, counted.
 */
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/ptrace.h>
#include <asm/pv/ops.h>
#include <asm/percpu.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <xen/features.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/version.h>
#include "events.h"
#include "xen.h"

#define NR_PORTS	EVTCHN_2L_NR_CHANNELS
#define WORD_BITS	(sizeof(xen_ulong_t) * 8)

extern const u64 irq_stubs[NR_VECTORS - NR_EXCEPTIONS];

/* The entry the PV event callback continues at (entry-pv.S); 0 until set. */
u64 xen_upcall_stub;

struct vcpu_info *xen_vcpu[MAX_CPUS];

static xen_evtchn_handler_t handlers[NR_PORTS];
static u64 counts[NR_PORTS];
/*
 * The ports each vCPU's upcall runs: those Xen notifies it of. The
 * pending bitmap is the domain's, shared by all vCPUs, so a vCPU scanning
 * a word for its own event also sees the others' ports there; taking one
 * of those would clear its pending bit under its vCPU, whose upcall then
 * finds nothing (a lost VIRQ_TIMER halts that vCPU for good).
 */
static xen_ulong_t cpu_ports[MAX_CPUS][NR_PORTS / WORD_BITS];
static const char *off_reason = "event channels are not set up";

const char *xen_events_off(void)
{
	return off_reason;
}

struct vcpu_info *xen_vcpu_info(void)
{
	return xen_vcpu[smp_processor_id()];
}

struct vcpu_info *xen_vcpu_info_of(unsigned int cpu)
{
	return cpu < MAX_CPUS ? xen_vcpu[cpu] : NULL;
}

static long evtchn_op(unsigned int cmd, void *arg)
{
	return xen_hypercall2(__HYPERVISOR_event_channel_op, cmd, (u64)(uintptr_t)arg);
}

static xen_ulong_t *word(xen_ulong_t *bitmap, evtchn_port_t port)
{
	return &bitmap[port / WORD_BITS];
}

static xen_ulong_t bit(evtchn_port_t port)
{
	return (xen_ulong_t)1 << (port % WORD_BITS);
}

void xen_evtchn_mask(evtchn_port_t port)
{
	if (port < NR_PORTS)
		__atomic_fetch_or(word(xen_shared_info->evtchn_mask, port), bit(port),
				  __ATOMIC_SEQ_CST);
}

/*
 * Clearing the mask bit alone would lose an event that came while masked:
 * Xen set its pending bit but neither the selector nor upcall_pending.
 * EVTCHNOP_unmask clears the bit itself and then does what the ABI asks
 * for a pending port (sets both and notifies the vCPU the port is bound
 * to, whichever that is); it acts only on a bit it finds set, so the
 * mask is left to it.
 */
void xen_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };

	if (port < NR_PORTS)
		evtchn_op(EVTCHNOP_unmask, &u);
}

bool xen_evtchn_pending(evtchn_port_t port)
{
	return port < NR_PORTS &&
	       (__atomic_load_n(word(xen_shared_info->evtchn_pending, port),
				__ATOMIC_SEQ_CST) & bit(port));
}

bool xen_evtchn_masked(evtchn_port_t port)
{
	return port < NR_PORTS &&
	       (__atomic_load_n(word(xen_shared_info->evtchn_mask, port),
				__ATOMIC_SEQ_CST) & bit(port));
}

u64 xen_evtchn_count(evtchn_port_t port)
{
	return port < NR_PORTS ? __atomic_load_n(&counts[port], __ATOMIC_RELAXED) : 0;
}

/* A port nobody handles is masked for good: one warning, never a storm. */
static void unhandled(evtchn_port_t port)
{
	xen_evtchn_mask(port);
	pr_warn("xen: event on port %u, which has no handler: masked\n", port);
}

static void clear_pending(evtchn_port_t port)
{
	__atomic_fetch_and(word(xen_shared_info->evtchn_pending, port), ~bit(port),
			   __ATOMIC_SEQ_CST);
}

void xen_evtchn_clear(evtchn_port_t port)
{
	if (port < NR_PORTS)
		clear_pending(port);
}

static void dispatch(evtchn_port_t port, struct pt_regs *regs)
{
	xen_evtchn_handler_t h = __atomic_load_n(&handlers[port], __ATOMIC_ACQUIRE);

	clear_pending(port);
	if (!h) {
		unhandled(port);
		return;
	}
	__atomic_fetch_add(&counts[port], 1, __ATOMIC_RELAXED);
	h(port, regs);
}

/*
 * The upcall: clear upcall_pending first (Xen sets it again for an event
 * that comes meanwhile), take the selector, and for each word it names
 * run the pending, unmasked ports Xen notifies this vCPU of (cpu_ports),
 * clearing each pending bit before its handler runs. Loop until Xen has
 * raised nothing new.
 */
static void xen_upcall(struct pt_regs *regs)
{
	struct vcpu_info *v = xen_vcpu_info();
	struct shared_info *s = xen_shared_info;
	const xen_ulong_t *mine = cpu_ports[smp_processor_id()];

	do {
		xen_ulong_t sel;

		__atomic_store_n(&v->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int w = (unsigned int)__builtin_ctzll(sel);
			xen_ulong_t ready = __atomic_load_n(&s->evtchn_pending[w],
							    __ATOMIC_SEQ_CST) &
					    ~__atomic_load_n(&s->evtchn_mask[w],
							     __ATOMIC_SEQ_CST) &
					    __atomic_load_n(&mine[w], __ATOMIC_ACQUIRE);

			sel &= sel - 1;
			while (ready) {
				unsigned int b = (unsigned int)__builtin_ctzll(ready);

				ready &= ready - 1;
				dispatch(w * WORD_BITS + b, regs);
			}
		}
	} while (__atomic_load_n(&v->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

/* @port is run by @cpu's upcall alone, or by none (@cpu out of range). */
static void set_port_cpu(evtchn_port_t port, unsigned int cpu)
{
	unsigned int c;

	for (c = 0; c < MAX_CPUS; c++) {
		if (c == cpu)
			__atomic_fetch_or(word(cpu_ports[c], port), bit(port), __ATOMIC_RELEASE);
		else
			__atomic_fetch_and(word(cpu_ports[c], port), ~bit(port), __ATOMIC_RELEASE);
	}
}

/*
 * Which vCPU Xen notifies of @port, as EVTCHNOP_status says (each bind
 * has its own rule: the named vCPU for a VIRQ or IPI, vCPU 0 for a pirq
 * until EVTCHNOP_bind_vcpu, the binder for an interdomain end).
 */
static int port_vcpu(evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };
	long rc = evtchn_op(EVTCHNOP_status, &st);

	if (rc)
		return (int)rc;
	if (st.vcpu >= MAX_CPUS) {
		pr_err("xen: port %u notifies vCPU %u, beyond our %u\n", port, st.vcpu,
		       (unsigned int)MAX_CPUS);
		return -1;
	}
	return (int)st.vcpu;
}

static int bind(evtchn_port_t port, xen_evtchn_handler_t handler)
{
	int cpu;

	if (port >= NR_PORTS) {
		pr_err("xen: Xen gave port %u, beyond the 2-level ABI's %u\n",
		       port, (unsigned int)NR_PORTS);
		return -1;
	}
	xen_evtchn_mask(port);
	cpu = port_vcpu(port);
	if (cpu < 0) {
		struct evtchn_close c = { .port = port };

		evtchn_op(EVTCHNOP_close, &c);
		return cpu;
	}
	__atomic_store_n(&handlers[port], handler, __ATOMIC_RELEASE);
	set_port_cpu(port, (unsigned int)cpu);
	return (int)port;
}

int xen_evtchn_bind_virq(unsigned int virq, xen_evtchn_handler_t handler)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = smp_processor_id() };
	long rc = evtchn_op(EVTCHNOP_bind_virq, &b);

	return rc ? (int)rc : bind(b.port, handler);
}

int xen_evtchn_bind_ipi(xen_evtchn_handler_t handler)
{
	struct evtchn_bind_ipi b = { .vcpu = smp_processor_id() };
	long rc = evtchn_op(EVTCHNOP_bind_ipi, &b);

	return rc ? (int)rc : bind(b.port, handler);
}

/*
 * EVTCHNOP_bind_pirq: Xen delivers pirq (mapped with PHYSDEVOP_map_pirq)
 * on the new port, to vCPU 0 until EVTCHNOP_bind_vcpu moves it to the
 * calling vCPU. Not shared with other domains.
 */
int xen_evtchn_bind_pirq(u32 pirq, xen_evtchn_handler_t handler)
{
	struct evtchn_bind_pirq b = { .pirq = pirq, .flags = 0 };
	struct evtchn_bind_vcpu v = { .vcpu = smp_processor_id() };
	long rc = evtchn_op(EVTCHNOP_bind_pirq, &b);

	if (rc)
		return (int)rc;
	v.port = b.port;
	rc = v.vcpu ? evtchn_op(EVTCHNOP_bind_vcpu, &v) : 0;
	if (rc) {
		xen_evtchn_close(b.port);
		return (int)rc;
	}
	return bind(b.port, handler);
}

/* Our domain id, as Xen recorded it for an unbound port's remote end. */
static long own_domid(evtchn_port_t unbound, domid_t *id)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = unbound };
	long rc = evtchn_op(EVTCHNOP_status, &st);

	if (!rc && st.status != EVTCHNSTAT_unbound)
		rc = -1;
	*id = st.u.unbound.dom;
	return rc;
}

int xen_evtchn_loopback(evtchn_port_t ends[2], xen_evtchn_handler_t handler)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain b;
	long rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);

	if (rc)
		return (int)rc;
	b.remote_port = a.port;
	rc = own_domid(a.port, &b.remote_dom);
	if (!rc)
		rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
	if (rc) {
		xen_evtchn_close(a.port);
		return (int)rc;
	}
	ends[0] = a.port;
	ends[1] = b.local_port;
	if (bind(ends[0], handler) < 0 || bind(ends[1], handler) < 0) {
		xen_evtchn_close(ends[1]);
		xen_evtchn_close(ends[0]);
		return -1;
	}
	/*
	 * bind_interdomain raises the new end at once, in case the peer sent
	 * before it was bound; our own peer has not: drop that event so a
	 * send is the only one.
	 */
	clear_pending(ends[1]);
	return 0;
}

int xen_evtchn_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return (int)evtchn_op(EVTCHNOP_send, &s);
}

void xen_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	if (port >= NR_PORTS)
		return;
	xen_evtchn_mask(port);
	__atomic_store_n(&handlers[port], NULL, __ATOMIC_RELEASE);
	set_port_cpu(port, MAX_CPUS);
	evtchn_op(EVTCHNOP_close, &c);
}

/*
 * Every port starts masked (Xen leaves the mask as it finds it); the
 * upcall vector is the kernel's first free one.
 */
static int upcall_vector(void)
{
	unsigned int w;
	int v;

	for (w = 0; w < ARRAY_SIZE(xen_shared_info->evtchn_mask); w++)
		__atomic_store_n(&xen_shared_info->evtchn_mask[w], ~(xen_ulong_t)0,
				 __ATOMIC_SEQ_CST);
	v = irq_alloc_vector(xen_upcall);
	if (v < 0)
		off_reason = "no free interrupt vector for the event upcall";
	return v;
}

/*
 * PV: CALLBACKOP_register (pv.c) points Xen's event callback at
 * xen_event_entry already; it continues at the upcall vector's stub.
 */
void xen_events_init_pv(void)
{
	int v = upcall_vector();

	if (v < 0)
		return;
	__atomic_store_n(&xen_upcall_stub, irq_stubs[v - NR_EXCEPTIONS],
			 __ATOMIC_RELEASE);
	off_reason = NULL;
	pr_info("xen: events: upcall through the PV event callback on vector %#x\n", v);
}

static bool callback_vector_offered(void)
{
	struct xen_feature_info fi = { .submap_idx = 0 };

	return !xen_hypercall2(__HYPERVISOR_xen_version, XENVER_get_features,
			       (u64)(uintptr_t)&fi) &&
	       (fi.submap & (1U << XENFEAT_hvm_callback_vector));
}

/*
 * PVH: HVM_PARAM_CALLBACK_IRQ of the vector type (type in bits 63:56,
 * the vector in 7:0; xen/hvm/params.h): Xen injects that vector into a
 * vCPU whose upcall_pending is set, as a plain interrupt.
 */
void xen_events_init_pvh(void)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ };
	long rc;
	int v;

	if (!xen_shared_info || !xen_vcpu[0]) {
		off_reason = "no shared_info or vcpu_info (see the boot log)";
		return;
	}
	if (!callback_vector_offered()) {
		off_reason = "Xen offers no callback vector (XENFEAT_hvm_callback_vector)";
		pr_err("xen-pvh: %s: events off\n", off_reason);
		return;
	}
	v = upcall_vector();
	if (v < 0)
		return;
	p.value = ((u64)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | (u64)v;
	rc = xen_hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, (u64)(uintptr_t)&p);
	if (rc) {
		irq_free_vector((unsigned int)v);
		off_reason = "HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ) refused";
		pr_err("xen-pvh: %s (%ld): events off\n", off_reason, rc);
		return;
	}
	off_reason = NULL;
	pr_info("xen: events: upcall through the HVM callback vector %#x\n", v);
}
