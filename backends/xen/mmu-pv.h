/* SPDX-License-Identifier: GPL-2.0 */
/* Xen PV page tables (mmu-pv.c): private to backends/xen and its selftests. */
#ifndef BACKENDS_XEN_MMU_PV_H
#define BACKENDS_XEN_MMU_PV_H

#include <proteus/types.h>
#include <xen/xen.h>

/* Install the PV MMU ops (pte conversions, mmu_update, CR3, TLB, paging_init). */
void xen_pv_mmu_install(void);

/* pfn <-> mfn through the p2m list and the machine-to-phys table. */
u64 xen_pfn_to_mfn(u64 pfn);
u64 xen_mfn_to_pfn(u64 mfn);

/*
 * One MMU_NORMAL_PT_UPDATE of the entry at @ptep (a direct-map address)
 * to @val (machine frames): 0, or Xen's negative error, the entry then
 * unchanged.
 */
long xen_pv_mmu_update(u64 *ptep, u64 val);

/* The machine address of a kernel virtual address (image or direct map). */
u64 xen_machine_addr(const void *va);

/* set_pte at once through xen_pv_mmu_update; a refusal panics. */
void xen_pv_set_pte(u64 *ptep, u64 val);

/*
 * @n updates in one mmu_update hypercall (paging_init's batches), or as
 * the one entry of a multicall (lazy MMU mode's way). Xen applies them in
 * order and stops at the first it refuses: 0, or its error with *@done
 * the number it applied, req[*done] being the refused one.
 */
long xen_mmu_update_batch(const struct mmu_update *req, unsigned int n, u32 *done);
long xen_lazy_mmu_send(struct multicall_entry *mc, const struct mmu_update *req,
		       unsigned int n, u32 *done);

/*
 * The message for a refused batch, naming the refused entry (@what says
 * which path): what xen_mmu_batch_panic stops the kernel with. A refused
 * update is a kernel bug; only a selftest asks for the message alone.
 */
int xen_mmu_batch_refusal(char *buf, size_t len, const char *what,
			  const struct mmu_update *req, unsigned int n, u32 done, long rc);
void xen_mmu_batch_panic(const char *what, const struct mmu_update *req,
			 unsigned int n, u32 done, long rc) __attribute__((__noreturn__));

/*
 * Lazy MMU mode (lazy-mmu-pv.c): set_pte batched into one multicall per
 * section. xen_lazy_mmu_flush() sends this vCPU's queued updates; every
 * other MMU hypercall calls it first, so Xen sees them in program order.
 */
#define XEN_LAZY_MMU_BATCH	32	/* updates a vCPU queues before sending */

void xen_pv_lazy_mmu_install(void);
void xen_lazy_mmu_flush(void);

/*
 * The kernel's own tables (pagetable-pv.c): copied from Xen's initial
 * ones, pinned and switched to, with an empty pinned user root; Xen's are
 * then unpinned and freed. From paging_init, after the W^X pass.
 */
void xen_pv_own_tables(void);
extern phys_addr_t xen_pv_user_root;

/* MMU hypercalls since boot, all vCPUs: a debug count for the selftests. */
struct xen_mmu_calls {
	u64 mmu_update;		/* single updates (xen_pv_mmu_update) */
	u64 multicall;		/* batches of deferred updates */
};
extern struct xen_mmu_calls xen_mmu_calls;

#endif
