// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_alloc.c on the host: the allocator manages a 4 MiB block of this
 * process's memory, mapped at a fixed low address so that "physical" frame
 * numbers stay small (the kernel's phys_to_virt() is the identity). It must
 * hand out every free frame once, keep boot data out, reuse a freed frame
 * first, and refuse a double free or a free of what it never handed out:
 * those end in panic(), which here jumps back into the test.
 */
#include "unit.h"

#include <setjmp.h>
#include <sys/mman.h>

#include <proteus/bootinfo.h>
#include <proteus/mm.h>

#define ARENA		0x10000000ull	/* where the managed block is mapped */
#define ARENA_SIZE	(4ull << 20)
#define PAGE		4096ull
#define RESERVED_AT	(ARENA + 0x200000)	/* boot data in the middle */
#define RESERVED_SIZE	(3 * PAGE)
#define MAX_FRAMES	(ARENA_SIZE / PAGE)

/* What the kernel's linker script gives: the image, outside the arena. */
__asm__(".data\n.globl _text\n.globl _end\n_text:\n.space 64\n_end:\n.text\n");

struct boot_info boot_info;

static jmp_buf panic_jump;
static bool panic_armed;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (!panic_armed) {
		printf("# unexpected panic: %s\n", panic_msg);
		abort();
	}
	panic_armed = false;
	longjmp(panic_jump, 1);
}

/* Whether fn(pa, order) panics, with the message when it does. */
static bool free_panics(phys_addr_t pa, unsigned int order)
{
	panic_msg[0] = '\0';
	panic_armed = true;
	if (setjmp(panic_jump))
		return true;
	free_pages(pa, order);
	panic_armed = false;
	return false;
}

static u64 expected_free;

static void setup(void)
{
	struct memmap m = { 0 };
	void *p = mmap((void *)(uintptr_t)ARENA, ARENA_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)(uintptr_t)ARENA) {
		printf("Bail out! cannot map the arena at %#llx\n", ARENA);
		exit(1);
	}
	memmap_add(&m, ARENA, ARENA_SIZE, MEM_USABLE);
	boot_info.nr_reserved = 1;
	boot_info.reserved[0] = (struct mem_region){ RESERVED_AT, RESERVED_SIZE,
						     MEM_RESERVED };
	page_alloc_init(&m, ~0ull);
	/* The bitmap itself takes the arena's first pages. */
	expected_free = MAX_FRAMES - RESERVED_SIZE / PAGE -
			(((ARENA + ARENA_SIZE) / PAGE + 8 * PAGE - 1) / (8 * PAGE));
}

static bool in_arena(phys_addr_t pa)
{
	return pa >= ARENA && pa < ARENA + ARENA_SIZE;
}

static void test_all_frames_once(void)
{
	static phys_addr_t got[MAX_FRAMES];
	static bool seen[MAX_FRAMES];
	u64 n = 0, dup = 0, bad = 0, i;
	phys_addr_t pa;

	unit_name("allocate all");
	CHECK_EQ(page_alloc_free_pages(), expected_free);
	while (n < MAX_FRAMES && (pa = alloc_pages(0))) {
		got[n++] = pa;
		if (!in_arena(pa) || (pa & (PAGE - 1)) ||
		    (pa >= RESERVED_AT && pa < RESERVED_AT + RESERVED_SIZE)) {
			bad++;
			continue;
		}
		dup += seen[(pa - ARENA) / PAGE];
		seen[(pa - ARENA) / PAGE] = true;
	}
	CHECK_EQ(n, expected_free);
	CHECK_EQ(dup, 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(page_alloc_free_pages(), 0);
	CHECK_EQ(alloc_pages(0), 0);
	for (i = 0; i < n; i++)
		free_pages(got[i], 0);
	CHECK_EQ(page_alloc_free_pages(), expected_free);
}

static void test_reuse_and_alignment(void)
{
	phys_addr_t a, b, big;

	unit_name("reuse");
	a = alloc_pages(0);
	CHECK(in_arena(a));
	free_pages(a, 0);
	b = alloc_pages(0);
	CHECK_EQ(b, a);
	free_pages(b, 0);

	unit_name("order 4");
	big = alloc_pages(4);
	CHECK(in_arena(big));
	CHECK_EQ(big & (16 * PAGE - 1), 0);
	CHECK_EQ(page_alloc_free_pages(), expected_free - 16);
	free_pages(big, 4);
	CHECK_EQ(page_alloc_free_pages(), expected_free);
}

static void test_bad_frees(void)
{
	phys_addr_t a, pair;

	unit_name("double free");
	a = alloc_pages(0);
	free_pages(a, 0);
	CHECK(free_panics(a, 0));
	CHECK(strstr(panic_msg, "double free"));
	CHECK_EQ(page_alloc_free_pages(), expected_free);

	unit_name("double free of a block's second frame");
	pair = alloc_pages(1);
	free_pages(pair + PAGE, 0);
	CHECK(free_panics(pair, 1));
	CHECK(strstr(panic_msg, "double free"));
	free_pages(pair, 0);
	CHECK_EQ(page_alloc_free_pages(), expected_free);

	unit_name("misaligned free");
	CHECK(free_panics(RESERVED_AT + 1, 0));
	CHECK(strstr(panic_msg, "never handed out"));

	unit_name("free of what was never handed out");
	CHECK(free_panics(ARENA + ARENA_SIZE + 64 * PAGE, 0));
	CHECK(strstr(panic_msg, "never handed out"));
	CHECK_EQ(page_alloc_free_pages(), expected_free);
}

int main(void)
{
	setup();
	test_all_frames_once();
	test_reuse_and_alignment();
	test_bad_frees();
	return unit_done();
}
