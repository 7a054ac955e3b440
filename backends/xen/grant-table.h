/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Grant table API (backends/xen/grant-table.c). Errors are negative
 * XEN_E* values (xen/errno.h).
 */
#ifndef BACKENDS_XEN_GRANT_TABLE_H
#define BACKENDS_XEN_GRANT_TABLE_H

#include <proteus/memmap.h>
#include <proteus/types.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#define GNTTAB_FRAMES	2	/* of Xen 4.17's default 64: 1024 v1 entries */
#define GNTTAB_NR_ENTRIES (GNTTAB_FRAMES * PAGE_SIZE / sizeof(struct grant_entry_v1))

/* Set up and map the table; on a bad reply say why and leave grants off. */
void gnttab_init(void);
/* NULL when grants work, else why they are off. */
const char *gnttab_off_reason(void);
unsigned int gnttab_nr_free(void);

/* A reference letting domid access frame; -XEN_ENOSPC when none is free. */
int gnttab_grant_access(domid_t domid, u64 frame, bool readonly);
/* 0 and the reference freed, or -XEN_EBUSY while Xen uses the grant. */
int gnttab_end_access(grant_ref_t ref);
/* GNTTABOP_copy of n operations; each one's status is in its .status. */
long gnttab_copy(struct gnttab_copy *ops, unsigned int n);

/* For tests: the entry behind ref, NULL when grants are off. */
struct grant_entry_v1 *gnttab_entry(grant_ref_t ref);

/* The frame Xen knows a kernel page by (MFN under PV, PFN under PVH). */
u64 xen_frame_of(const void *va);
/* Our own domain id, DOMID_INVALID when we cannot tell. */
domid_t xen_self_domid(void);

#endif
