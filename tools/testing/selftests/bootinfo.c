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

/*
 * A line of n bytes (n > CMDLINE_MAX - 1 means too long) goes through
 * bootinfo_set_cmdline(); what it kept is checked once the real line is back.
 */
struct cut_result {
	size_t kept;
	u32 len;
	bool truncated;
	char last;
};

static struct cut_result cut_line(size_t n)
{
	static char src[CMDLINE_MAX + 64], saved[CMDLINE_MAX];
	u32 saved_len = boot_info.cmdline_len;
	bool saved_truncated = boot_info.cmdline_truncated;
	struct cut_result r;

	memset(src, 'a', n);
	src[n] = '\0';
	src[CMDLINE_MAX - 2] = 'z';
	memcpy(saved, boot_info.cmdline, sizeof(saved));
	bootinfo_set_cmdline(src, n);
	r.kept = strnlen(boot_info.cmdline, CMDLINE_MAX);
	r.len = boot_info.cmdline_len;
	r.truncated = boot_info.cmdline_truncated;
	r.last = r.kept ? boot_info.cmdline[r.kept - 1] : 0;
	memcpy(boot_info.cmdline, saved, sizeof(saved));
	boot_info.cmdline_len = saved_len;
	boot_info.cmdline_truncated = saved_truncated;
	return r;
}

SELFTEST(bootinfo, cmdline_cut_at_limit)
{
	struct cut_result fits = cut_line(CMDLINE_MAX - 1);
	struct cut_result one_over = cut_line(CMDLINE_MAX);
	struct cut_result long_line = cut_line(CMDLINE_MAX + 40);

	EXPECT_EQ(fits.kept, CMDLINE_MAX - 1);
	EXPECT(!fits.truncated);
	EXPECT_EQ(one_over.kept, CMDLINE_MAX - 1);
	EXPECT(one_over.truncated);
	EXPECT_EQ(one_over.len, CMDLINE_MAX);
	EXPECT_EQ(long_line.kept, CMDLINE_MAX - 1);
	EXPECT_EQ(long_line.last, 'z');
	EXPECT(long_line.truncated);
	EXPECT_EQ(long_line.len, CMDLINE_MAX + 40);
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
	case BOOT_EFI:
		/* The stub always passes the system table ("EL64"). */
		EXPECT(boot_info.efi_systab != 0);
		/* fall through */
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

/*
 * The boot module the runner passes in some environments (QEMU -initrd,
 * Xen's second multiboot module), generated by tools/testing/run: a
 * 16-byte header (magic, payload length, FNV-1a 32 of the payload, little
 * endian), then payload byte i is the low byte of x_i, where x_0 is
 * BOOT_MODULE_SEED and each next x is xorshift32 of the one before. The
 * module must be in memory as given, every byte of it.
 */
#define BOOT_MODULE_MAGIC	"PROTEUSM"
#define BOOT_MODULE_SEED	0x2545f491U

struct boot_module_header {
	char magic[8];
	u32 length;
	u32 fnv1a;
};

static u32 xorshift32(u32 x)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static enum test_result check_module(const struct boot_module *m)
{
	const struct boot_module_header *h = phys_to_virt(m->base);
	const u8 *payload = (const u8 *)(h + 1);
	u32 x = BOOT_MODULE_SEED, fnv = 0x811c9dc5U, i, wrong = 0;

	EXPECT(m->size >= sizeof(*h));
	EXPECT(!memcmp(h->magic, BOOT_MODULE_MAGIC, sizeof(h->magic)));
	EXPECT_EQ(h->length, m->size - sizeof(*h));
	for (i = 0; i < h->length; i++) {
		wrong += payload[i] != (u8)x;
		x = xorshift32(x);
		fnv = (fnv ^ payload[i]) * 16777619U;
	}
	if (wrong)
		printk("# %u of %u payload bytes differ\n", wrong, h->length);
	EXPECT_EQ(wrong, 0);
	EXPECT_EQ(fnv, h->fnv1a);
	return TEST_PASS;
}

SELFTEST(bootinfo, modules_in_memory)
{
	if (!boot_info.nr_modules)
		return skip("no boot module passed");
	EXPECT_EQ(boot_info.nr_modules, 1);
	printk("# module at %#llx, %llu bytes\n", boot_info.modules[0].base,
	       boot_info.modules[0].size);
	return check_module(&boot_info.modules[0]);
}
