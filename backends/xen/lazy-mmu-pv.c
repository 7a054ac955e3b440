// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV lazy MMU mode. Every set_pte is a trap to Xen; inside a lazy-MMU
 * section the kernel promises not to read back what it wrote until the
 * section ends, so the updates can wait: each vCPU queues them in its own
 * batch and hands the batch to Xen as one multicall (an mmu_update of it all)
 * when the outermost section ends, when the batch is full, or just before
 * any other MMU hypercall (so Xen applies everything in program order).
 * A refused update is a kernel bug, and the panic names it.
 *
 * An interrupt handler's set_pte does not join the batch it interrupted:
 * it goes to Xen at once, after that batch (the direct path flushes
 * first). Queueing and flushing run with events masked, so a handler never
 * finds a batch half written or half sent.
 */
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/pv/ops.h>
#include <proteus/cpumask.h>
#include <proteus/panic.h>
#include "mmu-pv.h"
#include "xen.h"

struct lazy_batch {
	struct multicall_entry mc;
	struct mmu_update req[XEN_LAZY_MMU_BATCH];
	u32 done;			/* updates Xen applied */
	unsigned int n;
	unsigned int depth;		/* open sections, nested */
};

static struct lazy_batch batches[MAX_CPUS];
struct xen_mmu_calls xen_mmu_calls;

/*
 * No section opens before the per-CPU areas exist (the first is the
 * patcher's alias): until one has, there is nothing to flush, and the
 * early W^X pass may not look for this CPU's batch yet.
 */
static bool sections_used;

static struct lazy_batch *this_batch(void)
{
	return &batches[smp_processor_id()];
}

/*
 * One multicall whose entry is an mmu_update of the whole batch (one
 * entry per update costs Xen as much as the traps it saves). The entry's
 * result is the mmu_update's; the multicall itself fails only when Xen
 * cannot read the entry list, which is ours: a kernel bug.
 */
long xen_lazy_mmu_send(struct multicall_entry *mc, const struct mmu_update *req,
		       unsigned int n, u32 *done)
{
	long rc;

	*done = 0;
	*mc = (struct multicall_entry){
		.op = __HYPERVISOR_mmu_update,
		.args = { (u64)(uintptr_t)req, n, (u64)(uintptr_t)done, DOMID_SELF },
	};
	rc = xen_hypercall2(__HYPERVISOR_multicall, (u64)(uintptr_t)mc, 1);
	__atomic_fetch_add(&xen_mmu_calls.multicall, 1, __ATOMIC_RELAXED);
	if (rc)
		panic("xen-pv: multicall of %u deferred mmu_updates failed (%ld)", n, rc);
	return (long)mc->result;
}

/* Called with events masked. */
static void send_batch(struct lazy_batch *b)
{
	long rc;

	if (!b->n)
		return;
	rc = xen_lazy_mmu_send(&b->mc, b->req, b->n, &b->done);
	if (rc)
		xen_mmu_batch_panic("deferred", b->req, b->n, b->done, rc);
	b->n = 0;
}

void xen_lazy_mmu_flush(void)
{
	u64 flags;

	if (!__atomic_load_n(&sections_used, __ATOMIC_RELAXED))
		return;
	flags = irq_save();
	send_batch(this_batch());
	restore_flags(flags);
}

static void queue(struct lazy_batch *b, u64 *ptep, u64 val)
{
	unsigned int i = b->n;

	b->req[i].ptr = xen_machine_addr(ptep) | MMU_NORMAL_PT_UPDATE;
	b->req[i].val = val;
	b->n = i + 1;
	if (b->n == XEN_LAZY_MMU_BATCH)
		send_batch(b);
}

/* set_pte: queued inside a section (not from a handler), else at once. */
static void xen_pv_lazy_set_pte(u64 *ptep, u64 val)
{
	struct lazy_batch *b = this_batch();
	u64 flags;

	if (!b->depth || in_irq()) {
		xen_pv_set_pte(ptep, val);
		return;
	}
	flags = irq_save();
	queue(b, ptep, val);
	restore_flags(flags);
}

/* Nothing for Xen to do yet: only this vCPU's count of open sections. */
static void xen_pv_lazy_mmu_enter(void)
{
	__atomic_store_n(&sections_used, true, __ATOMIC_RELAXED);
	this_batch()->depth++;
}

/* The outermost section ends: the queued updates go to Xen now. */
static void xen_pv_lazy_mmu_leave(void)
{
	struct lazy_batch *b = this_batch();

	if (!b->depth)
		panic("xen-pv: lazy_mmu_leave without lazy_mmu_enter");
	if (!--b->depth)
		xen_lazy_mmu_flush();
}

void xen_pv_lazy_mmu_install(void)
{
	pv_ops.mmu.set_pte = xen_pv_lazy_set_pte;
	pv_ops.mmu.lazy_mmu_enter = xen_pv_lazy_mmu_enter;
	pv_ops.mmu.lazy_mmu_leave = xen_pv_lazy_mmu_leave;
}
