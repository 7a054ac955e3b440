// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocator: drain it completely (each page gets a link and a tag,
 * so a frame handed out twice breaks the chain), check alignment of
 * higher orders, and that a freed frame is reused.
 */
#include <proteus/mm.h>
#include <proteus/selftest.h>

#define TAG	0x50524f54455553ULL

struct page_link {
	u64 next;
	u64 tag;
};

SELFTEST(page_alloc, allocate_all_no_duplicates)
{
	u64 free_before = page_alloc_free_pages(), n = 0, walked = 0;
	phys_addr_t head = 0, pa;

	EXPECT(free_before > 0);
	while ((pa = alloc_pages(0))) {
		struct page_link *l = phys_to_virt(pa);

		EXPECT(!(pa & (PAGE_SIZE - 1)));
		l->next = head;
		l->tag = TAG ^ pa;
		head = pa;
		n++;
	}
	EXPECT_EQ(n, free_before);
	EXPECT_EQ(page_alloc_free_pages(), 0);
	for (pa = head; pa; walked++) {
		struct page_link *l = phys_to_virt(pa);
		phys_addr_t next = l->next;

		EXPECT_EQ(l->tag, TAG ^ pa);
		free_pages(pa, 0);
		pa = next;
	}
	EXPECT_EQ(walked, n);
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

SELFTEST(page_alloc, kernel_and_boot_data_reserved)
{
	extern char _text[], _end[];
	u64 free_before = page_alloc_free_pages();
	phys_addr_t pa;
	u64 n = 0, bad = 0;
	phys_addr_t head = 0;

	/* Everything handed out must lie outside the kernel image. */
	while ((pa = alloc_pages(0))) {
		if (pa < (u64)(uintptr_t)_end && pa + PAGE_SIZE > (u64)(uintptr_t)_text)
			bad++;
		if (pa < 0x100000)
			bad++;
		*(u64 *)phys_to_virt(pa) = head;
		head = pa;
		n++;
	}
	while (head) {
		phys_addr_t next = *(u64 *)phys_to_virt(head);

		free_pages(head, 0);
		head = next;
	}
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(n, free_before);
	return TEST_PASS;
}
