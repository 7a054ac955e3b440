// SPDX-License-Identifier: GPL-2.0
/* The library code as the kernel itself runs it (host tests cover the rest). */
#include <proteus/cmdline.h>
#include <proteus/memmap.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

SELFTEST(lib, snprintf_formats)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5u|%-3x|%08llx|%s|%c", -42, 7U, 0xabU,
		 0x1234ULL, "ok", 'z');
	EXPECT(!strcmp(buf, "-42|    7|ab |00001234|ok|z"));
	EXPECT_EQ(snprintf(buf, 4, "%s", "truncated"), 9);
	EXPECT(!strcmp(buf, "tru"));
	return TEST_PASS;
}

static u64 seen_value;
static bool seen_flag;

static int set_value(const char *val)
{
	return parse_u64(val, &seen_value);
}

static int set_flag(const char *val)
{
	seen_flag = true;
	return val ? -1 : 0;
}

SELFTEST(lib, cmdline_parser)
{
	static const struct kernel_param params[] = {
		{ "value", set_value },
		{ "flag", set_flag },
	};
	char line[] = "value=0x10  flag selftest-unknown-key=1 \"selftest-bare-key\"";

	seen_value = 0;
	seen_flag = false;
	EXPECT_EQ(cmdline_parse(line, params, params + 2), 4);
	EXPECT_EQ(seen_value, 16);
	EXPECT(seen_flag);
	return TEST_PASS;
}

SELFTEST(lib, memmap_sanitize_overlap)
{
	static struct memmap m;

	m.nr = 0;
	memmap_add(&m, 0x100000, 0x800000, MEM_USABLE);
	memmap_add(&m, 0x400000, 0x1000, MEM_RESERVED);
	memmap_add(&m, 0, 0x9fc00, MEM_USABLE);
	memmap_sanitize(&m);
	EXPECT_EQ(m.nr, 4);
	EXPECT_EQ(m.r[0].base, 0);
	EXPECT_EQ(m.r[0].size, 0x9f000);
	EXPECT_EQ(m.r[2].type, MEM_RESERVED);
	EXPECT_EQ(memmap_total(&m, MEM_USABLE), 0x9f000 + 0x800000 - 0x1000);
	return TEST_PASS;
}
