// SPDX-License-Identifier: GPL-2.0
/*
 * What re-patching records: after switching the probe op, every one of its
 * sites must be reported as the kind its bytes show, read back from the
 * text (a direct call starts with e8; a NOP run with 0f 1f, 66 or 90), so
 * a stale record cannot hide behind the state it had at boot.
 */
#include <asm/pv/paravirt.h>
#include <asm/pv/patch.h>
#include <proteus/selftest.h>

static unsigned int probe_calls;

static void count_probe(void)
{
	probe_calls++;
}

/* The kind the first byte of a site says it is. */
static enum pv_site_kind kind_in_text(const struct pv_site *s)
{
	u8 first = *(const volatile u8 *)(uintptr_t)s->addr;

	switch (first) {
	case 0xe8:
		return PV_SITE_DIRECT;
	case 0xff:
		return PV_SITE_INDIRECT;
	case 0x0f:
	case 0x66:
	case 0x90:
		return PV_SITE_NOP;
	default:
		return PV_SITE_INLINE;
	}
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
