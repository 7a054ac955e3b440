// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/virtio_ring_packed.c through the virtqueue API, against
 * a simulated device that follows 2.8 as a device would (bus address ==
 * host pointer here): it keeps its own wrap counters, takes descriptors
 * whose AVAIL/USED flags say available in its lap, fills the writable
 * buffers and writes one used descriptor per chain in an order the test
 * picks. Round trips, many laps of the ring (a size that is not a power
 * of two too), event suppression both ways, then a hostile device: an id
 * out of range, an id returned twice, a length beyond the chain, a
 * descriptor flipped to used while none is in flight, device event
 * structures that are not valid; each breaks the queue with a message
 * naming the fault and refuses later use. Indirect tables (2.8.19): a
 * chain up to the tables' size takes one ring descriptor, the device
 * reads the table (inside one page, WRITE its only flag); one longer
 * goes direct.
 */
#include "unit.h"

#include <proteus/virtqueue.h>

#define F_AVAIL		(1u << VRING_PACKED_DESC_F_AVAIL)
#define F_USED		(1u << VRING_PACKED_DESC_F_USED)
#define EV_WRAP		(1u << VRING_PACKED_EVENT_F_WRAP_CTR)

struct pending {
	u16 id, ndesc;
	u32 wrote;
};

struct psim {
	struct virtqueue vq;
	struct vring_packed_desc ring[VQ_MAX_SIZE] __attribute__((aligned(16)));
	struct vring_packed_desc_event drv, dev;
	u16 avail_pos, used_pos;	/* the device's positions and counters */
	bool avail_wrap, used_wrap;
	struct pending pending[VQ_MAX_SIZE];
	unsigned int nr_pending;
	u8 tables[VQ_INDIRECT_PAGES][VQ_INDIRECT_PAGE] __attribute__((aligned(VQ_INDIRECT_PAGE)));
};

/* What the device makes of a bad indirect descriptor or table. */
#define TABLE_BAD	0xdeadu

static struct psim *psim_new(u16 num)
{
	/* Page-aligned: the table pages are pages, as the guest's are. */
	size_t size = (sizeof(struct psim) + VQ_INDIRECT_PAGE - 1) & ~(size_t)(VQ_INDIRECT_PAGE - 1);
	struct psim *s = aligned_alloc(VQ_INDIRECT_PAGE, size);

	memset(s, 0, size);

	if (vq_init_packed(&s->vq, "psim vq0", num, s->ring, &s->drv, &s->dev)) {
		free(s);
		return NULL;
	}
	s->avail_wrap = s->used_wrap = true;
	return s;
}

static void advance(struct psim *s, u16 *pos, bool *wrap, u16 n)
{
	*pos += n;
	if (*pos >= s->vq.num) {
		*pos -= s->vq.num;
		*wrap = !*wrap;
	}
}

static bool is_avail(const struct psim *s, u16 flags)
{
	return !!(flags & F_AVAIL) == s->avail_wrap && !!(flags & F_USED) != s->avail_wrap;
}

/*
 * The chain in the indirect table @d points at (2.8.19): INDIRECT alone
 * on @d, the table inside one page, WRITE the only flag in it. Bytes
 * written, or TABLE_BAD.
 */
static u32 psim_walk_table(const struct vring_packed_desc *d)
{
	const struct vring_packed_desc *t = (void *)(uintptr_t)d->addr;
	u32 i, n = d->len / sizeof(*t), wrote = 0;

	if ((d->flags & (VRING_DESC_F_NEXT | VRING_DESC_F_WRITE)) || !n ||
	    d->len % sizeof(*t) ||
	    d->addr / VQ_INDIRECT_PAGE != (d->addr + d->len - 1) / VQ_INDIRECT_PAGE)
		return TABLE_BAD;
	for (i = 0; i < n; i++) {
		if (t[i].flags & ~VRING_DESC_F_WRITE)
			return TABLE_BAD;
		if (t[i].flags & VRING_DESC_F_WRITE) {
			memset((void *)(uintptr_t)t[i].addr, 0xa5, t[i].len);
			wrote += t[i].len;
		}
	}
	return wrote;
}

/* The device takes every chain made available in its lap. */
static void psim_take(struct psim *s)
{
	while (is_avail(s, s->ring[s->avail_pos].flags)) {
		u16 pos = s->avail_pos, n = 0;
		struct vring_packed_desc *d;
		u32 wrote = 0;

		for (;;) {
			d = &s->ring[pos];
			if (d->flags & VRING_DESC_F_INDIRECT) {
				wrote = psim_walk_table(d);
				n = 1;
				break;
			}
			if (d->flags & VRING_DESC_F_WRITE) {
				memset((void *)(uintptr_t)d->addr, 0xa5, d->len);
				wrote += d->len;
			}
			n++;
			if (!(d->flags & VRING_DESC_F_NEXT))
				break;
			pos = (pos + 1) % s->vq.num;
		}
		s->pending[s->nr_pending++] = (struct pending){ d->id, n, wrote };
		advance(s, &s->avail_pos, &s->avail_wrap, n);
	}
}

/* One used descriptor: @id, @len, for a chain of @ndesc. */
static void psim_put_used(struct psim *s, u16 id, u32 len, u16 ndesc)
{
	struct vring_packed_desc *d = &s->ring[s->used_pos];

	d->id = id;
	d->len = len;
	d->flags = s->used_wrap ? F_AVAIL | F_USED : 0;
	advance(s, &s->used_pos, &s->used_wrap, ndesc);
}

static void psim_return(struct psim *s, unsigned int i)
{
	psim_put_used(s, s->pending[i].id, s->pending[i].wrote, s->pending[i].ndesc);
}

static void test_init(void)
{
	u8 mem[64] __attribute__((aligned(16)));
	struct virtqueue vq;
	struct psim *s;

	unit_name("packed init");
	unit_log_reset();
	CHECK(!psim_new(0));
	CHECK(!psim_new(VQ_MAX_SIZE + 1));
	CHECK_EQ(unit_log_matches("not from 1 to 256"), 2);
	CHECK_EQ(vq_init_packed(&vq, "x", 2, mem + 8, mem + 40, mem + 44), -1);
	CHECK(unit_log_find("packed ring areas misaligned"));
	s = psim_new(5);
	CHECK(s && s->vq.packed && s->vq.num_free == 5);
	CHECK_EQ(vq_packed_bytes(5), 80);
	free(s);
}

static void test_round_trip(void)
{
	struct psim *s = psim_new(4);
	u8 bufs[3][32];
	int tokens[3];
	unsigned int i;

	unit_name("packed round trip");
	memset(bufs, 0, sizeof(bufs));
	for (i = 0; i < 3; i++) {
		struct vq_buf b = { (uintptr_t)bufs[i], sizeof(bufs[i]), true };

		CHECK_EQ(vq_add(&s->vq, &b, 1, &tokens[i]), 0);
	}
	CHECK_EQ(vq_add(&s->vq, (struct vq_buf[2]){ { 1, 1, 0 }, { 1, 1, 0 } }, 2,
			&tokens[0]), -1);
	CHECK(!vq_get_used(&s->vq, &(u32){ 0 }));
	psim_take(s);
	CHECK_EQ(s->nr_pending, 3);
	for (i = 3; i-- > 0;)
		psim_return(s, i);
	for (i = 3; i-- > 0;) {
		u32 len = 0;

		CHECK(vq_get_used(&s->vq, &len) == &tokens[i]);
		CHECK_EQ(len, 32);
		CHECK_EQ(bufs[i][31], 0xa5);
	}
	CHECK(!vq_get_used(&s->vq, &(u32){ 0 }));
	CHECK_EQ(s->vq.num_free, 4);
	CHECK(!s->vq.broken);
	free(s);
}

/*
 * Many laps of a ring of 5: each round fills it with chains of 1 to 3
 * buffers, the device returns them in reverse order; every token and
 * length must come back, and both wrap counters must flip every lap.
 */
static void test_wrap(void)
{
	struct psim *s = psim_new(5);
	u8 buf[3][4];
	int tokens[5];
	unsigned int round, i, laps = 0;
	bool ok = true, last_wrap = true;

	unit_name("packed wrap");
	for (round = 0; round < 20000 && ok; round++) {
		unsigned int added = 0;

		s->nr_pending = 0;
		for (;;) {
			unsigned int n = 1 + (round + added) % 3;
			struct vq_buf b[3] = { { (uintptr_t)buf[0], 4, false },
					       { (uintptr_t)buf[1], 4, true },
					       { (uintptr_t)buf[2], 4, true } };

			if (vq_add(&s->vq, b, n, &tokens[added]))
				break;
			added++;
		}
		psim_take(s);
		ok = s->nr_pending == added && added > 0;
		for (i = added; i-- > 0;)
			psim_return(s, i);
		for (i = added; ok && i-- > 0;) {
			u32 len = 0, want = 4 * (s->pending[i].ndesc - 1);

			ok = vq_get_used(&s->vq, &len) == &tokens[i] && len == want;
		}
		ok = ok && s->vq.num_free == 5 && !vq_get_used(&s->vq, &(u32){ 0 });
		if (s->vq.used_wrap != last_wrap) {
			laps++;
			last_wrap = s->vq.used_wrap;
		}
	}
	CHECK(ok);
	CHECK(laps > 10000);
	CHECK_EQ(s->vq.avail_wrap, s->avail_wrap);
	CHECK_EQ(s->vq.used_wrap, s->used_wrap);
	CHECK(!s->vq.broken);
	free(s);
}

/* Without EVENT_IDX: DISABLE means no kick, ENABLE a kick; our event stays ENABLE. */
static void test_event_flags(void)
{
	struct psim *s = psim_new(8);
	u8 buf[8];
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t;
	u32 got;

	unit_name("packed event flags");
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(vq_kick_needed(&s->vq));
	s->dev.flags = VRING_PACKED_EVENT_FLAG_DISABLE;
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(!vq_kick_needed(&s->vq));
	s->dev.flags = VRING_PACKED_EVENT_FLAG_ENABLE;
	CHECK(vq_kick_needed(&s->vq));
	psim_take(s);
	psim_return(s, 0);
	CHECK(vq_get_used(&s->vq, &got) == &t);
	CHECK_EQ(s->drv.flags, VRING_PACKED_EVENT_FLAG_ENABLE);
	CHECK(!s->vq.broken);
	free(s);
}

/*
 * EVENT_IDX (2.8.10): a kick when the descriptors published since the
 * last look pass the device's offset in its lap, the previous lap's
 * counting one ring earlier; our driver event follows what we consumed.
 */
static void test_event_desc(void)
{
	struct psim *s = psim_new(8);
	u8 buf[8];
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t;
	u32 got;
	unsigned int i;

	unit_name("packed event idx");
	s->vq.event_idx = true;
	s->dev.flags = VRING_PACKED_EVENT_FLAG_DESC;
	s->dev.off_wrap = 0 | EV_WRAP;
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(vq_kick_needed(&s->vq));		/* 0 -> 1 passes 0 */
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(!vq_kick_needed(&s->vq));		/* 1 -> 2: waits for 0 */
	s->dev.off_wrap = 3 | EV_WRAP;
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(!vq_kick_needed(&s->vq));		/* 2 -> 3 does not pass 3 */
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(vq_kick_needed(&s->vq));		/* 3 -> 5 passes 3 */
	CHECK(!vq_kick_needed(&s->vq));		/* nothing new */
	psim_take(s);
	for (i = 0; i < 5; i++)
		psim_return(s, i);
	for (i = 0; i < 5; i++)
		CHECK(vq_get_used(&s->vq, &got) == &t);
	CHECK_EQ(s->drv.flags, VRING_PACKED_EVENT_FLAG_DESC);
	CHECK_EQ(s->drv.off_wrap, 5 | EV_WRAP);
	/* Three more wrap the ring: 5, 6, 7 in lap 1, then position 0 of lap 0. */
	for (i = 0; i < 3; i++)
		CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK_EQ(s->vq.next_avail, 0);
	CHECK(!s->vq.avail_wrap);
	s->dev.off_wrap = 7 | EV_WRAP;		/* the previous lap's 7: passed */
	CHECK(vq_kick_needed(&s->vq));
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	s->dev.off_wrap = 2;			/* this lap's 2: not yet */
	CHECK(!vq_kick_needed(&s->vq));
	psim_take(s);
	for (i = 5; i < 9; i++)
		psim_return(s, i);
	for (i = 0; i < 4; i++)
		CHECK(vq_get_used(&s->vq, &got) == &t);
	CHECK_EQ(s->drv.off_wrap, 1);		/* position 1, lap 0 */
	CHECK(!s->vq.broken);
	free(s);
}

/* Device event structures that are not valid break the queue. */
static void test_event_invalid(void)
{
	static const struct {
		bool event_idx;
		u16 flags, off_wrap;
		const char *needle;
	} cases[] = {
		{ false, VRING_PACKED_EVENT_FLAG_DESC, 0,
		  "flags 0x2 offset 0: not valid (queue size 8, no EVENT_IDX)" },
		{ true, 3, 0, "flags 0x3" },
		{ true, VRING_PACKED_EVENT_FLAG_DESC, 8 | EV_WRAP, "offset 8: not valid (queue size 8)" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct psim *s = psim_new(8);
		u8 buf[8];
		struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
		int t;

		unit_name("hostile device event %u", i);
		unit_log_reset();
		s->vq.event_idx = cases[i].event_idx;
		s->dev.flags = cases[i].flags;
		s->dev.off_wrap = cases[i].off_wrap;
		CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
		CHECK(!vq_kick_needed(&s->vq));
		CHECK(s->vq.broken);
		CHECK(unit_log_find(cases[i].needle));
		CHECK_EQ(vq_add(&s->vq, &b, 1, &t), -1);
		free(s);
	}
}

/*
 * One chain of a 16-byte buffer in flight, then a used descriptor with
 * its id + @id_delta and @len: refused, *len untouched.
 */
static void hostile(const char *what, u16 id_delta, u32 len, const char *needle)
{
	struct psim *s = psim_new(8);
	u8 buf[16] = { 0 };
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t;
	u32 got = 1234;

	unit_name("hostile %s", what);
	unit_log_reset();
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	psim_take(s);
	psim_put_used(s, s->pending[0].id + id_delta, len, 1);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(s->vq.broken != NULL);
	CHECK(unit_log_find(needle));
	CHECK_EQ(unit_log_matches("queue broken"), 1);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), -1);
	CHECK_EQ(unit_log_matches("queue broken"), 1);
	CHECK_EQ(got, 1234);
	free(s);
}

/* The same id twice while another chain is in flight. */
static void test_id_twice(void)
{
	struct psim *s = psim_new(8);
	u8 buf[16];
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t1, t2;
	u32 got;

	unit_name("hostile packed id returned twice");
	unit_log_reset();
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t1), 0);
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t2), 0);
	psim_take(s);
	psim_return(s, 0);
	psim_return(s, 0);
	CHECK(vq_get_used(&s->vq, &got) == &t1);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(unit_log_find("used id 0 is no chain in flight (returned twice?)"));
	CHECK_EQ(s->vq.num_free, 7);
	free(s);
}

/*
 * The device flips a descriptor to used that was never made available:
 * at the start, and after a full round trip (the next lap's position).
 */
static void test_flip_unavailable(void)
{
	struct psim *s = psim_new(4);
	u8 buf[16];
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t;
	u32 got;

	unit_name("hostile packed flag flip");
	unit_log_reset();
	psim_put_used(s, 0, 0, 1);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(unit_log_find("descriptor 0 marked used (flags 0x8080) but none is in flight"));
	free(s);

	s = psim_new(4);
	unit_log_reset();
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	psim_take(s);
	psim_return(s, 0);
	CHECK(vq_get_used(&s->vq, &got) == &t);
	psim_put_used(s, 0, 0, 1);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(unit_log_find("descriptor 1 marked used"));
	free(s);
}

/*
 * Tables for a block request of 32 pages (34 entries): a 64-entry packed
 * queue takes 64 of them indirect, over laps of the ring; each comes
 * back as a chain of one descriptor. One entry over goes direct.
 */
#define BLK_CHAIN	34

static void test_indirect(void)
{
	struct psim *s = psim_new(64);
	static u8 data[BLK_CHAIN][8];
	void *pages[VQ_INDIRECT_PAGES];
	u64 bus[VQ_INDIRECT_PAGES];
	struct vq_buf b[BLK_CHAIN + 1];
	unsigned int i, round;
	u32 len;
	int t[64];

	unit_name("packed indirect");
	for (i = 0; i < VQ_INDIRECT_PAGES; i++) {
		pages[i] = s->tables[i];
		bus[i] = (uintptr_t)s->tables[i];
	}
	CHECK_EQ(vq_set_indirect(&s->vq, BLK_CHAIN, pages, bus), 0);
	for (i = 0; i < BLK_CHAIN + 1; i++)
		b[i] = (struct vq_buf){ (uintptr_t)data[i % BLK_CHAIN], 8, i > 0 };
	for (round = 0; round < 3; round++) {
		s->nr_pending = 0;
		for (i = 0; i < 64; i++)
			CHECK_EQ(vq_add(&s->vq, b, BLK_CHAIN, &t[i]), 0);
		CHECK_EQ(s->vq.num_free, 0);
		psim_take(s);
		CHECK_EQ(s->nr_pending, 64);
		for (i = 0; i < 64; i++) {
			CHECK_EQ(s->pending[i].ndesc, 1);
			CHECK_EQ(s->pending[i].wrote, 8 * (BLK_CHAIN - 1));
			psim_return(s, i);
		}
		for (i = 0; i < 64; i++)
			CHECK(vq_get_used(&s->vq, &len) == &t[i] && len == 8 * (BLK_CHAIN - 1));
	}
	CHECK_EQ(s->vq.nr_indirect, 3 * 64);
	CHECK_EQ(s->vq.indirect_free, ~0ULL);
	s->nr_pending = 0;
	CHECK_EQ(vq_add(&s->vq, b, BLK_CHAIN + 1, &t[0]), 0);
	CHECK_EQ(s->vq.num_free, 64 - BLK_CHAIN - 1);
	psim_take(s);
	CHECK_EQ(s->pending[0].ndesc, BLK_CHAIN + 1);
	CHECK_EQ(s->pending[0].wrote, 8 * BLK_CHAIN);
	CHECK_EQ(s->vq.nr_indirect, 3 * 64);
	CHECK(!s->vq.broken);
	free(s);
}

int main(void)
{
	test_init();
	test_round_trip();
	test_wrap();
	test_event_flags();
	test_event_desc();
	test_event_invalid();
	hostile("packed id out of range", 8, 16, "used id 8 out of range (queue size 8)");
	hostile("packed id far out of range", 0xfff0, 16, "out of range");
	hostile("packed len beyond buffer", 0, 17, "used len 17 for id 0 exceeds the 16 bytes");
	hostile("packed stale id", 1, 16, "used id 1 is no chain in flight");
	test_id_twice();
	test_flip_unavailable();
	test_indirect();
	return unit_done();
}
