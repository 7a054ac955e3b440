// SPDX-License-Identifier: GPL-2.0
/*
 * The normalized boot information: a sane memory map, the command line as
 * given, and a boot path consistent with the CPU state we find ourselves in.
 */
#include <asm/hypervisor.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/cmdline.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

SELFTEST(bootinfo, memmap_nonempty)
{
	EXPECT(boot_info.memmap.nr > 0);
	EXPECT(memmap_total(&boot_info.memmap, MEM_USABLE) >= (8ULL << 20));
	return TEST_PASS;
}

SELFTEST(bootinfo, memmap_sorted_nonoverlapping)
{
	const struct memmap *m = &boot_info.memmap;
	u32 i;

	for (i = 0; i < m->nr; i++) {
		EXPECT(m->r[i].size > 0);
		EXPECT(m->r[i].base + m->r[i].size > m->r[i].base);
		if (i)
			EXPECT(m->r[i - 1].base + m->r[i - 1].size <= m->r[i].base);
	}
	return TEST_PASS;
}

SELFTEST(bootinfo, memmap_usable_page_aligned)
{
	const struct memmap *m = &boot_info.memmap;
	u32 i;

	for (i = 0; i < m->nr; i++) {
		if (m->r[i].type != MEM_USABLE)
			continue;
		EXPECT_EQ(m->r[i].base & (PAGE_SIZE - 1), 0);
		EXPECT_EQ(m->r[i].size & (PAGE_SIZE - 1), 0);
	}
	return TEST_PASS;
}

/*
 * Split a copy of the line into tokens and rebuild it; it must equal the
 * original with runs of blanks folded and quotes dropped, so nothing was
 * lost or invented between the loader, the protocol reader and the parser.
 */
static void fold_blanks(const char *s, char *out, size_t size)
{
	size_t n = 0;
	bool quoted = false, blank = false;

	for (; *s; s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*s == ' ' || *s == '\t' || *s == '\n')) {
			blank = n > 0;
			continue;
		}
		if (n + 1 + blank >= size)
			break;
		if (blank)
			out[n++] = ' ';
		blank = false;
		out[n++] = *s;
	}
	out[n] = '\0';
}

static void append(char *out, size_t size, size_t *n, const char *s)
{
	while (*s && *n + 1 < size)
		out[(*n)++] = *s++;
	out[*n] = '\0';
}

SELFTEST(bootinfo, cmdline_round_trip)
{
	static char work[CMDLINE_MAX], rebuilt[CMDLINE_MAX], want[CMDLINE_MAX];
	char *p = work, *key, *val;
	size_t n = 0;

	EXPECT(strnlen(boot_info.cmdline, CMDLINE_MAX) < CMDLINE_MAX);
	if (!boot_info.cmdline_truncated)
		EXPECT_EQ(strlen(boot_info.cmdline), boot_info.cmdline_len);
	strlcpy(work, boot_info.cmdline, sizeof(work));
	rebuilt[0] = '\0';
	while ((p = cmdline_next(p, &key, &val))) {
		if (n)
			append(rebuilt, sizeof(rebuilt), &n, " ");
		append(rebuilt, sizeof(rebuilt), &n, key);
		if (val) {
			append(rebuilt, sizeof(rebuilt), &n, "=");
			append(rebuilt, sizeof(rebuilt), &n, val);
		}
	}
	fold_blanks(boot_info.cmdline, want, sizeof(want));
	if (strcmp(rebuilt, want)) {
		printk("# parsed \"%s\"\n# given  \"%s\"\n", rebuilt, want);
		return TEST_FAIL;
	}
	return TEST_PASS;
}

SELFTEST(bootinfo, boot_path_consistent)
{
	bool ring3 = current_cpl() == 3;

	switch (boot_info.path) {
	case BOOT_XEN_PV:
		EXPECT(ring3);
		EXPECT_EQ(hypervisor.type, HYPERVISOR_XEN);
		break;
	case BOOT_PVH:
	case BOOT_LINUX16:
	case BOOT_LINUX32:
		EXPECT(!ring3);
		EXPECT(boot_info.console_hints & CONSOLE_HINT_UART);
		break;
	default:
		EXPECT(false);
	}
	if (hypervisor.type == HYPERVISOR_XEN && boot_info.path == BOOT_PVH)
		EXPECT(!strcmp(pv_backend->name, "xen-pvh"));
	return TEST_PASS;
}

SELFTEST(bootinfo, entry_tsc_sane)
{
	EXPECT(boot_info.entry_tsc != 0);
	EXPECT(boot_info.entry_tsc < rdtsc());
	return TEST_PASS;
}

SELFTEST(bootinfo, modules_in_memory)
{
	u32 i;

	if (!boot_info.nr_modules)
		return skip("no boot modules given");
	for (i = 0; i < boot_info.nr_modules; i++)
		EXPECT(boot_info.modules[i].size > 0);
	return TEST_PASS;
}
