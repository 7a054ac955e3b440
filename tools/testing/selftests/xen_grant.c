// SPDX-License-Identifier: GPL-2.0
/*
 * The grant table, with the only domain there is: we grant a page to
 * ourselves (dom0's own id, as DOMID_SELF is not valid in an entry) and
 * let Xen copy through the grant (GNTTABOP_copy with a source or
 * destination of type gref). Xen checks each entry's flags and domid, so
 * a revoked, read-only or misaddressed grant is refused by Xen itself.
 */
#include <asm/pv/ops.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <xen/errno.h>
#include "../../../backends/xen/grant-table.h"
#include "../../../backends/xen/xen.h"

static const char *grants_off(void)
{
	if (!xen_info.up)
		return "not on a Xen backend";
	if (xen_self_domid() == DOMID_INVALID)
		return "our domain id is unknown (not dom0)";
	return gnttab_off_reason();
}

struct pages {
	u8 *granted, *local;
};

/* Two fresh pages: one to grant, filled with a pattern that differs per run; one zeroed. */
static bool get_pages(struct pages *p)
{
	phys_addr_t a = alloc_pages(0), b = alloc_pages(0);
	u32 seed = (u32)rdtsc() | 1;
	unsigned int i;

	if (!a || !b) {
		if (a)
			free_pages(a, 0);
		if (b)
			free_pages(b, 0);
		return false;
	}
	p->granted = phys_to_virt(a);
	p->local = phys_to_virt(b);
	for (i = 0; i < PAGE_SIZE; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		p->granted[i] = (u8)seed;
	}
	memset(p->local, 0, PAGE_SIZE);
	return true;
}

static void put_pages(struct pages *p)
{
	free_pages(virt_to_phys(p->granted), 0);
	free_pages(virt_to_phys(p->local), 0);
}

/* Xen copies the granted page (ref, owned by domid) into our local page; the op's status. */
static s16 copy_from_grant(grant_ref_t ref, domid_t domid, void *local)
{
	struct gnttab_copy op = {
		.source = { .u.ref = ref, .domid = domid },
		.dest = { .u.gmfn = xen_frame_of(local), .domid = DOMID_SELF },
		.len = PAGE_SIZE,
		.flags = GNTCOPY_source_gref,
	};
	long rc = gnttab_copy(&op, 1);

	return rc ? GNTST_general_error : op.status;
}

/* Xen copies our local page into the granted page through ref. */
static s16 copy_to_grant(grant_ref_t ref, domid_t domid, const void *local)
{
	struct gnttab_copy op = {
		.source = { .u.gmfn = xen_frame_of(local), .domid = DOMID_SELF },
		.dest = { .u.ref = ref, .domid = domid },
		.len = PAGE_SIZE,
		.flags = GNTCOPY_dest_gref,
	};
	long rc = gnttab_copy(&op, 1);

	return rc ? GNTST_general_error : op.status;
}

static bool all_zero(const u8 *p)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * While granted, Xen copies the page byte for byte; a grant naming
 * another domain is refused (so Xen does check whom we granted to); once
 * revoked, our own copy is refused too and the local page stays zero.
 */
SELFTEST(grant, copy_while_granted_refused_after_revoke)
{
	domid_t self = xen_self_domid();
	struct pages p;
	s16 st;
	int ref;

	if (grants_off())
		return skip(grants_off());
	if (!get_pages(&p))
		return skip("no free pages");
	ref = gnttab_grant_access(self, xen_frame_of(p.granted), false);
	EXPECT(ref >= 0);
	EXPECT_EQ(copy_from_grant(ref, self, p.local), GNTST_okay);
	EXPECT(!memcmp(p.local, p.granted, PAGE_SIZE));
	EXPECT_EQ(gnttab_end_access(ref), 0);

	memset(p.local, 0, PAGE_SIZE);
	ref = gnttab_grant_access(self + 1, xen_frame_of(p.granted), false);
	EXPECT(ref >= 0);
	st = copy_from_grant(ref, self, p.local);
	printk("# copy through a grant to dom%u: status %d\n", self + 1, st);
	EXPECT(st < 0);
	EXPECT_EQ(gnttab_end_access(ref), 0);

	ref = gnttab_grant_access(self, xen_frame_of(p.granted), false);
	EXPECT(ref >= 0);
	EXPECT_EQ(gnttab_end_access(ref), 0);
	st = copy_from_grant(ref, self, p.local);
	printk("# copy through revoked gref %d: status %d\n", ref, st);
	EXPECT(st < 0);
	EXPECT(all_zero(p.local));
	put_pages(&p);
	return TEST_PASS;
}

/* A read-only grant lets Xen read the page but not write it. */
SELFTEST(grant, readonly_refuses_writes)
{
	domid_t self = xen_self_domid();
	struct pages p;
	s16 st;
	int ref;

	if (grants_off())
		return skip(grants_off());
	if (!get_pages(&p))
		return skip("no free pages");
	ref = gnttab_grant_access(self, xen_frame_of(p.granted), true);
	EXPECT(ref >= 0);
	st = copy_to_grant(ref, self, p.local);
	printk("# write through read-only gref %d: status %d\n", ref, st);
	EXPECT(st < 0);
	EXPECT(!all_zero(p.granted));
	EXPECT_EQ(copy_from_grant(ref, self, p.local), GNTST_okay);
	EXPECT(!memcmp(p.local, p.granted, PAGE_SIZE));
	EXPECT_EQ(gnttab_end_access(ref), 0);
	put_pages(&p);
	return TEST_PASS;
}

/*
 * Revoking an entry Xen has marked in use fails with -EBUSY and leaves
 * the grant in place; we play Xen's part by setting GTF_reading, as a
 * mapping or copy in progress would. A reference freed once cannot be
 * freed again.
 */
SELFTEST(grant, revoke_busy_while_in_use)
{
	struct grant_entry_v1 *e;
	int ref;

	if (grants_off())
		return skip(grants_off());
	ref = gnttab_grant_access(xen_self_domid(), 0, true);
	EXPECT(ref >= 0);
	e = gnttab_entry(ref);
	__atomic_or_fetch(&e->flags, GTF_reading, __ATOMIC_SEQ_CST);
	EXPECT_EQ(gnttab_end_access(ref), -XEN_EBUSY);
	EXPECT_EQ(e->flags & GTF_type_mask, GTF_permit_access);
	__atomic_and_fetch(&e->flags, ~GTF_reading, __ATOMIC_SEQ_CST);
	EXPECT_EQ(gnttab_end_access(ref), 0);
	EXPECT_EQ(e->flags, 0);
	EXPECT_EQ(gnttab_end_access(ref), -XEN_EINVAL);
	return TEST_PASS;
}

/*
 * Every free entry can be granted, each a distinct reference past the
 * reserved ones; then the next grant fails with -ENOSPC (and the one
 * after), and all come back.
 */
SELFTEST(grant, exhausted_table_says_so)
{
	static int refs[GNTTAB_NR_ENTRIES];
	static u8 seen[GNTTAB_NR_ENTRIES];
	unsigned int n, free0 = gnttab_nr_free();
	domid_t self = xen_self_domid();
	int ref = 0;

	if (grants_off())
		return skip(grants_off());
	memset(seen, 0, sizeof(seen));
	for (n = 0; n < GNTTAB_NR_ENTRIES; n++) {
		ref = gnttab_grant_access(self, 0, true);
		if (ref < 0)
			break;
		if (ref < GNTTAB_NR_RESERVED_ENTRIES || seen[ref]) {
			printk("# grant %u got reference %d\n", n, ref);
			return TEST_FAIL;
		}
		seen[ref] = 1;
		refs[n] = ref;
	}
	EXPECT_EQ(ref, -XEN_ENOSPC);
	EXPECT_EQ(n, free0);
	EXPECT_EQ(n, GNTTAB_NR_ENTRIES - GNTTAB_NR_RESERVED_ENTRIES);
	EXPECT_EQ(gnttab_grant_access(self, 0, true), -XEN_ENOSPC);
	while (n--)
		EXPECT_EQ(gnttab_end_access(refs[n]), 0);
	EXPECT_EQ(gnttab_nr_free(), free0);
	return TEST_PASS;
}
