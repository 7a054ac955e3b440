// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV page tables. The domain's entries hold machine frames, and Xen
 * alone writes them: every table page is mapped read-only, the root is
 * pinned, and changes go through mmu_update, which validates each entry
 * (no writable mapping of a table page, no frame the domain does not own
 * unless it is I/O memory a dom0 may map). The kernel thinks in
 * pseudo-physical frames: the pte value conversions translate through the
 * p2m list Xen gave (start_info.mfn_list) and its read-only machine-to-
 * phys table (MACH2PHYS_VIRT_START).
 *
 * Xen built the first tables (already pinned and read-only, and mapping
 * the kernel at va == pseudo-physical); paging_init turns them into W^X
 * tables in place, through the same hooks, then moves the kernel onto a
 * copy of its own (pagetable-pv.c). Inside lazy-MMU sections set_pte is
 * batched (lazy-mmu-pv.c).
 */
#include <asm/pgtable.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <xen/memory.h>
#include "mmu-pv.h"
#include "xen.h"

#define MMU_BATCH	64

static const u64 *const m2p = (const u64 *)MACH2PHYS_VIRT_START;
static const u64 *p2m;
static u64 p2m_nr, m2p_nr;
/*
 * The root in use, as the kernel means it: one for every vCPU (they share
 * the kernel's tables; a switch to another root is a CPU-local test with
 * interrupts off).
 */
static u64 cr3_pa;

/* A RAM frame of ours goes to its machine frame; others (I/O) as they are. */
u64 xen_pfn_to_mfn(u64 pfn)
{
	return pfn < p2m_nr ? p2m[pfn] : pfn;
}

/* A machine frame of ours back to its pfn; foreign or I/O frames unchanged. */
u64 xen_mfn_to_pfn(u64 mfn)
{
	u64 pfn = mfn < m2p_nr ? m2p[mfn] : ~0ULL;

	return pfn < p2m_nr && p2m[pfn] == mfn ? pfn : mfn;
}

static u64 convert_frame(u64 e, u64 (*conv)(u64))
{
	if (!(e & _PAGE_PRESENT))
		return e;
	return (e & ~PTE_ADDR_MASK) |
	       (conv((e & PTE_ADDR_MASK) >> PAGE_SHIFT) << PAGE_SHIFT);
}

/* Entries Xen hands back name machine frames: the kernel wants pfns. */
u64 xen_pv_pte_val(u64 pte);
u64 xen_pv_pte_val(u64 pte)
{
	return convert_frame(pte, xen_mfn_to_pfn);
}
PV_CALLEE_SAVE_THUNK(xen_pv_pte_val);

/* And the kernel's values become machine frames before Xen sees them. */
u64 xen_pv_make_pte(u64 val);
u64 xen_pv_make_pte(u64 val)
{
	return convert_frame(val, xen_pfn_to_mfn);
}
PV_CALLEE_SAVE_THUNK(xen_pv_make_pte);

/* The machine address of a kernel virtual address in the direct map. */
u64 xen_machine_addr(const void *va)
{
	u64 pa = (u64)(uintptr_t)va;

	return xen_pfn_to_mfn(pa >> PAGE_SHIFT) << PAGE_SHIFT | (pa & (PAGE_SIZE - 1));
}

long xen_pv_mmu_update(u64 *ptep, u64 val)
{
	struct mmu_update req = {
		.ptr = xen_machine_addr(ptep) | MMU_NORMAL_PT_UPDATE,
		.val = val,
	};

	xen_lazy_mmu_flush();
	__atomic_fetch_add(&xen_mmu_calls.mmu_update, 1, __ATOMIC_RELAXED);
	return xen_hypercall(__HYPERVISOR_mmu_update, (u64)(uintptr_t)&req, 1, 0,
			     DOMID_SELF, 0);
}

/*
 * set_pte and the other levels: Xen validates and writes the entry
 * (MMU_NORMAL_PT_UPDATE at the entry's machine address). A refusal means
 * the kernel asked for something unsafe: stop, naming it.
 */
void xen_pv_set_pte(u64 *ptep, u64 val)
{
	long rc = xen_pv_mmu_update(ptep, val);

	if (rc)
		panic("xen-pv: mmu_update of the entry at %p to %#llx refused (%ld)",
		      ptep, (unsigned long long)val, rc);
}

static long mmuext(unsigned int cmd, u64 arg1)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = arg1;
	xen_lazy_mmu_flush();
	return xen_hypercall(__HYPERVISOR_mmuext_op, (u64)(uintptr_t)&op, 1, 0,
			     DOMID_SELF, 0);
}

static void mmuext_or_panic(unsigned int cmd, u64 arg1, const char *what)
{
	long rc = mmuext(cmd, arg1);

	if (rc)
		panic("xen-pv: %s (%#llx) refused (%ld)", what,
		      (unsigned long long)arg1, rc);
}

/* %cr3 holds a machine address Xen owns: keep the kernel's view here. */
static u64 xen_pv_read_cr3(void)
{
	return cr3_pa;
}

/* Switching roots is MMUEXT_NEW_BASEPTR on the (pinned) root's mfn. */
static void xen_pv_write_cr3(u64 v)
{
	mmuext_or_panic(MMUEXT_NEW_BASEPTR, xen_pfn_to_mfn(v >> PAGE_SHIFT),
			"switching to a new page-table root");
	cr3_pa = v & PTE_ADDR_MASK;
}

/* TLB flushes are privileged: Xen flushes this vCPU for us. */
static void xen_pv_flush_tlb_local(void)
{
	mmuext_or_panic(MMUEXT_TLB_FLUSH_LOCAL, 0, "TLB flush");
}

static void xen_pv_flush_tlb_one(u64 va)
{
	mmuext_or_panic(MMUEXT_INVLPG_LOCAL, va, "invlpg");
}

/* Remap one direct-map page with update_va_mapping, flushing its entry. */
static void remap_direct(phys_addr_t pa, u64 flags)
{
	long rc;

	xen_lazy_mmu_flush();
	rc = xen_hypercall3(__HYPERVISOR_update_va_mapping, pa,
			    xen_pv_make_pte(pa | flags), UVMF_INVLPG);
	if (rc)
		panic("xen-pv: remapping page %#llx refused (%ld)",
		      (unsigned long long)pa, rc);
}

/*
 * A page about to become a table: Xen refuses to use it as one while any
 * mapping of it is writable, so its direct-map alias goes read-only; a
 * root is pinned too, so Xen validates it once and keeps its type.
 */
static void xen_pv_alloc_pt(phys_addr_t pa, int level)
{
	remap_direct(pa, _PAGE_PRESENT | nx_bit());
	if (level == 4)
		mmuext_or_panic(MMUEXT_PIN_L4_TABLE, xen_pfn_to_mfn(pa >> PAGE_SHIFT),
				"pinning a page-table root");
}

/* Unlinked (and flushed) tables become ordinary writable pages again. */
static void xen_pv_release_pt(phys_addr_t pa, int level)
{
	if (level == 4)
		mmuext_or_panic(MMUEXT_UNPIN_TABLE, xen_pfn_to_mfn(pa >> PAGE_SHIFT),
				"unpinning a page-table root");
	remap_direct(pa, _PAGE_PRESENT | _PAGE_RW | nx_bit());
}

/* Up to MMU_BATCH updates in one mmu_update hypercall. */
struct mmu_batch {
	struct mmu_update req[MMU_BATCH];
	unsigned int n;
};

long xen_mmu_update_batch(const struct mmu_update *req, unsigned int n, u32 *done)
{
	*done = 0;
	return xen_hypercall(__HYPERVISOR_mmu_update, (u64)(uintptr_t)req, n,
			     (u64)(uintptr_t)done, DOMID_SELF, 0);
}

/*
 * Xen's pdone counts the updates it applied (xen/arch/x86/mm.c adds the
 * loop index on every exit), so the refused one is req[done]. The entry
 * is named by its direct-map address, found back through the m2p.
 */
int xen_mmu_batch_refusal(char *buf, size_t len, const char *what,
			  const struct mmu_update *req, unsigned int n, u32 done, long rc)
{
	u64 ma, pa;

	if (done >= n)
		return snprintf(buf, len, "xen-pv: %s batch of %u mmu_updates refused (%ld)",
				what, n, rc);
	ma = req[done].ptr & ~(u64)(sizeof(u64) - 1);
	pa = xen_mfn_to_pfn(ma >> PAGE_SHIFT) << PAGE_SHIFT | (ma & (PAGE_SIZE - 1));
	return snprintf(buf, len,
			"xen-pv: %s mmu_update %u of %u, the entry at %p to %#llx, refused (%ld)",
			what, done + 1, n, phys_to_virt(pa),
			(unsigned long long)req[done].val, rc);
}

void __noreturn xen_mmu_batch_panic(const char *what, const struct mmu_update *req,
				    unsigned int n, u32 done, long rc)
{
	static char msg[160];

	xen_mmu_batch_refusal(msg, sizeof(msg), what, req, n, done, rc);
	panic("%s", msg);
}

static void batch_flush(struct mmu_batch *b)
{
	u32 done;
	long rc;

	if (!b->n)
		return;
	rc = xen_mmu_update_batch(b->req, b->n, &done);
	if (rc)
		xen_mmu_batch_panic("batched", b->req, b->n, done, rc);
	b->n = 0;
}

static void batch_add(struct mmu_batch *b, u64 *ptep, u64 val)
{
	b->req[b->n].ptr = xen_machine_addr(ptep) | MMU_NORMAL_PT_UPDATE;
	b->req[b->n].val = val;
	if (++b->n == MMU_BATCH)
		batch_flush(b);
}

extern char _text[], _etext[], _rodata[], _erodata[], _data[], __bss_end[];
extern char _end[];

static bool in(u64 va, const char *lo, const char *hi)
{
	return va >= (u64)(uintptr_t)lo && va < (u64)(uintptr_t)hi;
}

/* What each page Xen mapped becomes: W^X by section, tables read-only. */
static u64 wx_flags(u64 va, u64 nx)
{
	u64 pt_lo = xen_start_info->pt_base;
	u64 pt_hi = pt_lo + xen_start_info->nr_pt_frames * PAGE_SIZE;

	if (in(va, _text, _etext))
		return _PAGE_PRESENT;
	if (in(va, _rodata, _erodata) || in(va, __bss_end, _end) ||
	    (va >= pt_lo && va < pt_hi))
		return _PAGE_PRESENT | nx;
	return _PAGE_PRESENT | _PAGE_RW | nx;
}

static bool cpu_has_nx(void)
{
	struct cpuid_regs r;

	cpuid(0x80000001, &r);
	return r.edx & (1U << 20);
}

/*
 * Xen's initial tables become the kernel's: every page it mapped for us
 * (kernel, start info, p2m list, the tables, the stack) is rewritten by
 * section in batches, page 0 unmapped so NULL faults. A page that maps
 * another frame (shared_info over its bss page) keeps it, not executable.
 */
static void xen_pv_paging_init(void)
{
	static struct mmu_batch batch;
	u64 *root = phys_to_virt(xen_start_info->pt_base), va, nx;
	int level;

	pgtable_set_nx(cpu_has_nx());
	nx = nx_bit();
	for (va = 0; va < boot_info.direct_map_limit; va += PAGE_SIZE) {
		u64 *e = pgtable_lookup(root, va, &level);

		if (!e)
			continue;
		if (level != 1)
			panic("xen-pv: %#llx is not mapped with a 4 KiB page",
			      (unsigned long long)va);
		if (va && (xen_pv_pte_val(*e) & PTE_ADDR_MASK) != va)
			batch_add(&batch, e, *e | nx);	/* another frame: data */
		else
			batch_add(&batch, e, va ? xen_pv_make_pte(va | wx_flags(va, nx)) : 0);
	}
	batch_flush(&batch);
	xen_pv_flush_tlb_local();
	wx_enforced = nx != 0;
	wx_skip_reason = nx ? NULL : "the CPU has no NX bit";
	pr_info("mm: Xen PV: Xen's page tables at %#llx made W^X through mmu_update (%llu KiB mapped)\n",
		(unsigned long long)xen_start_info->pt_base,
		(unsigned long long)(boot_info.direct_map_limit >> 10));
	xen_pv_own_tables();
}

/* The machine address a device must use for our buffer: through the p2m. */
static u64 xen_pv_dma_addr(const void *va)
{
	return xen_machine_addr(va);
}

void xen_pv_mmu_install(void)
{
	struct xen_machphys_mapping mp;

	p2m = (const u64 *)(uintptr_t)xen_start_info->mfn_list;
	p2m_nr = xen_start_info->nr_pages;
	if (xen_hypercall2(__HYPERVISOR_memory_op, XENMEM_machphys_mapping,
			   (u64)(uintptr_t)&mp))
		panic("xen-pv: XENMEM_machphys_mapping failed: no machine-to-phys table");
	m2p_nr = mp.max_mfn + 1;
	cr3_pa = xen_start_info->pt_base;
	hv_hole_start = HYPERVISOR_VIRT_START;
	hv_hole_end = HYPERVISOR_VIRT_END;
	pv_ops.cpu.read_cr3 = xen_pv_read_cr3;
	pv_ops.cpu.write_cr3 = xen_pv_write_cr3;
	pv_ops.mmu.set_pte = xen_pv_set_pte;
	pv_ops.mmu.set_pmd = xen_pv_set_pte;
	pv_ops.mmu.set_pud = xen_pv_set_pte;
	pv_ops.mmu.set_p4d = xen_pv_set_pte;
	pv_ops.mmu.alloc_pt = xen_pv_alloc_pt;
	pv_ops.mmu.release_pt = xen_pv_release_pt;
	pv_ops.mmu.flush_tlb_local = xen_pv_flush_tlb_local;
	pv_ops.mmu.flush_tlb_one = xen_pv_flush_tlb_one;
	pv_ops.mmu.pte_val = PV_CALLEE_SAVE(xen_pv_pte_val);
	pv_ops.mmu.make_pte = PV_CALLEE_SAVE(xen_pv_make_pte);
	pv_ops.io.dma_addr = xen_pv_dma_addr;
	pv_init.paging_init = xen_pv_paging_init;
}
