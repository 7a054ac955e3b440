// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction bytes for pv sites. NOPs are the multi-byte forms both
 * vendors recommend (0f 1f /0 with growing ModRM/SIB/displacement, 66 and
 * cs prefixes for 9-11 bytes), so padding of up to 11 bytes is a single
 * instruction: the goal is "bare instruction plus at most one NOP".
 *
 * The padding LEADS, and the body or call ends at the site's end:
 *   inline    NOP, body          direct    NOP (90), e8 rel32
 *   nop       NOPs               indirect  ff 15 disp32
 * so a call returns to the site's end, whatever the site holds by then,
 * and the only instruction boundaries inside a site (for a body of one
 * instruction) follow leading NOPs: a CPU stopped at one has done nothing
 * yet and may resume at the site's start instead (pv_site_resume), which
 * is what runtime re-patching does with a CPU it interrupted there.
 */
#include <asm/pv/patch.h>
#include <proteus/string.h>

#define MAX_NOP	11

static const u8 nops[MAX_NOP + 1][MAX_NOP] = {
	[1] = { 0x90 },
	[2] = { 0x66, 0x90 },
	[3] = { 0x0f, 0x1f, 0x00 },
	[4] = { 0x0f, 0x1f, 0x40, 0x00 },
	[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[6] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[7] = { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	[8] = { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	[9] = { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	[10] = { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	[11] = { 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void pv_fill_nops(u8 *buf, unsigned int len)
{
	while (len) {
		unsigned int n = len > MAX_NOP ? MAX_NOP : len;

		memcpy(buf, nops[n], n);
		buf += n;
		len -= n;
	}
}

static void put_rel32(u8 *p, s64 rel)
{
	u32 v = (u32)(s32)rel;

	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static bool rel32_reaches(s64 rel)
{
	return rel >= INT32_MIN && rel <= INT32_MAX;
}

enum pv_site_kind pv_build_site(u8 *out, u64 site_addr, unsigned int len,
				unsigned int site_clobbers,
				const struct pv_impl *impl)
{
	s64 rel = (s64)(impl->fn - (site_addr + len));

	if (len > PV_MAX_SITE_LEN)
		return PV_SITE_INDIRECT;
	if (impl->is_nop) {
		pv_fill_nops(out, len);
		return PV_SITE_NOP;
	}
	/* A wider clobber class number means fewer registers may change. */
	if (impl->body && impl->body_len <= len &&
	    impl->body_clobbers >= site_clobbers) {
		pv_fill_nops(out, len - impl->body_len);
		memcpy(out + len - impl->body_len, impl->body, impl->body_len);
		return PV_SITE_INLINE;
	}
	if (len >= 5 && rel32_reaches(rel)) {
		pv_fill_nops(out, len - 5);
		out[len - 5] = 0xe8;
		put_rel32(out + len - 4, rel);
		return PV_SITE_DIRECT;
	}
	return PV_SITE_INDIRECT;
}

unsigned int pv_site_lead(enum pv_site_kind kind, unsigned int len,
			  const struct pv_impl *impl)
{
	switch (kind) {
	case PV_SITE_INLINE:
		return len - impl->body_len;
	case PV_SITE_DIRECT:
		return len - 5;
	case PV_SITE_NOP:
		return len;
	default:
		return 0;
	}
}

u64 pv_site_resume(u64 rip, u64 site_addr, unsigned int len, unsigned int lead)
{
	u64 off = rip - site_addr;

	return off > 0 && off < len && off <= lead ? site_addr : rip;
}

void pv_build_indirect(u8 *out, u64 site_addr, u64 slot_addr)
{
	out[0] = 0xff;
	out[1] = 0x15;
	put_rel32(out + 2, (s64)(slot_addr - (site_addr + PV_SITE_LEN)));
}

bool pv_site_holds_call(const u8 *site, u64 site_addr, unsigned int len,
			u64 slot_addr)
{
	u8 expect[PV_SITE_LEN];

	if (len != PV_SITE_LEN)
		return false;
	pv_build_indirect(expect, site_addr, slot_addr);
	return !memcmp(site, expect, PV_SITE_LEN);
}
