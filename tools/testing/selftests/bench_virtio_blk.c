// SPDX-License-Identifier: GPL-2.0
/*
 * bench=virtio-blk: reads from the disk whose serial is "bench" (else the
 * first running one; only reads, so any disk will do), through the
 * driver's asynchronous path (virtio_blk_submit/reap) with up to QD
 * requests in flight: 4 KiB at random 4 KiB-aligned offsets (xorshift64,
 * fixed seed) at QD 1 and 32, then 128 KiB sequential (wrapping at the
 * end of the disk). Each runs for BENCH_VIRTIO_NS of guest time (or
 * BENCH_MAX_IOS) with interrupts on, and prints one line:
 *
 *   bench: virtio-blk randread-4k qd=32 bytes=4096 ios=N errors=0
 *	 max_in_flight=32 ns=T ios/s=X kicks/io=K.KK irqs/io=I.II
 *
 * (one line on the console; kicks and interrupts are the device's, all
 * queues). max_in_flight is what the rings took: a 128 KiB request
 * without an indirect table takes 34 descriptors of a 64-entry queue.
 * Without a running disk it prints a skip line.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <proteus/bench.h>
#include <proteus/bench_virtio.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_blk.h>

#define BENCH_SERIAL	"bench"
#define BENCH_MAX_IOS	50000
#define BENCH_MAX_QD	32
/* Buffers: BENCH_MAX_QD x 4 KiB or 4 x 128 KiB, one block of 2^7 pages. */
#define BENCH_BUF_ORDER	7
#define BENCH_SEED	0x2545f4914f6cdd1dULL

struct io_pattern {
	const char *name;
	u32 sectors;
	unsigned int qd;
	bool random;
};

static const struct io_pattern patterns[] = {
	{ "randread-4k", 8, 1, true },
	{ "randread-4k", 8, BENCH_MAX_QD, true },
	{ "seqread-128k", 256, 4, false },
};

struct io_run {
	unsigned int disk;
	u64 capacity, next, rng;
	u32 sectors;
	u8 *free[BENCH_MAX_QD];
	unsigned int nr_free;
	u64 ios, errors;
	unsigned int in_flight, max_in_flight;
};

static u64 xorshift64(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static u64 next_sector(struct io_run *r, bool random)
{
	u64 chunks = r->capacity / r->sectors, s;

	if (random)
		return xorshift64(&r->rng) % chunks * r->sectors;
	s = r->next;
	r->next = (s / r->sectors + 1) % chunks * r->sectors;
	return s;
}

/* Submit while there is a free buffer and room: false when the disk failed. */
static bool fill(struct io_run *r, const struct io_pattern *p, u64 end)
{
	u8 *buf;
	int rc;

	while (r->nr_free && r->ios + r->in_flight < BENCH_MAX_IOS && sched_clock() < end) {
		buf = r->free[r->nr_free - 1];
		rc = virtio_blk_submit(r->disk, false, next_sector(r, p->random), buf,
				       r->sectors, buf);
		if (rc < 0)
			return false;
		if (rc)
			break;
		r->nr_free--;
		r->in_flight++;
		r->max_in_flight = MAX(r->max_in_flight, r->in_flight);
	}
	return true;
}

static void measure(unsigned int disk, struct virtio_device *vd, const struct io_pattern *p,
		    u8 *bufs, u32 max_sectors)
{
	struct io_run r = { .disk = disk, .rng = BENCH_SEED,
			    .capacity = virtio_blk_info(disk)->capacity,
			    .sectors = MIN(p->sectors, max_sectors) };
	struct bench_virtio_mark m;
	char line[128];
	u64 end;
	u8 *buf;
	int st;

	for (r.nr_free = 0; r.nr_free < p->qd; r.nr_free++)
		r.free[r.nr_free] = bufs + r.nr_free * r.sectors * BLK_SECTOR_SIZE;
	bench_virtio_start(vd, &m);
	end = m.ns + BENCH_VIRTIO_NS;
	while (fill(&r, p, end) && r.in_flight) {
		buf = virtio_blk_reap(disk, &st);
		if (!buf)
			break;
		r.free[r.nr_free++] = buf;
		r.in_flight--;
		r.ios++;
		r.errors += st != 0;
	}
	if (r.in_flight) {
		printk("bench: virtio-blk %s qd=%u: the disk failed with %u requests in flight\n",
		       p->name, p->qd, r.in_flight);
		return;
	}
	snprintf(line, sizeof(line),
		 "bench: virtio-blk %s qd=%u bytes=%u ios=%llu errors=%llu max_in_flight=%u",
		 p->name, p->qd, r.sectors * BLK_SECTOR_SIZE, (unsigned long long)r.ios,
		 (unsigned long long)r.errors, r.max_in_flight);
	bench_virtio_report(vd, &m, r.ios, "io", line);
}

/* The disk to read: the one named BENCH_SERIAL, else the first running; -1: none. */
static int pick_disk(void)
{
	char id[VIRTIO_BLK_ID_BYTES + 1];
	int first = -1;
	unsigned int i;

	for (i = 0; i < virtio_blk_count(); i++) {
		if (!virtio_blk_info(i)->running)
			continue;
		if (!virtio_blk_get_id(i, id) && !strcmp(id, BENCH_SERIAL))
			return i;
		if (first < 0)
			first = i;
	}
	return first;
}

static void bench_virtio_blk(void)
{
	int disk = pick_disk();
	const struct virtio_blk_info *in;
	struct virtio_device *vd;
	u64 flags, pa;
	unsigned int k;

	if (disk < 0) {
		printk("bench: virtio-blk skipped: no running virtio-blk disk\n");
		return;
	}
	in = virtio_blk_info(disk);
	vd = virtio_blk_device(disk);
	pa = alloc_pages(BENCH_BUF_ORDER);
	if (!pa) {
		printk("bench: virtio-blk skipped: no %lu KiB for buffers\n",
		       (PAGE_SIZE << BENCH_BUF_ORDER) / 1024);
		return;
	}
	printk("bench: virtio-blk disk=%s sectors=%llu queues=%u ring=%s irq=%s backend=%s\n",
	       in->name, (unsigned long long)in->capacity, in->nr_queues,
	       virtio_ring_kind(vd), vd->irq_name, pv_backend->name);
	flags = irq_save();
	irq_enable();
	for (k = 0; k < ARRAY_SIZE(patterns); k++)
		measure(disk, vd, &patterns[k], phys_to_virt(pa), in->max_sectors);
	restore_flags(flags);
	free_pages(pa, BENCH_BUF_ORDER);
	printk("bench: virtio-blk done\n");
}
BENCHMARK("virtio-blk", bench_virtio_blk);
