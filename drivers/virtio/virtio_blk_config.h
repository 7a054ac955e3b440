/* SPDX-License-Identifier: GPL-2.0 */
/* Private to virtio_blk.c and virtio_blk_config.c. */
#ifndef VIRTIO_BLK_CONFIG_H
#define VIRTIO_BLK_CONFIG_H

#include <proteus/virtio.h>
#include <proteus/virtio_blk.h>

/* Most data pieces a request takes: 128 KiB of whole pages. */
#define BLK_MAX_SEGS		32
#define BLK_MAX_QUEUES		4
/* 2^48 sectors (128 PiB): past that a capacity is taken for garbage. */
#define BLK_MAX_CAPACITY	(1ULL << 48)
#define BLK_MAX_BLK_SIZE	65536

/*
 * Fill @in's capacity, blk_size, segs, seg_bytes, nr_queues, the discard
 * and write-zeroes limits, flush and read_only from @vd's configuration
 * and accepted features: 0, or -1 with @vd FAILED (in->empty when for a
 * capacity of 0).
 */
int virtio_blk_read_config(struct virtio_device *vd, struct virtio_blk_info *in);

#endif
