// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk on the disks QEMU gives. Word j of sector s holds
 * seed ^ (s * K) ^ j (little-endian u64s, K odd, the seed new each boot):
 * a sector at the wrong place, a stale one from an earlier boot, or a
 * shifted buffer all read back wrong. blk.whole_disk writes it over every
 * sector, flushes, reads it all back and compares, then prints
 * 'blk-pattern: NAME serial=ID sectors=N seed=0x...': after poweroff the
 * runner recomputes the pattern and compares the image file byte for
 * byte. The other tests work on a window they first write, and leave the
 * pattern there (blk.indirect_128k its first 128 KiB, each request of
 * it through an indirect table when the device took INDIRECT_DESC).
 * Only disks whose ID (QEMU serial=) starts with
 * "scratch" are written; the others are only read. blk.needs_reset relies on what QEMU does with a
 * malformed request (DEVICE_NEEDS_RESET). SKIP without a virtio-blk device.
 */
#include <asm/processor.h>
#include <linux/virtio_ids.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_blk.h>

#define PATTERN_K	0x9e3779b97f4a7c15ULL
#define WORDS		(BLK_SECTOR_SIZE / 8)
#define CHUNK_ORDER	5	/* 128 KiB */
#define CHUNK_SECTORS	((PAGE_SIZE << CHUNK_ORDER) / BLK_SECTOR_SIZE)
/* The window blk.write_zeroes and blk.discard work in: 32 KiB at 64 KiB. */
#define WINDOW_START	128
#define WINDOW_SECTORS	64
/* Only disks whose GET_ID starts so are written: never a user's own disk. */
#define SCRATCH_ID	"scratch"

static u64 seed;
/* One sector for blk.disks, in the kernel image like the driver's own buffers. */
static u64 sector_buf[WORDS] __aligned(BLK_SECTOR_SIZE);

static u64 boot_seed(void)
{
	while (!seed)
		seed = (rdtsc() ^ 0x5bd1e9955bd1e995ULL) * PATTERN_K;
	return seed;
}

static void fill(u64 *p, u64 sector, u32 count)
{
	u64 s, v;
	u32 j;

	for (s = sector; s < sector + count; s++) {
		v = boot_seed() ^ (s * PATTERN_K);
		for (j = 0; j < WORDS; j++)
			*p++ = v ^ j;
	}
}

/* The first sector of @count at @sector that is not the pattern, or -1. */
static s64 mismatch(const u64 *p, u64 sector, u32 count)
{
	u64 s, v;
	u32 j;

	for (s = sector; s < sector + count; s++) {
		v = boot_seed() ^ (s * PATTERN_K);
		for (j = 0; j < WORDS; j++, p++)
			if (*p != (v ^ j)) {
				printk("# sector %llu word %u: %#llx, expected %#llx\n",
				       (unsigned long long)s, j, (unsigned long long)*p,
				       (unsigned long long)(v ^ j));
				return s;
			}
	}
	return -1;
}

static bool zero(const u8 *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

static enum test_result none_found(void)
{
	return skip("no virtio-blk device");
}

SELFTEST(blk, disks)
{
	unsigned int i, found = virtio_count(VIRTIO_ID_BLOCK);
	const struct virtio_blk_info *in;
	u64 *buf = sector_buf;

	if (!found)
		return none_found();
	EXPECT_EQ(virtio_blk_count(), found);
	for (i = 0; i < found; i++) {
		in = virtio_blk_info(i);
		if (in->empty) {
			printk("# %s: an empty disk, FAILED as it must be\n", in->name);
			EXPECT(!in->running);
			continue;
		}
		/* A queue size it cannot take, say: which one must be, the runner knows. */
		if (in->refused) {
			printk("# %s: refused at start (its FAILED line says why)\n", in->name);
			EXPECT(!in->running);
			continue;
		}
		printk("# %s: %llu sectors, blk_size %u, %u queues, %u sectors a request%s%s%s%s\n",
		       in->name, (unsigned long long)in->capacity, in->blk_size,
		       in->nr_queues, in->max_sectors, in->flush ? ", flush" : "",
		       in->discard ? ", discard" : "",
		       in->write_zeroes ? ", write_zeroes" : "",
		       in->read_only ? ", read-only" : "");
		EXPECT(in->running);
		EXPECT(in->capacity > 0);
		/* Past the end: refused before the device sees it. */
		EXPECT(virtio_blk_read(i, in->capacity, buf, 1) == -1);
		EXPECT(virtio_blk_read(i, in->capacity - 1, buf, 2) == -1);
		EXPECT(!virtio_blk_read(i, in->capacity - 1, buf, 1));
	}
	return TEST_PASS;
}

/*
 * Every running disk answers GET_ID with printable text, empty when QEMU
 * was given no serial=; that it is the right one the runner sees (the
 * blk-pattern line must name the serial it gave).
 */
SELFTEST(blk, get_id)
{
	char id[VIRTIO_BLK_ID_BYTES + 1];
	unsigned int i, n = 0;

	if (!virtio_blk_count())
		return none_found();
	for (i = 0; i < virtio_blk_count(); i++) {
		if (!virtio_blk_info(i)->running)
			continue;
		memset(id, 0x55, sizeof(id));
		EXPECT(!virtio_blk_get_id(i, id));
		printk("# %s: id '%s'\n", virtio_blk_info(i)->name, id);
		EXPECT(printable(id));
		/* Shorter than 20 bytes: NUL-terminated, and nothing after. */
		EXPECT(zero((u8 *)id + strlen(id), sizeof(id) - strlen(id)));
		n++;
	}
	EXPECT(n > 0);
	return TEST_PASS;
}

/* A per-queue count of disk @i summed over its queues. */
static u64 over_queues(unsigned int i, u64 (*count)(unsigned int, unsigned int))
{
	u64 n = 0;
	unsigned int q;

	for (q = 0; q < virtio_blk_info(i)->nr_queues; q++)
		n += count(i, q);
	return n;
}

/* Requests all queues of disk @i carried. */
static u64 requests(unsigned int i)
{
	return over_queues(i, virtio_blk_queue_requests);
}

/* The pattern over all of disk @i, a flush, all of it read back. */
static enum test_result whole_disk(unsigned int i, u64 *buf)
{
	const struct virtio_blk_info *in = virtio_blk_info(i);
	char id[VIRTIO_BLK_ID_BYTES + 1];
	u64 s, cap = in->capacity, before;
	u32 n;
	unsigned int q;

	for (s = 0; s < cap; s += n) {
		n = MIN(cap - s, CHUNK_SECTORS);
		fill(buf, s, n);
		EXPECT(!virtio_blk_write(i, s, buf, n));
	}
	before = requests(i);
	EXPECT(!virtio_blk_flush(i));
	/* A flush is a request of its own, where the device has a cache to flush. */
	EXPECT_EQ(requests(i) - before, in->flush ? 1 : 0);
	for (s = 0; s < cap; s += n) {
		n = MIN(cap - s, CHUNK_SECTORS);
		memset(buf, 0, n * BLK_SECTOR_SIZE);
		EXPECT(!virtio_blk_read(i, s, buf, n));
		EXPECT(mismatch(buf, s, n) < 0);
	}
	for (q = 0; q < in->nr_queues; q++) {
		printk("# %s: queue %u carried %llu requests\n", in->name, q,
		       (unsigned long long)virtio_blk_queue_requests(i, q));
		EXPECT(virtio_blk_queue_requests(i, q) > 0);
	}
	EXPECT(!virtio_blk_get_id(i, id));
	printk("blk-pattern: %s serial=%s sectors=%llu seed=%#llx\n", in->name, id,
	       (unsigned long long)cap, (unsigned long long)boot_seed());
	return TEST_PASS;
}

/* Whether disk @i's ID marks it as the tests' to overwrite. */
static bool scratch(unsigned int i)
{
	char id[VIRTIO_BLK_ID_BYTES + 1];

	return !virtio_blk_get_id(i, id) && !strncmp(id, SCRATCH_ID, strlen(SCRATCH_ID));
}

static enum test_result each_writable(enum test_result (*fn)(unsigned int, u64 *),
				      u64 min_sectors)
{
	enum test_result r = TEST_PASS;
	unsigned int i, n = 0;
	phys_addr_t pa;
	u64 *buf;

	if (!virtio_blk_count())
		return none_found();
	pa = alloc_pages(CHUNK_ORDER);
	EXPECT(pa);
	buf = phys_to_virt(pa);
	for (i = 0; i < virtio_blk_count() && r == TEST_PASS; i++) {
		const struct virtio_blk_info *in = virtio_blk_info(i);

		if (!in->running || in->read_only || in->capacity < min_sectors ||
		    !scratch(i))
			continue;
		r = fn(i, buf);
		n++;
	}
	free_pages(pa, CHUNK_ORDER);
	if (r == TEST_PASS && !n)
		return skip("no writable virtio-blk disk with a serial starting '" SCRATCH_ID
			    "' (the tests overwrite it) large enough");
	return r;
}

SELFTEST(blk, whole_disk)
{
	return each_writable(whole_disk, 1);
}

/* The window written with the pattern, then @op on its middle half. */
static enum test_result window(unsigned int i, u64 *buf,
			       int (*op)(unsigned int, u64, u32), bool must_zero)
{
	u64 mid = WINDOW_START + WINDOW_SECTORS / 4, s;
	u32 mid_n = WINDOW_SECTORS / 2;
	u8 *sec;

	fill(buf, WINDOW_START, WINDOW_SECTORS);
	EXPECT(!virtio_blk_write(i, WINDOW_START, buf, WINDOW_SECTORS));
	EXPECT(!op(i, mid, mid_n));
	EXPECT(!virtio_blk_read(i, WINDOW_START, buf, WINDOW_SECTORS));
	EXPECT(mismatch(buf, WINDOW_START, mid - WINDOW_START) < 0);
	EXPECT(mismatch(buf + (mid + mid_n - WINDOW_START) * WORDS, mid + mid_n,
			WINDOW_START + WINDOW_SECTORS - mid - mid_n) < 0);
	/* Discarded sectors read back zeroed or as they were, never mixed. */
	for (s = mid; s < mid + mid_n; s++) {
		sec = (u8 *)(buf + (s - WINDOW_START) * WORDS);
		if (zero(sec, BLK_SECTOR_SIZE))
			continue;
		EXPECT(!must_zero);
		EXPECT(mismatch((u64 *)sec, s, 1) < 0);
	}
	fill(buf, WINDOW_START, WINDOW_SECTORS);
	EXPECT(!virtio_blk_write(i, WINDOW_START, buf, WINDOW_SECTORS));
	return TEST_PASS;
}

static enum test_result write_zeroes(unsigned int i, u64 *buf)
{
	if (!virtio_blk_info(i)->write_zeroes) {
		printk("# %s: write_zeroes not offered\n", virtio_blk_info(i)->name);
		return TEST_PASS;
	}
	return window(i, buf, virtio_blk_write_zeroes, true);
}

static enum test_result discard(unsigned int i, u64 *buf)
{
	if (!virtio_blk_info(i)->discard) {
		printk("# %s: discard not offered\n", virtio_blk_info(i)->name);
		return TEST_PASS;
	}
	return window(i, buf, virtio_blk_discard, false);
}

SELFTEST(blk, write_zeroes)
{
	return each_writable(write_zeroes, WINDOW_START + WINDOW_SECTORS);
}

SELFTEST(blk, discard)
{
	return each_writable(discard, WINDOW_START + WINDOW_SECTORS);
}

/* Requests all queues of disk @i sent through an indirect table. */
static u64 indirect(unsigned int i)
{
	return over_queues(i, virtio_blk_queue_indirect);
}

/*
 * 128 KiB written and read back, page-aligned: requests of up to
 * max_sectors, each a chain of its pages framed by header and status.
 * With INDIRECT_DESC every one of them went through an indirect table
 * (the queue's counter moved by as many as were sent), without it none.
 */
static enum test_result indirect_chunk(unsigned int i, u64 *buf)
{
	const struct virtio_blk_info *in = virtio_blk_info(i);
	bool want = virtio_blk_device(i)->features & (1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	u64 reqs = requests(i), ind = indirect(i), sent;
	u32 per_chunk = (CHUNK_SECTORS + in->max_sectors - 1) / in->max_sectors;

	fill(buf, 0, CHUNK_SECTORS);
	EXPECT(!virtio_blk_write(i, 0, buf, CHUNK_SECTORS));
	memset(buf, 0, CHUNK_SECTORS * BLK_SECTOR_SIZE);
	EXPECT(!virtio_blk_read(i, 0, buf, CHUNK_SECTORS));
	EXPECT(mismatch(buf, 0, CHUNK_SECTORS) < 0);
	sent = requests(i) - reqs;
	printk("# %s ring=%s: 128 KiB written and read in %llu requests of up to %u sectors, %llu indirect\n",
	       in->name, virtio_ring_kind(virtio_blk_device(i)), (unsigned long long)sent,
	       in->max_sectors, (unsigned long long)(indirect(i) - ind));
	EXPECT_EQ(sent, 2 * per_chunk);
	EXPECT_EQ(indirect(i) - ind, want ? sent : 0);
	return TEST_PASS;
}

SELFTEST(blk, indirect_128k)
{
	return each_writable(indirect_chunk, CHUNK_SECTORS);
}

/*
 * A request without a header: QEMU's device sets DEVICE_NEEDS_RESET
 * (virtio_error) and answers nothing; the driver must see it, reset the
 * device and start it again, and the disk's data must be there after.
 * A legacy device has no such bit (QEMU's just stops): left out.
 */
static enum test_result needs_reset(unsigned int i, u64 *buf)
{
	const struct virtio_blk_info *in = virtio_blk_info(i);
	unsigned int restarts = in->restarts;

	if (in->legacy) {
		printk("# %s: legacy: no DEVICE_NEEDS_RESET to see\n", in->name);
		return TEST_PASS;
	}
	fill(buf, WINDOW_START, WINDOW_SECTORS);
	EXPECT(!virtio_blk_write(i, WINDOW_START, buf, WINDOW_SECTORS));
	EXPECT(virtio_blk_send_headless(i) == -1);
	EXPECT_EQ(in->restarts, restarts + 1);
	EXPECT(virtio_blk_info(i)->running);
	memset(buf, 0, WINDOW_SECTORS * BLK_SECTOR_SIZE);
	EXPECT(!virtio_blk_read(i, WINDOW_START, buf, WINDOW_SECTORS));
	EXPECT(mismatch(buf, WINDOW_START, WINDOW_SECTORS) < 0);
	return TEST_PASS;
}

SELFTEST(blk, needs_reset)
{
	return each_writable(needs_reset, WINDOW_START + WINDOW_SECTORS);
}
