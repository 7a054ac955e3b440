// SPDX-License-Identifier: GPL-2.0
/*
 * What Xen is and how we call it. The boot line's version and features
 * are Xen's answer now, and its mode is the one we entered by. Hypercalls
 * go only through our own instruction (syscall under PV, vmcall or
 * vmmcall by CPU vendor under PVH), never through a hypercall page Xen
 * wrote (the XSA-466 lesson): Xen fills one for a PV kernel only if the
 * image names it in a XEN_ELFNOTE_HYPERCALL_PAGE note, and for an HVM or
 * PVH guest only when the guest writes the MSR of CPUID leaf base + 2,
 * which nothing in the kernel does (Xen reads that MSR back as 0, so a
 * guest cannot see whether it was written; what we can see is that every
 * call goes through the instruction at our own sites).
 */
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <proteus/bootinfo.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <xen/elfnote.h>
#include <xen/features.h>
#include "../../../backends/xen/xen.h"

extern const char __xen_notes_start[], __xen_notes_end[];
extern const char _text[], _etext[];

static bool has_feature(u32 submap, unsigned int bit)
{
	return submap & (1U << bit);
}

/*
 * The line's version is XENVER_version asked again, a 4.x; the mode (from
 * Xen's auto_translated_physmap) is the boot path's; the features are
 * today's and fit the mode: only PVH is translated and gets the HVM
 * callback vector, and we are dom0 in both.
 */
SELFTEST(xen, boot_line_matches_hypervisor)
{
	long version;
	u32 features;

	if (!xen_info.up)
		return skip("not on a Xen backend");
	version = xen_query_version();
	EXPECT(version > 0);
	EXPECT_EQ((u32)version >> 16, 4);
	EXPECT_EQ((u32)version >> 16, xen_info.major);
	EXPECT_EQ((u32)version & 0xffff, xen_info.minor);
	EXPECT_EQ(xen_query_features(&features), 0);
	EXPECT_EQ(features, xen_info.features);
	EXPECT_EQ(xen_info.pvh, boot_info.path == BOOT_PVH);
	EXPECT_EQ(!xen_info.pvh, boot_info.path == BOOT_XEN_PV);
	EXPECT_EQ(has_feature(features, XENFEAT_hvm_callback_vector), xen_info.pvh);
	EXPECT(has_feature(features, XENFEAT_dom0));
	return TEST_PASS;
}

struct xen_note {
	u32 namesz, descsz, type;
	char name[4];		/* "Xen\0" */
};

/*
 * Our image's Xen notes (what Xen's domain builder reads): the walk finds
 * the two entry notes, so it reads the real notes, and no hypercall page
 * note among them. Runs everywhere: it is a property of the image.
 */
SELFTEST(xen, no_hypercall_page_note)
{
	const char *p = __xen_notes_start;
	bool entry = false, phys32 = false;

	while (p + sizeof(struct xen_note) <= __xen_notes_end) {
		const struct xen_note *n = (const void *)p;

		EXPECT_EQ(n->namesz, 4);
		EXPECT(!memcmp(n->name, "Xen", 4));
		if (n->type == XEN_ELFNOTE_HYPERCALL_PAGE) {
			printk("# XEN_ELFNOTE_HYPERCALL_PAGE in the image\n");
			return TEST_FAIL;
		}
		entry |= n->type == XEN_ELFNOTE_ENTRY;
		phys32 |= n->type == XEN_ELFNOTE_PHYS32_ENTRY;
		p += sizeof(*n) + ALIGN_UP(n->descsz, 4);
	}
	EXPECT(p == __xen_notes_end);
	EXPECT(entry && phys32);
	return TEST_PASS;
}

/* The instruction a hypercall must be here, told from the boot path and CPUID alone. */
static const u8 *expected_insn(unsigned int *len)
{
	static const u8 syscall[] = { 0x0f, 0x05 };
	static const u8 vmcall[] = { 0x0f, 0x01, 0xc1 };
	static const u8 vmmcall[] = { 0x0f, 0x01, 0xd9 };
	struct cpuid_regs r;

	if (boot_info.path == BOOT_XEN_PV) {
		*len = sizeof(syscall);
		return syscall;
	}
	cpuid(0, &r);
	*len = 3;
	/* "AuthenticAMD", "HygonGenuine": SVM's vmmcall. */
	return (r.ebx == 0x68747541 || r.ebx == 0x6f677948) ? vmmcall : vmcall;
}

static s32 get_s32(const u8 *p)
{
	s32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * The hypercall op points into our own text at that instruction, and
 * every hypercall site ends in the instruction itself (inline) or in a
 * direct call to the op: no site calls anything else, such as a page Xen
 * wrote. Then one call through the sites gets Xen's answer.
 */
SELFTEST(xen, hypercalls_through_own_sites)
{
	const u8 *fn = (const u8 *)(uintptr_t)pv_ops.hypercall;
	unsigned int i, len, sites = 0;
	const u8 *insn;

	if (!xen_info.up)
		return skip("not on a Xen backend");
	insn = expected_insn(&len);
	EXPECT(fn >= (const u8 *)_text && fn + len <= (const u8 *)_etext);
	EXPECT(!memcmp(fn, insn, len));
	for (i = 0; i < pv_nr_sites(); i++) {
		const struct pv_site *s = pv_site(i);
		const u8 *end = (const u8 *)(uintptr_t)(s->addr + s->len);

		if (s->op != PV_OP_INDEX(hypercall))
			continue;
		sites++;
		if (pv_site_kind(i) == PV_SITE_INLINE && s->len >= len &&
		    !memcmp(end - len, insn, len))
			continue;
		if (pv_site_kind(i) == PV_SITE_DIRECT && end[-5] == 0xe8 &&
		    end + get_s32(end - 4) == fn)
			continue;
		printk("# hypercall site %u at %#llx (kind %d) is neither our instruction nor a call to it\n",
		       i, (unsigned long long)s->addr, pv_site_kind(i));
		return TEST_FAIL;
	}
	EXPECT(sites > 0);
	EXPECT_EQ((u32)xen_query_version() >> 16, xen_info.major);
	return TEST_PASS;
}
