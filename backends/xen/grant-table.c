// SPDX-License-Identifier: GPL-2.0
/*
 * The grant table (v1, xen/grant_table.h): an array of entries we write,
 * in frames Xen owns and shares with us, through which we let another
 * domain access one of our frames. The frames land in gnttab_area, one
 * page-aligned stretch of our bss used for nothing else:
 *  - PV: GNTTABOP_setup_table gives the frames' machine numbers, and
 *    update_va_mapping points our page at each (a PV kernel's PTEs hold
 *    machine frames, so this is the way to map a frame we do not own as
 *    RAM);
 *  - PVH: XENMEM_add_to_physmap(XENMAPSPACE_grant_table) puts frame i at
 *    the guest-physical page of our own area page i; Xen releases the RAM
 *    page that was there. That is safe because nothing else ever uses
 *    those bss pages (not the allocator, not the direct map's other
 *    users), they are never freed, and our page tables already map them
 *    write-back, as grant frames (Xen heap RAM) want.
 * The first GNTTAB_NR_RESERVED_ENTRIES entries are left to the toolstack
 * (console, xenstore); the rest go through a free list.
 */
#include <asm/pgtable.h>
#include <proteus/compiler.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include "grant-table.h"
#include "xen.h"

#define NR_ENTRIES	GNTTAB_NR_ENTRIES
#define LIST_END	0xffffffffU
#define IN_USE		0xfffffffeU

static u8 gnttab_area[GNTTAB_FRAMES * PAGE_SIZE] __aligned(PAGE_SIZE)
	__section(".bss.page_aligned");

static struct grant_entry_v1 *gnttab;
static const char *off_reason = "grant table not set up";
static char off_buf[96];

static grant_ref_t next_free[NR_ENTRIES];
static grant_ref_t free_head = LIST_END;
static unsigned int nr_free;
static DEFINE_SPINLOCK(gnttab_lock);

/* The frame Xen knows our page by: the MFN under PV, else the PFN. */
u64 xen_frame_of(const void *va)
{
	u64 pfn = (u64)(uintptr_t)va >> PAGE_SHIFT;

	if (xen_start_info)
		return ((const u64 *)(uintptr_t)xen_start_info->mfn_list)[pfn];
	return pfn;
}

/*
 * Our domain id, for grant entries (DOMID_SELF is not valid there). Xen
 * offers no call that returns it; the hardware domain is domain 0 (Xen
 * 4.17 builds dom0 first and we are not started by a late-hwdom setup,
 * which needs a toolstack).
 */
domid_t xen_self_domid(void)
{
	return xen_is_dom0() ? 0 : DOMID_INVALID;
}

/* Xen's bad reply, already in off_buf: say it once; the selftests skip with it. */
static bool turn_off(void)
{
	off_reason = off_buf;
	pr_err("grant: %s; grants off\n", off_reason);
	return false;
}

static long gnttab_op(unsigned int cmd, void *arg, unsigned int count)
{
	return xen_hypercall3(__HYPERVISOR_grant_table_op, cmd,
			      (u64)(uintptr_t)arg, count);
}

static bool map_pv(unsigned int nr)
{
	xen_pfn_t frames[GNTTAB_FRAMES];
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = nr };
	unsigned int i;
	long rc;

	set_xen_guest_handle(st.frame_list, frames);
	rc = gnttab_op(GNTTABOP_setup_table, &st, 1);
	if (rc || st.status != GNTST_okay) {
		snprintf(off_buf, sizeof(off_buf),
			 "GNTTABOP_setup_table(%u frames) failed: rc %ld status %d",
			 nr, rc, st.status);
		return turn_off();
	}
	for (i = 0; i < nr; i++) {
		u64 va = (u64)(uintptr_t)gnttab_area + i * PAGE_SIZE;
		/* The user bit: the PV kernel runs in ring 3. */
		u64 pte = (frames[i] << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
			  _PAGE_USER | _PAGE_NX;

		rc = xen_hypercall3(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG);
		if (rc) {
			snprintf(off_buf, sizeof(off_buf),
				 "update_va_mapping of grant frame %u (mfn %#llx) failed: %ld",
				 i, (unsigned long long)frames[i], rc);
			return turn_off();
		}
	}
	return true;
}

static bool map_pvh(unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct xen_add_to_physmap xatp = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = i,
			.gpfn = xen_frame_of(gnttab_area + i * PAGE_SIZE),
		};
		long rc = xen_hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
					 (u64)(uintptr_t)&xatp);

		if (rc) {
			snprintf(off_buf, sizeof(off_buf),
				 "XENMEM_add_to_physmap(grant frame %u) failed: %ld", i, rc);
			return turn_off();
		}
	}
	return true;
}

void gnttab_init(void)
{
	struct gnttab_query_size qs = { .dom = DOMID_SELF };
	unsigned int nr = GNTTAB_FRAMES;
	grant_ref_t ref;
	long rc;

	rc = gnttab_op(GNTTABOP_query_size, &qs, 1);
	if (rc || qs.status != GNTST_okay) {
		snprintf(off_buf, sizeof(off_buf),
			 "GNTTABOP_query_size failed: rc %ld status %d", rc, qs.status);
		turn_off();
		return;
	}
	/* Xen refuses frames past its limit: its reply is the judge. */
	if (!(xen_start_info ? map_pv(nr) : map_pvh(nr)))
		return;
	gnttab = (struct grant_entry_v1 *)gnttab_area;
	for (ref = NR_ENTRIES; ref-- > GNTTAB_NR_RESERVED_ENTRIES; ) {
		gnttab[ref].flags = 0;
		next_free[ref] = free_head;
		free_head = ref;
		nr_free++;
	}
	off_reason = NULL;
	pr_info("grant: v1, %u of %u frames by %s, %u entries free (%u reserved)\n",
		nr, qs.max_nr_frames,
		xen_start_info ? "setup_table" : "add_to_physmap",
		nr_free, GNTTAB_NR_RESERVED_ENTRIES);
}

const char *gnttab_off_reason(void)
{
	return off_reason;
}

unsigned int gnttab_nr_free(void)
{
	return nr_free;
}

/*
 * Let domid access frame (read-only if asked). domid and frame must be
 * visible before the flags that validate the entry: the release store
 * orders them (a write barrier).
 */
int gnttab_grant_access(domid_t domid, u64 frame, bool readonly)
{
	grant_ref_t ref;

	if (!gnttab)
		return -XEN_ENODEV;
	if (frame > 0xffffffffULL)
		return -XEN_EINVAL;
	spin_lock(&gnttab_lock);
	ref = free_head;
	if (ref != LIST_END) {
		free_head = next_free[ref];
		next_free[ref] = IN_USE;
		nr_free--;
	}
	spin_unlock(&gnttab_lock);
	if (ref == LIST_END)
		return -XEN_ENOSPC;
	gnttab[ref].domid = domid;
	gnttab[ref].frame = (u32)frame;
	__atomic_store_n(&gnttab[ref].flags,
			 GTF_permit_access | (readonly ? GTF_readonly : 0),
			 __ATOMIC_RELEASE);
	return (int)ref;
}

/*
 * Take the access back: clear the flags unless Xen has marked the entry
 * in use (GTF_reading/GTF_writing while a mapping or copy holds it); the
 * compare-exchange makes that check and the clearing one step against
 * Xen setting those bits. -XEN_EBUSY then, and the grant stays.
 */
int gnttab_end_access(grant_ref_t ref)
{
	u16 flags;

	if (!gnttab)
		return -XEN_ENODEV;
	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= NR_ENTRIES ||
	    next_free[ref] != IN_USE)
		return -XEN_EINVAL;
	flags = __atomic_load_n(&gnttab[ref].flags, __ATOMIC_RELAXED);
	do {
		if (flags & (GTF_reading | GTF_writing))
			return -XEN_EBUSY;
	} while (!__atomic_compare_exchange_n(&gnttab[ref].flags, &flags, 0, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	spin_lock(&gnttab_lock);
	next_free[ref] = free_head;
	free_head = ref;
	nr_free++;
	spin_unlock(&gnttab_lock);
	return 0;
}

struct grant_entry_v1 *gnttab_entry(grant_ref_t ref)
{
	return gnttab && ref < NR_ENTRIES ? &gnttab[ref] : NULL;
}

long gnttab_copy(struct gnttab_copy *ops, unsigned int n)
{
	return gnttab_op(GNTTABOP_copy, ops, n);
}
