// SPDX-License-Identifier: GPL-2.0
/*
 * What re-patching records: after switching the probe op, every one of its
 * sites must be reported as the kind its bytes show, read back from the
 * text (padding leads, so a direct call is e8 where the site's last 5
 * bytes start; NOPs fill a 6-byte site as one 66 0f 1f 44 00 00), so a
 * stale record cannot hide behind the state it had at boot.
 */
#include <asm/pv/paravirt.h>
#include <asm/pv/patch.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

static unsigned int probe_calls;

static void count_probe(void)
{
	probe_calls++;
}

/* The kind a site's text says it is. */
static enum pv_site_kind kind_in_text(const struct pv_site *s)
{
	static const u8 nop6[PV_SITE_LEN] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	const u8 *p = (const u8 *)(uintptr_t)s->addr;

	if (p[0] == 0xff)
		return PV_SITE_INDIRECT;
	if (s->len >= 5 && p[s->len - 5] == 0xe8)
		return PV_SITE_DIRECT;
	if (s->len == PV_SITE_LEN && !memcmp(p, nop6, PV_SITE_LEN))
		return PV_SITE_NOP;
	return PV_SITE_INLINE;
}

/* Probe sites whose record and text disagree with want, or -1 if none are. */
static int probe_sites_mismatched(enum pv_site_kind want)
{
	unsigned int i, n = pv_nr_sites(), seen = 0;
	int bad = 0;

	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);

		if (s->op != PV_OP_INDEX(probe))
			continue;
		seen++;
		if (pv_site_kind(i) != want || kind_in_text(s) != want) {
			printk("# probe site %u at %#llx: recorded %d, text %d, want %d\n",
			       i, (unsigned long long)s->addr, pv_site_kind(i),
			       kind_in_text(s), want);
			bad++;
		}
	}
	return seen ? bad : -1;
}

SELFTEST(pvops, repatch_records_kind)
{
	probe_calls = 0;
	EXPECT_EQ(PV_REPATCH(probe, count_probe), 0);
	EXPECT_EQ(probe_sites_mismatched(PV_SITE_DIRECT), 0);
	pv_probe();
	EXPECT_EQ(probe_calls, 1);
	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);
	EXPECT_EQ(probe_sites_mismatched(PV_SITE_NOP), 0);
	pv_probe();
	EXPECT_EQ(probe_calls, 1);
	return TEST_PASS;
}
