// SPDX-License-Identifier: GPL-2.0
/*
 * The asynchronous path of virtio-blk (virtio_blk_submit/reap), on the
 * first running disk, reads only (any disk will do, bench=virtio-blk's
 * too): ASYNC_REQS one-sector reads of sectors 0..ASYNC_REQS-1, as many
 * in flight as the disk takes, each into its own poisoned buffer. Every
 * cookie must come back once with status 0 and its buffer must hold
 * what a synchronous read of that sector gives; while they are in
 * flight a synchronous call is refused; a reap with nothing in flight
 * returns NULL at once; a submit without a cookie or past the end is
 * refused. SKIP without a running virtio-blk disk.
 */
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <proteus/virtio_blk.h>

#define ASYNC_REQS	8

static u8 async_buf[ASYNC_REQS][BLK_SECTOR_SIZE] __aligned(BLK_SECTOR_SIZE);
static u8 sync_buf[BLK_SECTOR_SIZE] __aligned(BLK_SECTOR_SIZE);

static int first_running(void)
{
	unsigned int i;

	for (i = 0; i < virtio_blk_count(); i++)
		if (virtio_blk_info(i)->running)
			return i;
	return -1;
}

/* Reap one: the index of its buffer, or -1 (NULL, or a failed status). */
static int reap_one(unsigned int disk)
{
	int status;
	u8 *buf = virtio_blk_reap(disk, &status);

	if (!buf || status)
		return -1;
	return (u8 (*)[BLK_SECTOR_SIZE])buf - async_buf;
}

SELFTEST(blk, async)
{
	unsigned int sub = 0, back = 0, in_flight = 0, most = 0, seen = 0, k;
	int disk = first_running(), rc, status, idx;

	if (disk < 0)
		return skip("no running virtio-blk disk");
	memset(async_buf, 0xa5, sizeof(async_buf));
	/* Refused before the device sees them: no cookie; past the end. */
	EXPECT(virtio_blk_submit(disk, false, 0, async_buf[0], 1, NULL) == -1);
	EXPECT(virtio_blk_submit(disk, false, virtio_blk_info(disk)->capacity, async_buf[0], 1,
				 async_buf[0]) == -1);
	EXPECT(!virtio_blk_in_flight(disk));
	while (back < ASYNC_REQS) {
		rc = sub < ASYNC_REQS ? virtio_blk_submit(disk, false, sub, async_buf[sub], 1,
							  async_buf[sub]) : 1;
		EXPECT(rc >= 0);
		if (!rc) {
			in_flight = ++sub - back;
			most = MAX(most, in_flight);
			if (in_flight == 2)
				EXPECT(virtio_blk_read(disk, 0, sync_buf, 1) == -1);
			continue;
		}
		EXPECT(virtio_blk_in_flight(disk) == sub - back);
		idx = reap_one(disk);
		EXPECT(idx >= 0 && idx < (int)sub && !(seen & (1u << idx)));
		seen |= 1u << idx;
		back++;
	}
	printk("# %s: %u reads, up to %u in flight\n", virtio_blk_info(disk)->name,
	       ASYNC_REQS, most);
	EXPECT(most >= 2);
	EXPECT(!virtio_blk_in_flight(disk));
	EXPECT(!virtio_blk_reap(disk, &status) && status == -1);
	for (k = 0; k < ASYNC_REQS; k++) {
		memset(sync_buf, 0x5a, sizeof(sync_buf));
		EXPECT(!virtio_blk_read(disk, k, sync_buf, 1));
		EXPECT(!memcmp(sync_buf, async_buf[k], BLK_SECTOR_SIZE));
	}
	return TEST_PASS;
}
