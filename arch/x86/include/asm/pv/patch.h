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
	PV_SITE_INLINE,		/* a NOP, then the implementation's body */
	PV_SITE_DIRECT,		/* a NOP, then call rel32 to the implementation */
	PV_SITE_NOP,		/* the implementation is pv_nop: all NOPs */
	PV_SITE_KINDS,
};

/* What an implementation looks like to the patcher. */
struct pv_impl {
	u64 fn;			/* its address */
	const u8 *body;		/* its inline body, or NULL */
	u8 body_len;
	u8 body_clobbers;
	u8 body_insns;		/* instructions in the body */
	bool is_nop;		/* the designated no-op */
};

/* Write the longest NOPs that fill len bytes: one instruction up to 11. */
void pv_fill_nops(u8 *buf, unsigned int len);

/*
 * The bytes for a site at site_addr of length len and clobber class
 * site_clobbers calling impl: an inline body if it fits and clobbers no
 * more than the site allows, NOPs for the no-op, else a direct call if the
 * target is within rel32 reach. Padding comes first: the body or call ends
 * at the site's end. Returns the kind; out is untouched for
 * PV_SITE_INDIRECT.
 */
enum pv_site_kind pv_build_site(u8 *out, u64 site_addr, unsigned int len,
				unsigned int site_clobbers,
				const struct pv_impl *impl);

/*
 * How many bytes of NOPs lead a site of that kind, built for impl: the
 * whole site for the no-op, none for the indirect call.
 */
unsigned int pv_site_lead(enum pv_site_kind kind, unsigned int len,
			  const struct pv_impl *impl);

/*
 * Where a CPU stopped at rip resumes for a site at site_addr, len bytes
 * long, whose first lead bytes are NOPs: at the site's start if rip is
 * strictly inside the site and no further than those NOPs (it has run
 * nothing of the site yet), else at rip.
 */
u64 pv_site_resume(u64 rip, u64 site_addr, unsigned int len, unsigned int lead);

/* The unpatched bytes of a site whose op lives at slot_addr. */
void pv_build_indirect(u8 *out, u64 site_addr, u64 slot_addr);

/*
 * Whether the len bytes at site (linked at site_addr) are exactly that
 * unpatched call through slot_addr: the patcher touches nothing else.
 */
bool pv_site_holds_call(const u8 *site, u64 site_addr, unsigned int len,
			u64 slot_addr);

#endif
