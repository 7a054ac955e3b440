// SPDX-License-Identifier: GPL-2.0
/* mm/memmap.c: memmap_sanitize() on hand-made and random maps. */
#include "unit.h"

#include <proteus/memmap.h>

#define KiB		0x400ull
#define MiB		0x100000ull
#define GiB		0x40000000ull
#define TOP		UINT64_MAX

/* A region given as [base, end); end 0 stands for 2^64. */
#define R(base, end, type)	{ (base), (end) - (base), (type) }

#define U	MEM_USABLE
#define RSV	MEM_RESERVED
#define ACPI	MEM_ACPI
#define NVS	MEM_NVS
#define BAD	MEM_UNUSABLE
#define DIS	MEM_DISABLED
#define PMEM	MEM_PMEM

static struct memmap map;

static void map_reset(void)
{
	memset(&map, 0, sizeof(map));
	unit_log_reset();
}

#define add(base, size, type) do {					\
	if (!memmap_add(&map, base, size, type))			\
		unit_result(false, __FILE__, __LINE__, "memmap_add");	\
} while (0)

static void print_map(const char *label, const struct mem_region *r, u32 n)
{
	u32 i;

	printf("#   %s:\n", label);
	for (i = 0; i < n; i++)
		printf("#     0x%016llx size 0x%llx type %u\n", r[i].base,
		       r[i].size, r[i].type);
}

/* 2^64 when the region reaches the top, which only u64 wrapping shows. */
static bool ends_at_top(const struct mem_region *r)
{
	return r->base + r->size == 0;
}

/*
 * What every sanitized map must be; NULL if it is, else the broken rule.
 * Two same-typed regions may touch only where merging them would make a
 * region of 2^64 bytes.
 */
static const char *map_broken(const struct memmap *m)
{
	u32 i;

	if (m->nr > MEMMAP_MAX)
		return "too many entries";
	for (i = 0; i < m->nr; i++) {
		const struct mem_region *r = &m->r[i], *next = r + 1;

		if (!r->size)
			return "empty region";
		if (r->type < MEM_USABLE || r->type > MEM_PMEM)
			return "unknown type";
		if (r->size - 1 > UINT64_MAX - r->base)
			return "region wraps";
		if (r->type == MEM_USABLE &&
		    ((r->base | r->size) & (PAGE_SIZE - 1)))
			return "usable region not page aligned";
		if (i + 1 == m->nr)
			break;
		if (ends_at_top(r) || r->base + r->size > next->base)
			return "unsorted or overlapping";
		if (r->base + r->size == next->base && r->type == next->type &&
		    !(r->base == 0 && ends_at_top(next)))
			return "touching regions of one type not merged";
	}
	return NULL;
}

static void expect_map(const char *file, int line,
		       const struct mem_region *expect, u32 n)
{
	const char *broken = map_broken(&map);
	bool same = map.nr == n;
	u32 i;

	for (i = 0; same && i < n; i++)
		same = map.r[i].base == expect[i].base &&
		       map.r[i].size == expect[i].size &&
		       map.r[i].type == expect[i].type;
	if (!unit_result(same && !broken, file, line, "map as expected")) {
		if (broken)
			printf("#   broken: %s\n", broken);
		print_map("got", map.r, map.nr);
		print_map("expected", expect, n);
	}
}

#define EXPECT_MAP(...) do {						\
	const struct mem_region e_[] = { __VA_ARGS__ };			\
									\
	expect_map(__FILE__, __LINE__, e_, ARRAY_SIZE(e_));		\
} while (0)

#define EXPECT_EMPTY()	CHECK_EQ(map.nr, 0)

static void test_empty(void)
{
	unit_name("empty map");
	map_reset();
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_EMPTY();
	CHECK_EQ(unit_log.count, 0);
}

/* What QEMU with SeaBIOS reports for -m 6G: a hole below 4 GiB. */
static void add_qemu_6g(bool reversed)
{
	static const struct mem_region e820[] = {
		R(0, 0x9fc00, U),
		R(0x9fc00, 0xa0000, RSV),
		R(0xf0000, 0x100000, RSV),
		R(0x100000, 0xbffe0000, U),
		R(0xbffe0000, 0xc0000000, RSV),
		R(0xfeffc000, 0xff000000, RSV),
		R(0xfffc0000, 0x100000000, RSV),
		R(0x100000000, 0x1c0000000, U),
	};
	u32 i, n = ARRAY_SIZE(e820);

	for (i = 0; i < n; i++) {
		const struct mem_region *r = &e820[reversed ? n - 1 - i : i];

		add(r->base, r->size, r->type);
	}
}

static void expect_qemu_6g(const char *file, int line)
{
	static const struct mem_region sane[] = {
		R(0, 0x9f000, U),	/* its partial last page left out */
		R(0x9fc00, 0xa0000, RSV),
		R(0xf0000, 0x100000, RSV),
		R(0x100000, 0xbffe0000, U),
		R(0xbffe0000, 0xc0000000, RSV),
		R(0xfeffc000, 0xff000000, RSV),
		R(0xfffc0000, 0x100000000, RSV),
		R(0x100000000, 0x1c0000000, U),
	};

	expect_map(file, line, sane, ARRAY_SIZE(sane));
}

static void test_qemu_6g(void)
{
	u64 usable = 0x9f000 + (0xbffe0000 - 0x100000) + 3 * GiB;

	unit_name("QEMU -m 6G, sorted");
	map_reset();
	add_qemu_6g(false);
	CHECK_EQ(memmap_sanitize(&map), 0);
	expect_qemu_6g(__FILE__, __LINE__);
	CHECK_EQ(memmap_total(&map, U), usable);
	CHECK_EQ(memmap_end(&map, U), 0x1c0000000);
	CHECK_EQ(memmap_total(&map, RSV), 0x400 + 0x10000 + 0x20000 + 0x4000 +
		 0x40000);
	CHECK_EQ(memmap_end(&map, RSV), 4 * GiB);
	CHECK_EQ(memmap_end(&map, ACPI), 0);

	unit_name("QEMU -m 6G, reversed");
	map_reset();
	add_qemu_6g(true);
	CHECK_EQ(memmap_sanitize(&map), 0);
	expect_qemu_6g(__FILE__, __LINE__);

	/* The same, with the reserved bit carved out of a usable entry. */
	unit_name("QEMU -m 6G, overlapping");
	map_reset();
	add(0x100000000, 3 * GiB, U);
	add(0xfffc0000, 0x40000, RSV);
	add(0, 0x9fc00, U);
	add(0x100000, 0xc0000000 - 0x100000, U);
	add(0xbffe0000, 0x20000, RSV);
	add(0xf0000, 0x10000, RSV);
	CHECK_EQ(memmap_sanitize(&map), 1);
	EXPECT_MAP(R(0, 0x9f000, U),
		   R(0xf0000, 0x100000, RSV),
		   R(0x100000, 0xbffe0000, U),
		   R(0xbffe0000, 0xc0000000, RSV),
		   R(0xfffc0000, 0x100000000, RSV),
		   R(0x100000000, 0x1c0000000, U));
	CHECK(unit_log_find(KERN_WARNING "memmap: [mem 0x0000000000100000-0x00000000bfffffff] usable overlaps [mem 0x00000000bffe0000-0x00000000bfffffff] reserved, the overlap becomes reserved\n"));
	unit_name(NULL);
}

static void test_unsorted(void)
{
	unit_name("unsorted");
	map_reset();
	add(0x200000, 0x100000, U);
	add(0x10000, 0x1000, ACPI);
	add(0x100000, 0x100000, RSV);
	add(0, 0x10000, U);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0, 0x10000, U),
		   R(0x10000, 0x11000, ACPI),
		   R(0x100000, 0x200000, RSV),
		   R(0x200000, 0x300000, U));
	unit_name(NULL);
}

struct overlap_case {
	const char *name;
	struct mem_region usable, other;
	u32 n;
	struct mem_region expect[3];
};

/* A usable range and a reserved one, in every arrangement and both orders. */
static void test_overlaps(void)
{
	static const struct overlap_case cases[] = {
		{ "reserved inside usable",
		  R(0x1000, 0x5000, U), R(0x2000, 0x3000, RSV), 3,
		  { R(0x1000, 0x2000, U), R(0x2000, 0x3000, RSV),
		    R(0x3000, 0x5000, U) } },
		{ "usable inside reserved",
		  R(0x2000, 0x3000, U), R(0x1000, 0x5000, RSV), 1,
		  { R(0x1000, 0x5000, RSV) } },
		{ "reserved over the left end",
		  R(0x1000, 0x5000, U), R(0, 0x2000, RSV), 2,
		  { R(0, 0x2000, RSV), R(0x2000, 0x5000, U) } },
		{ "reserved over the right end",
		  R(0x1000, 0x5000, U), R(0x4000, 0x6000, RSV), 2,
		  { R(0x1000, 0x4000, U), R(0x4000, 0x6000, RSV) } },
		{ "identical",
		  R(0x1000, 0x5000, U), R(0x1000, 0x5000, RSV), 1,
		  { R(0x1000, 0x5000, RSV) } },
		{ "same start",
		  R(0x1000, 0x5000, U), R(0x1000, 0x2000, RSV), 2,
		  { R(0x1000, 0x2000, RSV), R(0x2000, 0x5000, U) } },
		{ "same end",
		  R(0x1000, 0x5000, U), R(0x3000, 0x5000, RSV), 2,
		  { R(0x1000, 0x3000, U), R(0x3000, 0x5000, RSV) } },
		/* The usable pieces are trimmed to whole pages. */
		{ "unaligned reserved inside usable",
		  R(0x1000, 0x5000, U), R(0x1800, 0x2800, RSV), 2,
		  { R(0x1800, 0x2800, RSV), R(0x3000, 0x5000, U) } },
	};
	size_t i;
	int order;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct overlap_case *c = &cases[i];

		for (order = 0; order < 2; order++) {
			const struct mem_region *first = order ? &c->other :
								 &c->usable;
			const struct mem_region *second = order ? &c->usable :
								  &c->other;

			unit_name("%s, %s first", c->name,
				  order ? "reserved" : "usable");
			map_reset();
			add(first->base, first->size, first->type);
			add(second->base, second->size, second->type);
			CHECK_EQ(memmap_sanitize(&map), 1);
			expect_map(__FILE__, __LINE__, c->expect, c->n);
			CHECK_EQ(unit_log_matches("overlaps"), 1);
			CHECK(unit_log_find("the overlap becomes reserved"));
		}
	}

	unit_name("touching is not overlapping");
	map_reset();
	add(0x1000, 0x1000, U);
	add(0x2000, 0x1000, RSV);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0x1000, 0x2000, U), R(0x2000, 0x3000, RSV));

	unit_name("usable over usable");
	map_reset();
	add(0x1000, 0x1800, U);
	add(0x2000, 0x1800, U);
	CHECK_EQ(memmap_sanitize(&map), 1);
	EXPECT_MAP(R(0x1000, 0x3000, U));

	unit_name("three deep");
	map_reset();
	add(0, 0x10000, U);
	add(0x2000, 0x4000, ACPI);
	add(0x4000, 0x4000, RSV);
	add(0x5000, 0x1000, NVS);
	CHECK_EQ(memmap_sanitize(&map), 6);
	EXPECT_MAP(R(0, 0x2000, U), R(0x2000, 0x4000, ACPI),
		   R(0x4000, 0x8000, RSV), R(0x8000, 0x10000, U));
	unit_name(NULL);
}

/* Where two types overlap, the one ranked higher here wins. */
static const u32 by_rank[] = { U, ACPI, NVS, PMEM, RSV, BAD, DIS };

static void test_priority(void)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(by_rank); i++) {
		for (j = 0; j < ARRAY_SIZE(by_rank); j++) {
			u32 a = by_rank[i], b = by_rank[j];

			unit_name("%s over %s", memmap_type_name(a),
				  memmap_type_name(b));
			map_reset();
			add(0x1000, 0x3000, a);
			add(0x2000, 0x3000, b);
			CHECK_EQ(memmap_sanitize(&map), 1);
			if (a == b)
				EXPECT_MAP(R(0x1000, 0x5000, a));
			else if (i > j)
				EXPECT_MAP(R(0x1000, 0x4000, a),
					   R(0x4000, 0x5000, b));
			else
				EXPECT_MAP(R(0x1000, 0x2000, a),
					   R(0x2000, 0x5000, b));
		}
	}
	unit_name(NULL);
}

static void test_bad_entries(void)
{
	unit_name("zero-sized");
	map_reset();
	add(0x1000, 0x1000, U);
	add(0x3000, 0, RSV);
	CHECK_EQ(memmap_sanitize(&map), 1);
	EXPECT_MAP(R(0x1000, 0x2000, U));
	CHECK(unit_log_find(KERN_WARNING "memmap: dropping empty entry [mem 0x0000000000003000 size 0] reserved\n"));

	unit_name("wrapping");
	map_reset();
	add(0x1000, 0x1000, U);
	add(0xfffffffffffff000, 0x2000, RSV);
	add(2, UINT64_MAX, U);
	CHECK_EQ(memmap_sanitize(&map), 2);
	EXPECT_MAP(R(0x1000, 0x2000, U));
	CHECK_EQ(unit_log_matches("wraps past the end"), 2);
	CHECK(unit_log_find("[mem 0xfffffffffffff000 size 0x2000] reserved"));

	unit_name("ending at 2^64");
	map_reset();
	add(0xfffffffffffff000, 0x1000, U);
	add(0xffffffffffffe800, 0x800, RSV);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0xffffffffffffe800, 0xfffffffffffff000, RSV),
		   R(0xfffffffffffff000, 0, U));
	CHECK_EQ(memmap_end(&map, U), TOP);
	CHECK_EQ(memmap_total(&map, U), 0x1000);

	unit_name("unknown types");
	map_reset();
	add(0x1000, 0x1000, 0);
	add(0x2000, 0x1000, 8);
	add(0x3000, 0x1000, 0xffffffff);
	add(0x10000, 0x10000, U);
	add(0x18000, 0x1000, 12);
	CHECK_EQ(memmap_sanitize(&map), 5);
	EXPECT_MAP(R(0x1000, 0x4000, RSV), R(0x10000, 0x18000, U),
		   R(0x18000, 0x19000, RSV), R(0x19000, 0x20000, U));
	CHECK(unit_log_find(KERN_WARNING "memmap: [mem 0x0000000000002000-0x0000000000002fff] unknown type 8, treating it as reserved\n"));
	CHECK(unit_log_find("type 4294967295"));
	CHECK_EQ(unit_log_matches("overlaps"), 1);

	/* A corrupt count must not walk off the array. */
	unit_name("count past the array");
	map_reset();
	add(0x1000, 0x1000, U);
	map.nr = MEMMAP_MAX + 100;
	/* One for the count, one for each empty entry. */
	CHECK_EQ(memmap_sanitize(&map), 1 + MEMMAP_MAX - 1);
	EXPECT_MAP(R(0x1000, 0x2000, U));
	CHECK(unit_log_find("228 entries claimed"));
	unit_name(NULL);
}

static void test_trimming(void)
{
	unit_name("unaligned usable");
	map_reset();
	add(0x1234, 0x5678 - 0x1234, U);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0x2000, 0x5000, U));

	unit_name("no whole page");
	map_reset();
	add(0x1100, 0xe00, U);
	add(0x1800, 0x1000, U);
	add(0x5001, 0xfff, U);
	CHECK_EQ(memmap_sanitize(&map), 1);
	EXPECT_EMPTY();
	CHECK_EQ(unit_log_matches("memmap:"), 1);

	unit_name("other types untouched");
	map_reset();
	add(0x1234, 0x10, ACPI);
	add(0x9fc00, 0x400, RSV);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0x1234, 0x1244, ACPI), R(0x9fc00, 0xa0000, RSV));

	unit_name("top page");
	map_reset();
	add(0xffffffffffffe800, 0x1800, U);
	add(0xfffffffffffff800, 0x400, U);
	CHECK_EQ(memmap_sanitize(&map), 1);
	EXPECT_MAP(R(0xfffffffffffff000, 0, U));
	map_reset();
	add(0xfffffffffffff800, 0x800, U);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_EMPTY();
	unit_name(NULL);
}

static void test_merging(void)
{
	unit_name("adjacent usable");
	map_reset();
	add(0x2000, 0x1000, U);
	add(0, 0x1000, U);
	add(0x1000, 0x1000, U);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0, 0x3000, U));

	/* Merged before trimming: no page is lost at the seam. */
	unit_name("adjacent unaligned usable");
	map_reset();
	add(0, 0x1800, U);
	add(0x1800, 0x1800, U);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0, 0x3000, U));

	unit_name("adjacent reserved");
	map_reset();
	add(0xf0000, 0x8000, RSV);
	add(0xf8000, 0x8000, RSV);
	add(0x100000, 0x1000, ACPI);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0xf0000, 0x100000, RSV), R(0x100000, 0x101000, ACPI));

	unit_name("gap between same type");
	map_reset();
	add(0, 0x1000, U);
	add(0x2000, 0x1000, U);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0, 0x1000, U), R(0x2000, 0x3000, U));

	/* 2^64 bytes do not fit in a size: two regions remain. */
	unit_name("whole address space");
	map_reset();
	add(1ull << 63, 1ull << 63, U);
	add(0, 1ull << 63, U);
	CHECK_EQ(memmap_sanitize(&map), 0);
	EXPECT_MAP(R(0, 1ull << 63, U), R(1ull << 63, 0, U));
	unit_name(NULL);
}

/* 127 holes punched into one usable range make 255 regions. */
static void test_too_many(void)
{
	u32 i;

	unit_name("too many regions");
	map_reset();
	add(0, 256 * 0x2000, U);
	for (i = 0; i < MEMMAP_MAX - 1; i++)
		add(i * 0x2000 + 0x1000, 0x1000, RSV);
	CHECK(!memmap_add(&map, 0, 0x1000, RSV));
	CHECK_EQ(map.nr, MEMMAP_MAX);

	CHECK_EQ(memmap_sanitize(&map), 127 + 127);
	CHECK_EQ(map.nr, MEMMAP_MAX);
	CHECK(!map_broken(&map));
	CHECK_EQ(map.r[0].type, U);
	CHECK_EQ(map.r[MEMMAP_MAX - 1].base, 127 * 0x1000);
	CHECK_EQ(map.r[MEMMAP_MAX - 1].type, RSV);
	CHECK_EQ(unit_log_matches("more than 128 regions, dropping"), 127);
	CHECK(unit_log_find(KERN_WARNING "memmap: more than 128 regions, dropping [mem 0x00000000000fe000-0x00000000001fffff] usable\n"));
	CHECK_EQ(memmap_total(&map, U), 64 * 0x1000);
	unit_name(NULL);
}

static void test_names(void)
{
	CHECK_STR(memmap_type_name(U), "usable");
	CHECK_STR(memmap_type_name(RSV), "reserved");
	CHECK_STR(memmap_type_name(ACPI), "ACPI data");
	CHECK_STR(memmap_type_name(NVS), "ACPI NVS");
	CHECK_STR(memmap_type_name(BAD), "unusable");
	CHECK_STR(memmap_type_name(DIS), "disabled");
	CHECK_STR(memmap_type_name(PMEM), "persistent");
	CHECK_STR(memmap_type_name(0), "unknown");
	CHECK_STR(memmap_type_name(8), "unknown");
	CHECK_STR(memmap_type_name(0xffffffff), "unknown");
}

static unsigned long long rng_state = 0x2545f4914f6cdd1dull;

static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int rank_of(u32 type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(by_rank); i++) {
		if (by_rank[i] == type)
			return i;
	}
	return -1;
}

/* The raw map, reduced to what the reference needs. */
static struct memmap raw;

static bool raw_valid(const struct mem_region *r)
{
	return r->size != 0;
}

static u32 raw_type(const struct mem_region *r)
{
	return rank_of(r->type) < 0 ? RSV : r->type;
}

/* The strongest raw type at addr, 0 if none. */
static u32 strongest_at(u64 addr)
{
	u32 i, type = 0;

	for (i = 0; i < raw.nr; i++) {
		const struct mem_region *r = &raw.r[i];

		if (!raw_valid(r) || addr < r->base ||
		    addr - r->base >= r->size)
			continue;
		if (!type || rank_of(raw_type(r)) > rank_of(type))
			type = raw_type(r);
	}
	return type;
}

/*
 * The type sanitizing should give addr: the strongest covering it, except
 * that usable only holds for pages usable throughout. The type only
 * changes at entry boundaries, so the page's start and the boundaries
 * inside it tell.
 */
static u32 reference_at(u64 addr)
{
	u64 page = addr & ~(PAGE_SIZE - 1);
	u32 i, type = strongest_at(addr);

	if (type != U)
		return type;
	if (strongest_at(page) != U)
		return 0;
	for (i = 0; i < raw.nr; i++) {
		const struct mem_region *r = &raw.r[i];
		u64 ends[2] = { r->base, r->base + r->size };
		int e;

		for (e = 0; e < 2; e++) {
			if (ends[e] > page && ends[e] - page < PAGE_SIZE &&
			    strongest_at(ends[e]) != U)
				return 0;
		}
	}
	return U;
}

static u32 sanitized_at(u64 addr)
{
	u32 i;

	for (i = 0; i < map.nr; i++) {
		const struct mem_region *r = &map.r[i];

		if (addr >= r->base && addr - r->base < r->size)
			return r->type;
	}
	return 0;
}

static int reference_warnings(void)
{
	int n = 0;
	u32 i, j;

	for (i = 0; i < raw.nr; i++) {
		const struct mem_region *a = &raw.r[i];

		if (!raw_valid(a)) {
			n++;
			continue;
		}
		n += rank_of(a->type) < 0;
		for (j = i + 1; j < raw.nr; j++) {
			const struct mem_region *b = &raw.r[j];

			n += raw_valid(b) && a->base < b->base + b->size &&
			     b->base < a->base + a->size;
		}
	}
	return n;
}

/* Probe every boundary, its neighbours and the pages around it. */
static bool matches_reference(u64 *bad_addr)
{
	static const s64 deltas[] = { -4097, -4096, -1, 0, 1, 4095, 4096 };
	u32 i;
	size_t d;
	int e;

	for (i = 0; i < raw.nr; i++) {
		u64 ends[2] = { raw.r[i].base, raw.r[i].base + raw.r[i].size };

		for (e = 0; e < 2; e++) {
			for (d = 0; d < ARRAY_SIZE(deltas); d++) {
				u64 a = ends[e] + deltas[d];
				u64 pa = (ends[e] & ~(PAGE_SIZE - 1)) +
					 deltas[d];

				if (sanitized_at(a) != reference_at(a)) {
					*bad_addr = a;
					return false;
				}
				if (sanitized_at(pa) != reference_at(pa)) {
					*bad_addr = pa;
					return false;
				}
			}
		}
	}
	return true;
}

/*
 * Random maps of up to 16 entries in the first 192 KiB, aligned to 256
 * bytes, some empty, some of unknown type, checked against the reference
 * model above.
 */
static void test_random(void)
{
	int i, maps = 3000, broken = 0, wrong = 0, miscounted = 0;

	for (i = 0; i < maps; i++) {
		u32 j, n = rng() % 17;
		const char *why;
		u64 bad_addr;
		int warnings;

		map_reset();
		for (j = 0; j < n; j++) {
			u64 base = (rng() % 0x300) * 0x100;
			u64 size = (rng() % 0x80) * 0x100;
			u32 type = rng() % 10 ? by_rank[rng() % 7] : rng() % 10;

			if (rng() % 4 == 0)
				size = (rng() % 8) * 0x1000;
			add(base, size, type);
		}
		raw = map;
		warnings = memmap_sanitize(&map);

		why = map_broken(&map);
		miscounted += warnings != reference_warnings();
		if (!why && matches_reference(&bad_addr))
			continue;
		if (why)
			broken++;
		else
			wrong++;
		if (broken + wrong <= 3) {
			if (why)
				printf("#   broken: %s\n", why);
			else
				printf("#   type at 0x%llx: %u, expected %u\n",
				       bad_addr, sanitized_at(bad_addr),
				       reference_at(bad_addr));
			print_map("raw", raw.r, raw.nr);
			print_map("sanitized", map.r, map.nr);
		}
	}
	unit_name("%d random maps", maps);
	CHECK_EQ(broken, 0);
	CHECK_EQ(wrong, 0);
	CHECK_EQ(miscounted, 0);
	unit_name(NULL);
}

int main(void)
{
	test_empty();
	test_qemu_6g();
	test_unsorted();
	test_overlaps();
	test_priority();
	test_bad_entries();
	test_trimming();
	test_merging();
	test_too_many();
	test_names();
	test_random();
	return unit_done();
}
