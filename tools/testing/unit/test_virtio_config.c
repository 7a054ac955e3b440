// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/config.c and virtio_blk_config.c against a simulated
 * transport: a configuration read is retried while config_generation
 * moves (a snapshot never mixes two generations), given up with FAILED
 * when it never settles, refused past the configuration's end; a legacy
 * interface (no generation) needs two equal reads. virtio-blk's values
 * are checked: an empty or absurd disk FAILS, nonsense hints get a line
 * and a safe default.
 */
#include "unit.h"

#include <proteus/virtio.h>
#include <proteus/virtio_blk.h>
#include "../../../drivers/virtio/virtio_blk_config.h"

#define BIT(n)		(1ULL << (n))

/* The simulated device: its configuration and how it changes. */
static struct {
	struct virtio_blk_config cfg;
	u32 gen;
	unsigned int gen_reads;
	unsigned int settle_after;	/* generation reads that still see it move */
	bool torn;			/* the 64-bit capacity changes between halves */
} dev;

static char failed_why[256];

void virtio_fail(struct virtio_device *vd, const char *fmt, ...)
{
	va_list ap;

	if (vd->failed)
		return;
	vd->failed = true;
	va_start(ap, fmt);
	kvsnprintf(failed_why, sizeof(failed_why), fmt, ap);
	va_end(ap);
}

static u32 sim_config_read(struct virtio_device *vd __attribute__((unused)),
			   unsigned int off, unsigned int width)
{
	u32 v = 0;

	CHECK(width == 1 || width == 2 || width == 4);
	CHECK(off % width == 0);
	memcpy(&v, (u8 *)&dev.cfg + off, width);
	/* A capacity that grows between its two halves: the high word carries. */
	if (dev.torn && off == offsetof(struct virtio_blk_config, capacity))
		dev.cfg.capacity += 0x100000000ULL;
	return v;
}

static u32 sim_generation(struct virtio_device *vd __attribute__((unused)))
{
	if (dev.gen_reads++ < dev.settle_after)
		dev.gen++;
	return dev.gen;
}

static struct virtio_transport modern = {
	.config_read = sim_config_read,
	.generation = sim_generation,
};
static struct virtio_transport legacy = { .config_read = sim_config_read };

static struct virtio_device vd;

static void reset(const struct virtio_transport *t, u64 features)
{
	memset(&dev, 0, sizeof(dev));
	memset(&vd, 0, sizeof(vd));
	failed_why[0] = 0;
	strcpy(vd.name, "sim");
	vd.t = t;
	vd.features = features;
	vd.config_len = sizeof(dev.cfg);
	dev.cfg.capacity = 2048;
	unit_log_reset();
}

static void generation(void)
{
	u64 cap = 0;
	u16 n = 0;

	unit_name("config: stable generation, one read");
	reset(&modern, 0);
	dev.cfg.capacity = 0x123456789aULL;
	CHECK_EQ(virtio_config_read(&vd, 0, &cap, sizeof(cap)), 0);
	CHECK_EQ(cap, 0x123456789aULL);
	CHECK_EQ(dev.gen_reads, 2);

	unit_name("config: generation moves twice, read again");
	reset(&modern, 0);
	dev.settle_after = 3;
	dev.cfg.num_queues = 3;
	CHECK_EQ(virtio_config_read(&vd, offsetof(struct virtio_blk_config, num_queues),
				    &n, sizeof(n)), 0);
	CHECK_EQ(n, 3);
	CHECK(!vd.failed);

	unit_name("config: generation never settles: FAILED, bounded");
	reset(&modern, 0);
	dev.settle_after = ~0u;
	CHECK_EQ(virtio_config_read(&vd, 0, &cap, sizeof(cap)), -1);
	CHECK(vd.failed);
	CHECK(strstr(failed_why, "still changing"));
	CHECK(dev.gen_reads < 100);

	unit_name("config: past the end refused");
	reset(&modern, 0);
	vd.config_len = 8;
	CHECK_EQ(virtio_config_read(&vd, 4, &cap, sizeof(cap)), -1);
	CHECK(vd.failed && strstr(failed_why, "past"));

	unit_name("config: legacy torn 64-bit read is read again");
	reset(&legacy, 0);
	dev.torn = true;
	CHECK_EQ(virtio_config_read(&vd, 0, &cap, sizeof(cap)), -1);
	CHECK(vd.failed);
	reset(&legacy, 0);
	CHECK_EQ(virtio_config_read(&vd, 0, &cap, sizeof(cap)), 0);
	CHECK_EQ(cap, 2048);
}

static int blk(u64 features, struct virtio_blk_info *in)
{
	memset(in, 0, sizeof(*in));
	vd.features = features;
	return virtio_blk_read_config(&vd, in);
}

static void blk_values(void)
{
	struct virtio_blk_info in;
	u64 all = BIT(VIRTIO_BLK_F_SIZE_MAX) | BIT(VIRTIO_BLK_F_SEG_MAX) |
		  BIT(VIRTIO_BLK_F_BLK_SIZE) | BIT(VIRTIO_BLK_F_MQ) |
		  BIT(VIRTIO_BLK_F_DISCARD) | BIT(VIRTIO_BLK_F_WRITE_ZEROES) |
		  BIT(VIRTIO_BLK_F_FLUSH);

	unit_name("blk: QEMU's configuration");
	reset(&modern, all);
	dev.cfg.size_max = 65536;
	dev.cfg.seg_max = 126;
	dev.cfg.blk_size = 512;
	dev.cfg.num_queues = 2;
	dev.cfg.max_discard_sectors = 0x3fffff;
	dev.cfg.max_discard_seg = 1;
	dev.cfg.discard_sector_alignment = 1;
	dev.cfg.max_write_zeroes_sectors = 0x3fffff;
	dev.cfg.max_write_zeroes_seg = 1;
	CHECK_EQ(blk(all, &in), 0);
	CHECK_EQ(in.capacity, 2048);
	CHECK_EQ(in.nr_queues, 2);
	CHECK_EQ(in.segs, 32);
	CHECK_EQ(in.seg_bytes, 4096);
	CHECK(in.discard && in.write_zeroes && in.flush && !in.read_only);
	CHECK_EQ(in.discard_align, 1);

	unit_name("blk: capacity 0 FAILS as an empty disk");
	reset(&modern, 0);
	dev.cfg.capacity = 0;
	CHECK_EQ(blk(0, &in), -1);
	CHECK(vd.failed && in.empty && strstr(failed_why, "capacity 0"));

	unit_name("blk: absurd capacity FAILS");
	reset(&modern, 0);
	dev.cfg.capacity = ~0ULL;
	CHECK_EQ(blk(0, &in), -1);
	CHECK(vd.failed && !in.empty && strstr(failed_why, "2^48"));

	unit_name("blk: size_max under a sector FAILS");
	reset(&modern, 0);
	dev.cfg.size_max = 100;
	CHECK_EQ(blk(BIT(VIRTIO_BLK_F_SIZE_MAX), &in), -1);
	CHECK(vd.failed && strstr(failed_why, "size_max"));

	unit_name("blk: nonsense hints get a line and a safe default");
	reset(&modern, all);
	dev.cfg.size_max = 1000;	/* pieces of 512 */
	dev.cfg.seg_max = 0;
	dev.cfg.blk_size = 3000;
	dev.cfg.num_queues = 0;
	dev.cfg.max_discard_sectors = 0;
	dev.cfg.max_discard_seg = 1;
	dev.cfg.max_write_zeroes_sectors = 8;
	dev.cfg.max_write_zeroes_seg = 0;
	CHECK_EQ(blk(all, &in), 0);
	CHECK(!vd.failed);
	CHECK_EQ(in.seg_bytes, 512);
	CHECK_EQ(in.segs, 1);
	CHECK_EQ(in.blk_size, 512);
	CHECK_EQ(in.nr_queues, 1);
	CHECK(!in.discard && !in.write_zeroes);
	CHECK(unit_log_find("seg_max 0"));
	CHECK(unit_log_find("blk_size 3000"));
	CHECK(unit_log_find("num_queues 0"));
	CHECK(unit_log_find("discard offered"));

	unit_name("blk: many queues capped, discard limit kept aligned");
	reset(&modern, all);
	dev.cfg.size_max = 4096;
	dev.cfg.seg_max = 4;
	dev.cfg.blk_size = 4096;
	dev.cfg.num_queues = 65535;
	dev.cfg.max_discard_sectors = 100;
	dev.cfg.max_discard_seg = 1;
	dev.cfg.discard_sector_alignment = 8;
	dev.cfg.max_write_zeroes_sectors = 8;
	dev.cfg.max_write_zeroes_seg = 1;
	CHECK_EQ(blk(all, &in), 0);
	CHECK_EQ(in.nr_queues, BLK_MAX_QUEUES);
	CHECK_EQ(in.segs, 4);
	CHECK_EQ(in.blk_size, 4096);
	CHECK_EQ(in.max_discard, 96);
	CHECK_EQ(in.discard_align, 8);

	unit_name("blk: discard alignment past the disk: not used");
	reset(&modern, BIT(VIRTIO_BLK_F_DISCARD));
	dev.cfg.max_discard_sectors = 100;
	dev.cfg.max_discard_seg = 1;
	dev.cfg.discard_sector_alignment = 1u << 30;
	CHECK_EQ(blk(BIT(VIRTIO_BLK_F_DISCARD), &in), 0);
	CHECK(!in.discard);

	unit_name("blk: fields of features not accepted are not read");
	reset(&modern, 0);
	dev.cfg.num_queues = 2;
	dev.cfg.seg_max = 0;
	CHECK_EQ(blk(0, &in), 0);
	CHECK_EQ(in.nr_queues, 1);
	CHECK_EQ(in.segs, 32);
	CHECK(!in.discard && !in.flush);
}

int main(void)
{
	generation();
	blk_values();
	return unit_done();
}
