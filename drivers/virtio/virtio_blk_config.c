// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk's configuration (virtio 1.2, 5.2.4), read field by field
 * through virtio_config_read (generation-guarded) and checked before the
 * driver relies on it: a disk of 0 sectors or past 2^48 sectors, or a
 * size_max under a sector, fails the device with a line; blk_size,
 * seg_max, num_queues and the discard and write-zeroes limits, when
 * nonsense, get a line and a safe default (or the command stays unused).
 * Free of any transport, so the host tests feed it hostile configurations.
 */
#include <proteus/compiler.h>
#include <proteus/kernel.h>
#include <proteus/memmap.h>
#include <proteus/printk.h>
#include <proteus/virtio.h>
#include <proteus/virtio_blk.h>
#include "virtio_blk_config.h"

static bool has(const struct virtio_device *vd, unsigned int bit)
{
	return vd->features & (1ULL << bit);
}

#define blk_cfg(vd, field, v)						\
	virtio_config_read((vd), offsetof(struct virtio_blk_config, field), \
			   (v), sizeof(*(v)))

static int read_capacity(struct virtio_device *vd, struct virtio_blk_info *in)
{
	u64 cap;

	if (blk_cfg(vd, capacity, &cap))
		return -1;
	if (!cap) {
		in->empty = true;
		virtio_fail(vd, "capacity 0 sectors: an empty disk");
		return -1;
	}
	if (cap > BLK_MAX_CAPACITY) {
		virtio_fail(vd, "capacity %llu sectors: past the 2^48 a disk may have",
			    (unsigned long long)cap);
		return -1;
	}
	in->capacity = cap;
	return 0;
}

/* blk_size, size_max, seg_max: hints with safe defaults, but no piece under a sector. */
static int read_geometry(struct virtio_device *vd, struct virtio_blk_info *in)
{
	u32 v;

	in->blk_size = BLK_SECTOR_SIZE;
	if (has(vd, VIRTIO_BLK_F_BLK_SIZE)) {
		if (blk_cfg(vd, blk_size, &v))
			return -1;
		if (v < BLK_SECTOR_SIZE || v > BLK_MAX_BLK_SIZE || (v & (v - 1)))
			pr_warn("virtio: blk %s: blk_size %u is no power of two from 512 to 64 KiB; 512 assumed\n",
				vd->name, v);
		else
			in->blk_size = v;
	}
	in->seg_bytes = PAGE_SIZE;
	if (has(vd, VIRTIO_BLK_F_SIZE_MAX)) {
		if (blk_cfg(vd, size_max, &v))
			return -1;
		if (v < BLK_SECTOR_SIZE) {
			virtio_fail(vd, "size_max %u: a piece cannot hold a sector", v);
			return -1;
		}
		in->seg_bytes = MIN(PAGE_SIZE, v & ~(BLK_SECTOR_SIZE - 1));
	}
	in->segs = BLK_MAX_SEGS;
	if (has(vd, VIRTIO_BLK_F_SEG_MAX)) {
		if (blk_cfg(vd, seg_max, &v))
			return -1;
		if (!v)
			pr_warn("virtio: blk %s: seg_max 0; 1 assumed\n", vd->name);
		in->segs = MIN(in->segs, MAX(v, 1u));
	}
	return 0;
}

static int read_queues(struct virtio_device *vd, struct virtio_blk_info *in)
{
	u16 n;

	in->nr_queues = 1;
	if (!has(vd, VIRTIO_BLK_F_MQ))
		return 0;
	if (blk_cfg(vd, num_queues, &n))
		return -1;
	if (!n)
		pr_warn("virtio: blk %s: num_queues 0; 1 used\n", vd->name);
	in->nr_queues = MIN(MAX(n, 1), BLK_MAX_QUEUES);
	return 0;
}

/* Whether a discard or write-zeroes limit pair is usable; a line if not. */
static bool limits_usable(struct virtio_device *vd, const char *what, u32 sectors,
			  u32 segs)
{
	if (sectors && segs)
		return true;
	pr_warn("virtio: blk %s: %s offered with %u sectors in %u segments; not used\n",
		vd->name, what, sectors, segs);
	return false;
}

static int read_discard(struct virtio_device *vd, struct virtio_blk_info *in)
{
	u32 sectors, segs, align;

	in->discard = in->write_zeroes = false;
	if (has(vd, VIRTIO_BLK_F_DISCARD)) {
		if (blk_cfg(vd, max_discard_sectors, &sectors) ||
		    blk_cfg(vd, max_discard_seg, &segs) ||
		    blk_cfg(vd, discard_sector_alignment, &align))
			return -1;
		align = MAX(align, 1u);
		sectors -= sectors % align;
		if (align > in->capacity) {
			pr_warn("virtio: blk %s: discard alignment %u sectors, past the disk; not used\n",
				vd->name, align);
		} else if (limits_usable(vd, "discard", sectors, segs)) {
			in->discard = true;
			in->max_discard = sectors;
			in->discard_align = align;
		}
	}
	if (has(vd, VIRTIO_BLK_F_WRITE_ZEROES)) {
		if (blk_cfg(vd, max_write_zeroes_sectors, &sectors) ||
		    blk_cfg(vd, max_write_zeroes_seg, &segs))
			return -1;
		if (limits_usable(vd, "write_zeroes", sectors, segs)) {
			in->write_zeroes = true;
			in->max_write_zeroes = sectors;
		}
	}
	return 0;
}

int virtio_blk_read_config(struct virtio_device *vd, struct virtio_blk_info *in)
{
	if (read_capacity(vd, in) || read_geometry(vd, in) || read_queues(vd, in) ||
	    read_discard(vd, in))
		return -1;
	in->flush = has(vd, VIRTIO_BLK_F_FLUSH);
	in->read_only = has(vd, VIRTIO_BLK_F_RO);
	return 0;
}
