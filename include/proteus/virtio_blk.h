/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-blk (virtio 1.2, 5.2): a small synchronous block API over every
 * disk the driver took. Sectors are 512 bytes whatever the device's
 * blk_size; buffers must be 512-byte aligned (any pages: each is given
 * to the device by its own bus address). Every call returns 0, or -1
 * with a line saying why (the device failed, it answered an error, the
 * request is out of range or not offered).
 */
#ifndef PROTEUS_VIRTIO_BLK_H
#define PROTEUS_VIRTIO_BLK_H

#include <linux/virtio_blk.h>
#include <proteus/types.h>

struct virtio_device;

#define BLK_SECTOR_SIZE		512

struct virtio_blk_info {
	const char *name;	/* the transport's: "0000:00:05.0" */
	bool running;		/* DRIVER_OK and not failed */
	bool legacy;		/* the legacy interface: no DEVICE_NEEDS_RESET */
	bool empty;		/* failed because its capacity is 0 sectors */
	bool refused;		/* failed at start for another reason its FAILED line gives */
	u64 capacity;		/* sectors */
	u32 blk_size;		/* bytes: the device's optimal unit */
	u32 max_sectors;	/* per read or write request */
	u32 segs, seg_bytes;	/* data pieces per request; bytes per piece */
	unsigned int nr_queues;
	bool flush, discard, write_zeroes, read_only;
	u32 max_discard, max_write_zeroes;	/* sectors per request */
	u32 discard_align;	/* sectors */
	unsigned int restarts;	/* resets after DEVICE_NEEDS_RESET */
};

int virtio_blk_probe(struct virtio_device *vd);
int virtio_blk_restart(struct virtio_device *vd);

/* Disks the driver took (running or failed). */
unsigned int virtio_blk_count(void);
/* What disk @i is; NULL past the count. */
const struct virtio_blk_info *virtio_blk_info(unsigned int i);
/* Disk @i's device (its counters: irqs, notifies); NULL past the count. */
struct virtio_device *virtio_blk_device(unsigned int i);
/* Requests queue @q of disk @i carried so far. */
u64 virtio_blk_queue_requests(unsigned int i, unsigned int q);
/* Requests queue @q of disk @i sent through an indirect table so far. */
u64 virtio_blk_queue_indirect(unsigned int i, unsigned int q);

int virtio_blk_read(unsigned int i, u64 sector, void *buf, u32 count);
int virtio_blk_write(unsigned int i, u64 sector, const void *buf, u32 count);
/* Everything written so far on stable storage (a no-op without FLUSH). */
int virtio_blk_flush(unsigned int i);
int virtio_blk_discard(unsigned int i, u64 sector, u32 count);
int virtio_blk_write_zeroes(unsigned int i, u64 sector, u32 count);
/* The device's ID string (GET_ID), NUL-terminated. */
int virtio_blk_get_id(unsigned int i, char id[VIRTIO_BLK_ID_BYTES + 1]);

/*
 * Asynchronous reads and writes, for several requests in flight: submit
 * one request of @count sectors (up to max_sectors) without waiting,
 * @cookie (not NULL) coming back from virtio_blk_reap. 0 when it went,
 * 1 when the disk has no room for more (reap first), -1 with a line as
 * above. While any is in flight the synchronous calls are refused.
 */
int virtio_blk_submit(unsigned int i, bool write, u64 sector, void *buf, u32 count,
		      void *cookie);
/*
 * Wait for the next request of disk @i the device returns: its cookie,
 * *@status 0 when the device said OK; NULL with *@status -1 when none was
 * in flight or the device did not answer (it failed or restarted).
 */
void *virtio_blk_reap(unsigned int i, int *status);
/* Asynchronous requests of disk @i submitted and not yet reaped. */
unsigned int virtio_blk_in_flight(unsigned int i);

/*
 * Test interface: a request with no header, only the status byte. The
 * specification leaves the device's answer open; QEMU sets
 * DEVICE_NEEDS_RESET, and the driver then resets and restarts the disk.
 * -1 when no answer came (the disk restarted, or failed).
 */
int virtio_blk_send_headless(unsigned int i);

#endif
