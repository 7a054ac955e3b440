/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The call-site patcher. pv_build_site() is pure (no kernel state), so the
 * host unit tests run it on buffers exactly as the kernel does.
 */
#ifndef ASM_PV_PATCH_H
#define ASM_PV_PATCH_H

#include <proteus/types.h>
#include <asm/pv/site.h>

#define PV_MAX_SITE_LEN	16

enum pv_site_kind {
	PV_SITE_INDIRECT,	/* left as call *pv_ops+off(%rip) */
	PV_SITE_INLINE,		/* the implementation's body, padded with a NOP */
	PV_SITE_DIRECT,		/* call rel32 to the implementation, padded */
	PV_SITE_NOP,		/* the implementation is pv_nop: all NOPs */
	PV_SITE_KINDS,
};

/* What an implementation looks like to the patcher. */
struct pv_impl {
	u64 fn;			/* its address */
	const u8 *body;		/* its inline body, or NULL */
	u8 body_len;
	u8 body_clobbers;
	bool is_nop;		/* the designated no-op */
};

/* Write the longest NOPs that fill len bytes: one instruction up to 11. */
void pv_fill_nops(u8 *buf, unsigned int len);

/*
 * The bytes for a site at site_addr of length len and clobber class
 * site_clobbers calling impl: an inline body if it fits and clobbers no
 * more than the site allows, NOPs for the no-op, else a direct call if the
 * target is within rel32 reach. Returns the kind; out is untouched for
 * PV_SITE_INDIRECT.
 */
enum pv_site_kind pv_build_site(u8 *out, u64 site_addr, unsigned int len,
				unsigned int site_clobbers,
				const struct pv_impl *impl);

/* The unpatched bytes of a site whose op lives at slot_addr. */
void pv_build_indirect(u8 *out, u64 site_addr, u64 slot_addr);

/*
 * Whether the len bytes at site (linked at site_addr) are exactly that
 * unpatched call through slot_addr: the patcher touches nothing else.
 */
bool pv_site_holds_call(const u8 *site, u64 site_addr, unsigned int len,
			u64 slot_addr);

#endif
