// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocator: single frames are distinct (each gets a link and a tag
 * while it is out, so a frame handed out twice shows its tag again), the
 * allocator drains to empty in blocks that neither overlap each other nor
 * the kernel and boot data, higher orders are aligned, and a freed frame
 * is reused.
 *
 * No test touches more pages as RAM grows: single frames are checked in a
 * window of SINGLE_FRAMES, and the drain takes the largest blocks first,
 * touches no page and makes a number of allocations bounded by the free
 * ranges of the memory map, whatever their size. What still grows is the
 * allocator's own search over its bitmap (one bit per frame, a word per
 * 256 KiB), as a walk over a memory map would.
 */
#include <proteus/bootinfo.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>

#define TAG		0x50524f54455553ULL
#define SINGLE_FRAMES	1024
#define DRAIN_MAX_ORDER	18
#define DRAIN_MIN_ORDER	9
#define DRAIN_BLOCKS	2048	/* a free range gives 2 per order and a few runs */

struct page_link {
	u64 next;
	u64 tag;
};

/* Give back a chain of tagged frames; the number given back. */
static u64 free_chain(phys_addr_t head, u64 *bad_tags)
{
	u64 n = 0;

	while (head) {
		struct page_link *l = phys_to_virt(head);
		phys_addr_t next = l->next;

		if (l->tag != (TAG ^ head))
			(*bad_tags)++;
		l->tag = 0;
		free_pages(head, 0);
		head = next;
		n++;
	}
	return n;
}

SELFTEST(page_alloc, frames_handed_out_once)
{
	u64 free_before = page_alloc_free_pages(), n = 0, dups = 0, bad_tags = 0;
	phys_addr_t head = 0, pa;

	EXPECT(free_before > 0);
	while (n < SINGLE_FRAMES && (pa = alloc_pages(0))) {
		struct page_link *l = phys_to_virt(pa);

		EXPECT(!(pa & (PAGE_SIZE - 1)));
		if (l->tag == (TAG ^ pa))
			dups++;
		l->next = head;
		l->tag = TAG ^ pa;
		head = pa;
		n++;
		EXPECT_EQ(page_alloc_free_pages(), free_before - n);
	}
	/* A frame out twice cannot be given back twice: stop holding them. */
	EXPECT_EQ(dups, 0);
	EXPECT_EQ(n, MIN(free_before, (u64)SINGLE_FRAMES));
	EXPECT_EQ(free_chain(head, &bad_tags), n);
	EXPECT_EQ(bad_tags, 0);
	EXPECT_EQ(page_alloc_free_pages(), free_before);
	return TEST_PASS;
}

/*
 * A drained piece: one block of 2^order frames, or (order 0) a run of
 * single frames taken one by one.
 */
struct block {
	phys_addr_t pa;
	u64 frames;
	unsigned int order;
};

static struct block blocks[DRAIN_BLOCKS];

static u64 block_end(const struct block *b)
{
	return b->pa + b->frames * PAGE_SIZE;
}

static void undrain(int n)
{
	u64 f;
	int i;

	for (i = 0; i < n; i++) {
		if (blocks[i].order) {
			free_pages(blocks[i].pa, blocks[i].order);
			continue;
		}
		for (f = 0; f < blocks[i].frames; f++)
			free_pages(blocks[i].pa + f * PAGE_SIZE, 0);
	}
}

/* Append a piece; a single frame right after the last one extends its run. */
static bool record(int *n, phys_addr_t pa, unsigned int order)
{
	struct block *last = *n ? &blocks[*n - 1] : NULL;

	if (!order && last && !last->order && block_end(last) == pa) {
		last->frames++;
		return true;
	}
	if (*n == DRAIN_BLOCKS)
		return false;
	blocks[(*n)++] = (struct block){ pa, 1ULL << order, order };
	return true;
}

static void sort_blocks(int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		struct block b = blocks[i];

		for (j = i; j > 0 && blocks[j - 1].pa > b.pa; j--)
			blocks[j] = blocks[j - 1];
		blocks[j] = b;
	}
}

/*
 * Take every free frame into blocks[], sorted by address: blocks of
 * 2^DRAIN_MAX_ORDER down to 2^DRAIN_MIN_ORDER frames, then what is left
 * one frame at a time, in one next-fit sweep that makes runs. The number
 * of pieces, or -1 when there are more than blocks[] holds (then what was
 * taken stays taken: the pieces may overlap, and giving one back twice
 * would panic): a free range yields at most two blocks of each order and
 * a few runs, so only a broken allocator gets there.
 */
static int drain(void)
{
	int order, n = 0;
	phys_addr_t pa;

	for (order = DRAIN_MAX_ORDER; order >= 0; order--) {
		if (order && order < DRAIN_MIN_ORDER)
			continue;
		while ((pa = alloc_pages((unsigned int)order))) {
			if (!record(&n, pa, (unsigned int)order))
				return -1;
		}
	}
	sort_blocks(n);
	return n;
}

static bool overlaps(u64 a, u64 a_end, u64 b, u64 b_end)
{
	return a < b_end && b < a_end;
}

/* Outside the low MiB, the kernel image and the boot data. */
static bool reserved(u64 s, u64 e)
{
	extern char _text[], _end[];
	u32 r;

	if (s < 0x100000 || overlaps(s, e, (u64)(uintptr_t)_text, (u64)(uintptr_t)_end))
		return true;
	for (r = 0; r < boot_info.nr_reserved; r++)
		if (overlaps(s, e, boot_info.reserved[r].base,
			     boot_info.reserved[r].base + boot_info.reserved[r].size))
			return true;
	return false;
}

/*
 * Drained, the allocator is empty and says so; what it handed out adds up
 * to what it had free, in aligned blocks that overlap neither each other
 * nor the kernel and boot data.
 */
SELFTEST(page_alloc, drain_to_empty)
{
	u64 free_before = page_alloc_free_pages(), frames = 0;
	int n = drain(), i, overlapping = 0, misaligned = 0, in_reserved = 0;

	EXPECT(n >= 0);
	for (i = 0; i < n; i++) {
		frames += blocks[i].frames;
		if (blocks[i].pa & ((PAGE_SIZE << blocks[i].order) - 1))
			misaligned++;
		if (i && block_end(&blocks[i - 1]) > blocks[i].pa)
			overlapping++;
		if (reserved(blocks[i].pa, block_end(&blocks[i])))
			in_reserved++;
	}
	/* Overlapping pieces cannot all be given back: stop drained. */
	EXPECT_EQ(overlapping, 0);
	EXPECT_EQ(page_alloc_free_pages(), 0);
	EXPECT_EQ(alloc_pages(0), 0);
	undrain(n);
	EXPECT_EQ(frames, free_before);
	EXPECT_EQ(misaligned, 0);
	EXPECT_EQ(in_reserved, 0);
	EXPECT_EQ(page_alloc_free_pages(), free_before);
	return TEST_PASS;
}

/* Up to 256 KiB: Xen PV's initial mapping holds only a few MiB. */
SELFTEST(page_alloc, alignment)
{
	static const unsigned int orders[] = { 0, 1, 3, 4, 6 };
	phys_addr_t got[5];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		got[i] = alloc_pages(orders[i]);
		EXPECT(got[i] != 0);
		EXPECT_EQ(got[i] & ((PAGE_SIZE << orders[i]) - 1), 0);
	}
	for (i = 0; i < 5; i++)
		free_pages(got[i], orders[i]);
	return TEST_PASS;
}

SELFTEST(page_alloc, free_and_reuse)
{
	u64 before = page_alloc_free_pages();
	phys_addr_t a = alloc_pages(0), b;

	EXPECT(a != 0);
	EXPECT_EQ(page_alloc_free_pages(), before - 1);
	free_pages(a, 0);
	EXPECT_EQ(page_alloc_free_pages(), before);
	b = alloc_pages(0);
	EXPECT_EQ(b, a);
	free_pages(b, 0);
	return TEST_PASS;
}
