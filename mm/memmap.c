// SPDX-License-Identifier: GPL-2.0
/*
 * The physical memory map: raw entries as the boot protocol gave them, and
 * memmap_sanitize(), which turns them into something the allocator can
 * trust: sorted, non-overlapping, whole pages of usable RAM.
 *
 * Internally a region is handled as [base, last] with last inclusive, so
 * that a region ending at the very top of the address space needs no
 * 2^64.
 */
#include <proteus/compiler.h>
#include <proteus/memmap.h>
#include <proteus/printk.h>
#include <proteus/string.h>

/* printk arguments for a region "[mem first-last] type". */
#define REGION_FMT	"[mem 0x%016llx-0x%016llx] %s"
#define REGION_ARGS(base, last, type)	(base), (last), memmap_type_name(type)

/*
 * How restrictive each type is: where entries overlap, the highest rank
 * wins. Usable RAM loses to everything. ACPI data becomes reclaimable once
 * the tables have been read, so it ranks lowest of the rest; ACPI NVS must
 * survive sleep states; persistent memory holds data but is not ours to
 * allocate; reserved is firmware's own; unusable (errors detected) and
 * disabled memory rank highest, as nothing may touch them at all.
 */
static const u8 type_rank[] = {
	[MEM_USABLE] = 1,
	[MEM_ACPI] = 2,
	[MEM_NVS] = 3,
	[MEM_PMEM] = 4,
	[MEM_RESERVED] = 5,
	[MEM_UNUSABLE] = 6,
	[MEM_DISABLED] = 7,
};

const char *memmap_type_name(u32 type)
{
	static const char *const names[] = {
		[MEM_USABLE] = "usable",
		[MEM_RESERVED] = "reserved",
		[MEM_ACPI] = "ACPI data",
		[MEM_NVS] = "ACPI NVS",
		[MEM_UNUSABLE] = "unusable",
		[MEM_DISABLED] = "disabled",
		[MEM_PMEM] = "persistent",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "unknown";
}

bool memmap_add(struct memmap *m, u64 base, u64 size, u32 type)
{
	if (m->nr >= MEMMAP_MAX)
		return false;
	m->r[m->nr++] = (struct mem_region){ base, size, type };
	return true;
}

static bool valid_type(u32 type)
{
	return type >= MEM_USABLE && type <= MEM_PMEM;
}

static u64 last_of(const struct mem_region *r)
{
	return r->base + r->size - 1;
}

/* Drop empty and wrapping entries and make unknown types reserved. */
static int check_entries(struct memmap *m)
{
	int warnings = 0;
	u32 i, n = 0;

	if (m->nr > MEMMAP_MAX) {
		pr_warn("memmap: %u entries claimed, only %u exist\n", m->nr,
			MEMMAP_MAX);
		m->nr = MEMMAP_MAX;
		warnings++;
	}
	for (i = 0; i < m->nr; i++) {
		struct mem_region r = m->r[i];

		if (!r.size) {
			pr_warn("memmap: dropping empty entry [mem 0x%016llx size 0] %s\n",
				r.base, memmap_type_name(r.type));
			warnings++;
			continue;
		}
		if (r.size - 1 > UINT64_MAX - r.base) {
			pr_warn("memmap: dropping [mem 0x%016llx size 0x%llx] %s: it wraps past the end of the address space\n",
				r.base, r.size, memmap_type_name(r.type));
			warnings++;
			continue;
		}
		if (!valid_type(r.type)) {
			pr_warn("memmap: " REGION_FMT " type %u, treating it as reserved\n",
				REGION_ARGS(r.base, last_of(&r), r.type),
				r.type);
			r.type = MEM_RESERVED;
			warnings++;
		}
		m->r[n++] = r;
	}
	m->nr = n;
	return warnings;
}

static u32 stronger_type(u32 a, u32 b)
{
	return type_rank[a] >= type_rank[b] ? a : b;
}

static int warn_overlaps(const struct memmap *m)
{
	int warnings = 0;
	u32 i, j;

	for (i = 0; i < m->nr; i++) {
		const struct mem_region *a = &m->r[i];

		for (j = i + 1; j < m->nr; j++) {
			const struct mem_region *b = &m->r[j];

			if (a->base > last_of(b) || b->base > last_of(a))
				continue;
			pr_warn("memmap: " REGION_FMT " overlaps " REGION_FMT ", the overlap becomes %s\n",
				REGION_ARGS(a->base, last_of(a), a->type),
				REGION_ARGS(b->base, last_of(b), b->type),
				memmap_type_name(stronger_type(a->type,
							       b->type)));
			warnings++;
		}
	}
	return warnings;
}

/*
 * The strongest type of the entries covering addr, 0 if none does (type 0
 * has rank 0, below every real type).
 */
static u32 type_at(const struct mem_region *in, u32 n, u64 addr)
{
	u32 i, type = 0;

	for (i = 0; i < n; i++) {
		if (in[i].base <= addr && addr <= last_of(&in[i]))
			type = stronger_type(type, in[i].type);
	}
	return type;
}

/*
 * The lowest address above addr where an entry starts or ends, that is
 * where the type may change; false if there is none.
 */
static bool next_boundary(const struct mem_region *in, u32 n, u64 addr,
			  u64 *next)
{
	u64 lowest = UINT64_MAX;
	bool found = false;
	u32 i;

	for (i = 0; i < n; i++) {
		u64 last = last_of(&in[i]);
		u64 b;

		if (in[i].base > addr)
			b = in[i].base;
		else if (last >= addr && last != UINT64_MAX)
			b = last + 1;
		else
			continue;
		lowest = MIN(lowest, b);
		found = true;
	}
	*next = lowest;
	return found;
}

/*
 * Shrink [*base, *last] to the whole pages it contains; false if there are
 * none. Either end moving past the other, or wrapping, means none.
 */
static bool trim_to_pages(u64 *base, u64 *last)
{
	u64 b = ALIGN_UP(*base, PAGE_SIZE);
	u64 l = *last;

	if (!IS_ALIGNED(l + 1, PAGE_SIZE))
		l = ALIGN_DOWN(l, PAGE_SIZE) - 1;
	if (b < *base || l > *last || b > l)
		return false;
	*base = b;
	*last = l;
	return true;
}

/* Append a finished region to m; returns the number of warnings. */
static int emit(struct memmap *m, u64 base, u64 last, u32 type)
{
	/* Only whole pages are usable RAM: partial ones are left out. */
	if (type == MEM_USABLE && !trim_to_pages(&base, &last))
		return 0;
	if (m->nr == MEMMAP_MAX) {
		pr_warn("memmap: more than %u regions, dropping " REGION_FMT "\n",
			MEMMAP_MAX, REGION_ARGS(base, last, type));
		return 1;
	}
	m->r[m->nr++] = (struct mem_region){ base, last - base + 1, type };
	return 0;
}

/*
 * Resolving overlaps: the entries' starts and ends cut the address space
 * into elementary intervals, each covered by a fixed set of entries, so
 * each gets the strongest of their types. Walking the intervals in address
 * order yields the result sorted; consecutive intervals of one type are
 * merged into a run before being emitted.
 */
int memmap_sanitize(struct memmap *m)
{
	/*
	 * The raw entries, kept while m is rewritten. Static to spare the
	 * boot stack 3 KiB: this runs once, before any other CPU is up.
	 */
	static struct mem_region in[MEMMAP_MAX];
	u64 addr, run_base = 0, run_last = 0;
	u32 i, n, run_type = 0;
	int warnings;

	warnings = check_entries(m);
	warnings += warn_overlaps(m);
	n = m->nr;
	if (!n)
		return warnings;
	memcpy(in, m->r, n * sizeof(in[0]));
	m->nr = 0;

	addr = in[0].base;
	for (i = 1; i < n; i++)
		addr = MIN(addr, in[i].base);

	for (;;) {
		u32 type = type_at(in, n, addr);
		bool more;
		u64 next;

		more = next_boundary(in, n, addr, &next);
		/*
		 * End the run on a change of type or a gap (type 0), or
		 * before it would span all 2^64 bytes, a size that does
		 * not fit in a u64.
		 */
		if (run_type && (type != run_type ||
				 (run_base == 0 && !more))) {
			warnings += emit(m, run_base, run_last, run_type);
			run_type = 0;
		}
		if (type) {
			if (!run_type) {
				run_base = addr;
				run_type = type;
			}
			run_last = more ? next - 1 : UINT64_MAX;
		}
		if (!more)
			break;
		addr = next;
	}
	if (run_type)
		warnings += emit(m, run_base, run_last, run_type);
	return warnings;
}

u64 memmap_total(const struct memmap *m, u32 type)
{
	u64 total = 0;
	u32 i;

	for (i = 0; i < m->nr; i++) {
		if (m->r[i].type == type)
			total += m->r[i].size;
	}
	return total;
}

/* An entry reaching the top of the address space gives UINT64_MAX. */
u64 memmap_end(const struct memmap *m, u32 type)
{
	u64 end = 0;
	u32 i;

	for (i = 0; i < m->nr; i++) {
		const struct mem_region *r = &m->r[i];
		u64 e = r->base + r->size;

		if (r->type != type)
			continue;
		if (e < r->base)
			e = UINT64_MAX;
		end = MAX(end, e);
	}
	return end;
}
