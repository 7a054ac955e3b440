// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk (virtio 1.2, 5.2). A request is one chain: the 16-byte
 * header (type, sector) the device reads, the data (page by page, each
 * piece by its own dma_addr: under Xen PV neighbouring pages need not be
 * neighbouring machine frames), and the status byte the device writes.
 * One queue, or as many as the device offers up to BLK_MAX_QUEUES (MQ),
 * requests spread over them in turn. Each queue has BLK_SLOTS request
 * slots (header and status); a request is submitted (submit), waited for
 * (blk_wait, the one place) and finished (finish): the synchronous calls
 * do the three in a row under the disk's lock, one request at a time;
 * virtio_blk_submit and virtio_blk_reap keep several in flight and reap
 * whichever the device returns first. A synchronous call while
 * asynchronous requests are in flight is refused with a line.
 *
 * The configuration is read and checked in virtio_blk_config.c (an empty
 * or absurd disk FAILED with a line, a nonsense hint a line and a safe
 * default). A request's chain never exceeds
 * seg_max data pieces nor what a queue holds directly; the queues'
 * indirect tables hold the longest, so with INDIRECT_DESC every request
 * of data goes through one (a slot per table: BLK_SLOTS tables). A device that sets
 * DEVICE_NEEDS_RESET is reset and started again (the request in flight
 * fails).
 */
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_blk.h>
#include "virtio_blk_config.h"

#define BLK_MAX_DEVICES		4
#define BLK_QUEUE_SIZE		64
/* Request slots per queue: one bit each in free_slots. */
#define BLK_SLOTS		64
/* QEMU answers within milliseconds; a silent device is broken. */
#define BLK_TIMEOUT_NS		(5000 * NSEC_PER_MSEC)

#define BLK_FEATURES	((1ULL << VIRTIO_BLK_F_SIZE_MAX) | (1ULL << VIRTIO_BLK_F_SEG_MAX) | \
			 (1ULL << VIRTIO_BLK_F_RO) | (1ULL << VIRTIO_BLK_F_BLK_SIZE) | \
			 (1ULL << VIRTIO_BLK_F_FLUSH) | (1ULL << VIRTIO_BLK_F_MQ) | \
			 (1ULL << VIRTIO_BLK_F_DISCARD) | \
			 (1ULL << VIRTIO_BLK_F_WRITE_ZEROES))

/* What the device reads and writes besides the data: inside one page. */
struct blk_req {
	struct virtio_blk_outhdr hdr;
	struct virtio_blk_discard_write_zeroes range;
	char id[VIRTIO_BLK_ID_BYTES];
	u8 status;
	void *cookie;		/* the asynchronous caller's, never the device's */
} __aligned(64);

struct blk_queue {
	struct virtqueue vq;
	struct blk_req req[BLK_SLOTS];
	u64 free_slots;		/* bit i: req[i] is free */
	unsigned int in_flight;
	u64 requests;
};

struct blk_dev {
	struct virtio_device *vd;
	struct virtio_blk_info info;
	unsigned int next_q, reap_q;
	unsigned int in_flight;	/* submitted and not yet finished, all queues */
	spinlock_t lock;
	struct blk_queue q[BLK_MAX_QUEUES];
};

_Static_assert(BLK_SLOTS <= VQ_INDIRECT_TABLES, "a table for every request slot");
_Static_assert(BLK_MAX_SEGS + 2 <= VQ_INDIRECT_LIMIT, "the longest request fits a table");

static struct blk_dev blks[BLK_MAX_DEVICES];
static unsigned int nr_blks;

/* Negotiate, read the configuration, set up the queues, DRIVER_OK. */
static int start(struct blk_dev *b)
{
	struct virtio_device *vd = b->vd;
	unsigned int q, num = VQ_MAX_SIZE;

	if (virtio_start(vd, BLK_FEATURES) || virtio_blk_read_config(vd, &b->info))
		return -1;
	b->in_flight = 0;
	/* Header, data pieces, status: each request fits one indirect table. */
	vd->max_chain = b->info.segs + 2;
	for (q = 0; q < b->info.nr_queues; q++) {
		b->q[q].free_slots = ~0ULL;
		b->q[q].in_flight = 0;
		if (virtio_setup_vq(vd, q, &b->q[q].vq, BLK_QUEUE_SIZE))
			return -1;
		num = MIN(num, b->q[q].vq.num);
	}
	/* A direct chain: header, data pieces, status. */
	if (num < 3) {
		virtio_fail(vd, "queues of %u entries cannot hold a request", num);
		return -1;
	}
	b->info.segs = MIN(b->info.segs, num - 2);
	b->info.max_sectors = b->info.segs * (b->info.seg_bytes / BLK_SECTOR_SIZE);
	snprintf(vd->detail, sizeof(vd->detail), "capacity=%llu",
		 (unsigned long long)b->info.capacity);
	virtio_ready(vd);
	b->info.running = true;
	return 0;
}

int virtio_blk_probe(struct virtio_device *vd)
{
	struct blk_dev *b = &blks[nr_blks];

	if (nr_blks == BLK_MAX_DEVICES) {
		pr_info("virtio: blk %s: more than %u devices; ignored\n", vd->name,
			BLK_MAX_DEVICES);
		return -1;
	}
	b->vd = vd;
	b->info.name = vd->name;
	b->info.legacy = vd->legacy;
	nr_blks++;
	if (!start(b))
		return 0;
	b->info.refused = !b->info.empty;
	return -1;
}

/* From a wait, under the disk's lock: what was in flight is lost. */
int virtio_blk_restart(struct virtio_device *vd)
{
	unsigned int i;

	for (i = 0; i < nr_blks; i++)
		if (blks[i].vd == vd) {
			blks[i].info.running = false;
			blks[i].info.restarts++;
			return start(&blks[i]);
		}
	return -1;
}

unsigned int virtio_blk_count(void)
{
	return nr_blks;
}

const struct virtio_blk_info *virtio_blk_info(unsigned int i)
{
	if (i >= nr_blks)
		return NULL;
	blks[i].info.running = !blks[i].vd->failed && blks[i].info.running;
	return &blks[i].info;
}

struct virtio_device *virtio_blk_device(unsigned int i)
{
	return i < nr_blks ? blks[i].vd : NULL;
}

u64 virtio_blk_queue_requests(unsigned int i, unsigned int q)
{
	return i < nr_blks && q < BLK_MAX_QUEUES ? blks[i].q[q].requests : 0;
}

u64 virtio_blk_queue_indirect(unsigned int i, unsigned int q)
{
	return i < nr_blks && q < BLK_MAX_QUEUES ? blks[i].q[q].vq.nr_indirect : 0;
}

/* A free slot on the next queue that has one (*@bqp), or NULL. */
static struct blk_req *get_slot(struct blk_dev *b, struct blk_queue **bqp)
{
	struct blk_queue *bq;
	unsigned int k, slot;

	for (k = 0; k < b->info.nr_queues; k++) {
		bq = &b->q[b->next_q++ % b->info.nr_queues];
		if (bq->free_slots) {
			slot = __builtin_ctzll(bq->free_slots);
			bq->free_slots &= ~(1ULL << slot);
			*bqp = bq;
			return &bq->req[slot];
		}
	}
	return NULL;
}

static void put_slot(struct blk_queue *bq, struct blk_req *r)
{
	bq->free_slots |= 1ULL << (r - bq->req);
}

static unsigned int queue_index(const struct blk_dev *b, const struct blk_queue *bq)
{
	return bq - b->q;
}

/*
 * Send @bufs[1..n-2] (data) in slot @r of @bq framed by the header and
 * status (filled in here), without waiting: 0; 1 when the ring has no
 * room (the slot is given back); -1 when the device failed.
 */
static int submit(struct blk_dev *b, struct blk_queue *bq, struct blk_req *r, u32 type,
		  u64 sector, struct vq_buf *bufs, unsigned int n)
{
	r->hdr = (struct virtio_blk_outhdr){ .type = type, .sector = sector };
	r->status = 0xff;
	bufs[0] = (struct vq_buf){ dma_addr(&r->hdr), sizeof(r->hdr), false };
	bufs[n - 1] = (struct vq_buf){ dma_addr(&r->status), 1, true };
	if (virtio_add_and_kick(b->vd, queue_index(b, bq), &bq->vq, bufs, n, r)) {
		put_slot(bq, r);
		return b->vd->failed ? -1 : 1;
	}
	bq->in_flight++;
	b->in_flight++;
	return 0;
}

/* The one place a request is waited for: the next slot @bq returns, or NULL. */
static struct blk_req *blk_wait(struct blk_dev *b, struct blk_queue *bq)
{
	u32 len;

	return virtio_wait_used(b->vd, &bq->vq, &len, BLK_TIMEOUT_NS);
}

static const char *type_name(u32 type)
{
	switch (type) {
	case VIRTIO_BLK_T_IN:		return "read";
	case VIRTIO_BLK_T_OUT:		return "write";
	case VIRTIO_BLK_T_FLUSH:	return "flush";
	case VIRTIO_BLK_T_GET_ID:	return "get_id";
	case VIRTIO_BLK_T_DISCARD:	return "discard";
	default:			return "write_zeroes";
	}
}

/* Slot @r came back from @bq: free it; 0 when the device said OK. */
static int finish(struct blk_dev *b, struct blk_queue *bq, struct blk_req *r)
{
	u8 status = READ_ONCE(r->status);

	bq->in_flight--;
	b->in_flight--;
	bq->requests++;
	put_slot(bq, r);
	if (status == VIRTIO_BLK_S_OK)
		return 0;
	pr_err("virtio: blk %s: %s at sector %llu: status %u (%s)\n", b->vd->name,
	       type_name(r->hdr.type), (unsigned long long)r->hdr.sector, status,
	       status == VIRTIO_BLK_S_IOERR ? "I/O error" :
	       status == VIRTIO_BLK_S_UNSUPP ? "unsupported" : "no status");
	return -1;
}

/* A synchronous request in slot @r of @bq: submit, wait, finish. */
static int request(struct blk_dev *b, struct blk_queue *bq, struct blk_req *r, u32 type,
		   u64 sector, struct vq_buf *bufs, unsigned int n)
{
	if (submit(b, bq, r, type, sector, bufs, n))
		return -1;
	if (blk_wait(b, bq) != r)
		return -1;
	return finish(b, bq, r);
}

/* A synchronous request in a fresh slot (the disk is idle: there is one). */
static int sync_request(struct blk_dev *b, u32 type, u64 sector, struct vq_buf *bufs,
			unsigned int n)
{
	struct blk_queue *bq;
	struct blk_req *r = get_slot(b, &bq);

	return r ? request(b, bq, r, type, sector, bufs, n) : -1;
}

/*
 * Pieces of @buf (up to @bytes) into @segs, each inside one page and at
 * most seg_bytes, as many as a request takes: the bytes covered.
 */
static u32 map_data(const struct blk_dev *b, u8 *buf, u32 bytes, bool device_writes,
		    struct vq_buf *segs, unsigned int *n)
{
	u32 done = 0, len;

	for (*n = 0; done < bytes && *n < b->info.segs; (*n)++) {
		len = PAGE_SIZE - ((uintptr_t)(buf + done) & (PAGE_SIZE - 1));
		len = MIN(MIN(len, b->info.seg_bytes), bytes - done);
		segs[*n] = (struct vq_buf){ dma_addr(buf + done), len, device_writes };
		done += len;
	}
	return done;
}

/* Disk @i if it runs, else NULL with a line naming @what. */
static struct blk_dev *running(unsigned int i, const char *what)
{
	if (i >= nr_blks) {
		pr_err("virtio: blk: %s on disk %u of %u\n", what, i, nr_blks);
		return NULL;
	}
	if (!virtio_blk_info(i)->running) {
		pr_err("virtio: blk %s: %s on a failed device\n", blks[i].vd->name, what);
		return NULL;
	}
	return &blks[i];
}

/* Take @b for a synchronous @what: -1 while asynchronous requests are in flight. */
static int lock_idle(struct blk_dev *b, const char *what)
{
	unsigned int busy;

	spin_lock(&b->lock);
	busy = b->in_flight;
	if (!busy)
		return 0;
	spin_unlock(&b->lock);
	pr_err("virtio: blk %s: %s while %u asynchronous requests are in flight\n",
	       b->vd->name, what, busy);
	return -1;
}

static bool in_range(const struct blk_dev *b, const char *what, u64 sector, u32 count)
{
	if (count && count <= b->info.capacity && sector <= b->info.capacity - count)
		return true;
	pr_err("virtio: blk %s: %s of %u sectors at %llu: outside its %llu sectors\n",
	       b->vd->name, what, count, (unsigned long long)sector,
	       (unsigned long long)b->info.capacity);
	return false;
}

/* Disk @i if a read or write of @count sectors at @sector into @buf may go. */
static struct blk_dev *rw_target(unsigned int i, u32 type, u64 sector, const u8 *buf,
				 u32 count)
{
	const char *what = type_name(type);
	struct blk_dev *b = running(i, what);

	if (!b || !in_range(b, what, sector, count))
		return NULL;
	if ((uintptr_t)buf % BLK_SECTOR_SIZE) {
		pr_err("virtio: blk %s: %s buffer %p not 512-byte aligned\n", b->vd->name,
		       what, buf);
		return NULL;
	}
	if (type == VIRTIO_BLK_T_OUT && b->info.read_only) {
		pr_err("virtio: blk %s: write to a read-only disk\n", b->vd->name);
		return NULL;
	}
	return b;
}

static int rw(unsigned int i, u32 type, u64 sector, u8 *buf, u32 count)
{
	struct blk_dev *b = rw_target(i, type, sector, buf, count);
	struct vq_buf bufs[BLK_MAX_SEGS + 2];
	unsigned int n;
	u32 bytes;
	int rc = 0;

	if (!b || lock_idle(b, type_name(type)))
		return -1;
	while (count && !rc) {
		bytes = map_data(b, buf, MIN(count, b->info.max_sectors) * BLK_SECTOR_SIZE,
				 type == VIRTIO_BLK_T_IN, bufs + 1, &n);
		rc = sync_request(b, type, sector, bufs, n + 2);
		sector += bytes / BLK_SECTOR_SIZE;
		count -= bytes / BLK_SECTOR_SIZE;
		buf += bytes;
	}
	spin_unlock(&b->lock);
	return rc;
}

int virtio_blk_read(unsigned int i, u64 sector, void *buf, u32 count)
{
	return rw(i, VIRTIO_BLK_T_IN, sector, buf, count);
}

int virtio_blk_write(unsigned int i, u64 sector, const void *buf, u32 count)
{
	return rw(i, VIRTIO_BLK_T_OUT, sector, (u8 *)buf, count);
}

int virtio_blk_submit(unsigned int i, bool write, u64 sector, void *buf, u32 count,
		      void *cookie)
{
	u32 type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
	struct blk_dev *b = rw_target(i, type, sector, buf, count);
	struct vq_buf bufs[BLK_MAX_SEGS + 2];
	struct blk_queue *bq;
	struct blk_req *r;
	unsigned int n;
	int rc;

	if (!b)
		return -1;
	/* One request: its pieces (split at pages too) must cover it all. */
	if (!cookie || count > b->info.max_sectors ||
	    map_data(b, buf, count * BLK_SECTOR_SIZE, !write, bufs + 1, &n) !=
	    count * BLK_SECTOR_SIZE) {
		pr_err("virtio: blk %s: asynchronous %s of %u sectors from %p: not one request "
		       "(at most %u sectors, %u pieces), or no cookie\n", b->vd->name,
		       type_name(type), count, buf, b->info.max_sectors, b->info.segs);
		return -1;
	}
	spin_lock(&b->lock);
	r = get_slot(b, &bq);
	if (r)
		r->cookie = cookie;
	rc = r ? submit(b, bq, r, type, sector, bufs, n + 2) : 1;
	spin_unlock(&b->lock);
	return rc;
}

void *virtio_blk_reap(unsigned int i, int *status)
{
	struct blk_dev *b = running(i, "reap");
	struct blk_queue *bq = NULL;
	struct blk_req *r = NULL;
	unsigned int k;

	*status = -1;
	if (!b)
		return NULL;
	spin_lock(&b->lock);
	for (k = 0; k < b->info.nr_queues && !bq; k++) {
		bq = &b->q[b->reap_q++ % b->info.nr_queues];
		if (!bq->in_flight)
			bq = NULL;
	}
	if (bq)
		r = blk_wait(b, bq);
	if (r)
		*status = finish(b, bq, r);
	spin_unlock(&b->lock);
	return r ? r->cookie : NULL;
}

unsigned int virtio_blk_in_flight(unsigned int i)
{
	return i < nr_blks ? blks[i].in_flight : 0;
}

/* A request without data: header and status only. */
static int bare_request(struct blk_dev *b, u32 type)
{
	struct vq_buf bufs[2];
	int rc;

	if (lock_idle(b, type_name(type)))
		return -1;
	rc = sync_request(b, type, 0, bufs, 2);
	spin_unlock(&b->lock);
	return rc;
}

int virtio_blk_flush(unsigned int i)
{
	struct blk_dev *b = running(i, "flush");

	if (!b)
		return -1;
	return b->info.flush ? bare_request(b, VIRTIO_BLK_T_FLUSH) : 0;
}

int virtio_blk_get_id(unsigned int i, char id[VIRTIO_BLK_ID_BYTES + 1])
{
	struct blk_dev *b = running(i, "get_id");
	struct vq_buf bufs[3];
	struct blk_queue *bq;
	struct blk_req *r;
	int rc = -1;

	if (!b || lock_idle(b, "get_id"))
		return -1;
	r = get_slot(b, &bq);
	if (r) {
		memset(r->id, 0, sizeof(r->id));
		bufs[1] = (struct vq_buf){ dma_addr(r->id), sizeof(r->id), true };
		rc = request(b, bq, r, VIRTIO_BLK_T_GET_ID, 0, bufs, 3);
		memcpy(id, r->id, VIRTIO_BLK_ID_BYTES);
		id[VIRTIO_BLK_ID_BYTES] = 0;
	}
	spin_unlock(&b->lock);
	return rc;
}

int virtio_blk_send_headless(unsigned int i)
{
	struct blk_dev *b = running(i, "headless request");
	struct blk_queue *bq;
	struct blk_req *r;
	struct vq_buf buf;
	int rc;

	if (!b || lock_idle(b, "headless request"))
		return -1;
	bq = &b->q[0];
	r = &bq->req[0];
	r->status = 0xff;
	buf = (struct vq_buf){ dma_addr(&r->status), 1, true };
	rc = virtio_add_and_kick(b->vd, 0, &bq->vq, &buf, 1, r) || blk_wait(b, bq) != r ? -1 : 0;
	spin_unlock(&b->lock);
	return rc;
}

/* Discard or write zeroes, one range per request, @max sectors each. */
static int ranges(unsigned int i, u32 type, u64 sector, u32 count)
{
	const char *what = type_name(type);
	struct blk_dev *b = running(i, what);
	struct vq_buf bufs[3];
	struct blk_queue *bq;
	struct blk_req *r;
	u32 max, chunk;
	int rc = 0;

	if (!b || !in_range(b, what, sector, count))
		return -1;
	if (!(type == VIRTIO_BLK_T_DISCARD ? b->info.discard : b->info.write_zeroes)) {
		pr_err("virtio: blk %s: %s not offered\n", b->vd->name, what);
		return -1;
	}
	max = type == VIRTIO_BLK_T_DISCARD ? b->info.max_discard : b->info.max_write_zeroes;
	if (type == VIRTIO_BLK_T_DISCARD && (sector % b->info.discard_align ||
					     count % b->info.discard_align)) {
		pr_err("virtio: blk %s: discard of %u sectors at %llu: not aligned to %u\n",
		       b->vd->name, count, (unsigned long long)sector, b->info.discard_align);
		return -1;
	}
	if (lock_idle(b, what))
		return -1;
	while (count && !rc) {
		chunk = MIN(count, max);
		r = get_slot(b, &bq);
		if (!r) {
			rc = -1;
			break;
		}
		r->range = (struct virtio_blk_discard_write_zeroes){
			.sector = sector, .num_sectors = chunk };
		bufs[1] = (struct vq_buf){ dma_addr(&r->range), sizeof(r->range), false };
		rc = request(b, bq, r, type, 0, bufs, 3);
		sector += chunk;
		count -= chunk;
	}
	spin_unlock(&b->lock);
	return rc;
}

int virtio_blk_discard(unsigned int i, u64 sector, u32 count)
{
	return ranges(i, VIRTIO_BLK_T_DISCARD, sector, count);
}

int virtio_blk_write_zeroes(unsigned int i, u64 sector, u32 count)
{
	return ranges(i, VIRTIO_BLK_T_WRITE_ZEROES, sector, count);
}
