// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/virtio_ring.c against a simulated device that walks the
 * available ring and descriptor chains as a device would (bus address ==
 * host pointer here), writes a pattern into the writable buffers and
 * returns the chains in an order the test picks. Then a hostile device:
 * a used id out of range, a length beyond what the chain may take, an id
 * returned twice, a used index running ahead; each must break the queue
 * with a message naming the fault, touch no buffer, and refuse later use.
 * Indirect chains (INDIRECT_DESC): the device follows the table, tables
 * are taken and given back, the pool running dry falls back to direct,
 * tables sized for the longest chain hold it (one longer goes direct),
 * and a length beyond an indirect chain's writable bytes is refused.
 */
#include "unit.h"

#include <proteus/virtqueue.h>

struct sim {
	struct virtqueue vq;
	struct vring_desc desc[VQ_MAX_SIZE] __attribute__((aligned(16)));
	u8 avail[4096] __attribute__((aligned(2)));
	u8 used[4096] __attribute__((aligned(4)));
	u8 tables[VQ_INDIRECT_PAGES][VQ_INDIRECT_PAGE] __attribute__((aligned(VQ_INDIRECT_PAGE)));
	u16 seen_avail;		/* avail entries the device took */
	u16 pending[VQ_MAX_SIZE];
	u32 pending_len[VQ_MAX_SIZE];
	unsigned int nr_pending;
};

static struct sim *sim_new(u16 num)
{
	/* Page-aligned: the table pages are pages, as the guest's are. */
	size_t size = (sizeof(struct sim) + VQ_INDIRECT_PAGE - 1) & ~(size_t)(VQ_INDIRECT_PAGE - 1);
	struct sim *s = aligned_alloc(VQ_INDIRECT_PAGE, size);

	memset(s, 0, size);

	if (vq_init(&s->vq, "sim vq0", num, s->desc, s->avail, s->used)) {
		free(s);
		return NULL;
	}
	return s;
}

/* Pointers to and bus addresses of the sim's table pages. */
static void sim_pages(struct sim *s, void *pages[], u64 bus[])
{
	unsigned int i;

	for (i = 0; i < VQ_INDIRECT_PAGES; i++) {
		pages[i] = s->tables[i];
		bus[i] = (uintptr_t)s->tables[i];
	}
}

static struct sim *sim_new_indirect(u16 num, u16 max)
{
	struct sim *s = sim_new(num);
	void *pages[VQ_INDIRECT_PAGES];
	u64 bus[VQ_INDIRECT_PAGES];

	if (!s)
		return NULL;
	sim_pages(s, pages, bus);
	if (vq_set_indirect(&s->vq, max, pages, bus)) {
		free(s);
		return NULL;
	}
	return s;
}

/* Every table of @s free. */
static u64 all_tables(const struct sim *s)
{
	return ~0ULL >> (64 - vq_indirect_tables(s->vq.num));
}

/* A chain that leaves its table (or loops): what sim_walk returns for it. */
#define WALK_ESCAPED	0xdeadu

/*
 * Walk the chain from @d in @table of @size entries, filling writable
 * buffers: bytes written, or WALK_ESCAPED.
 */
static u32 sim_walk(struct vring_desc *table, u16 d, u32 size)
{
	u32 wrote = 0, steps = 0;

	for (;;) {
		struct vring_desc *e = &table[d];

		if (d >= size || steps++ == size)
			return WALK_ESCAPED;

		if (e->flags & VRING_DESC_F_WRITE) {
			memset((void *)(uintptr_t)e->addr, 0xa5, e->len);
			wrote += e->len;
		}
		if (!(e->flags & VRING_DESC_F_NEXT))
			return wrote;
		d = e->next;
	}
}

/* The device takes what was published: fills writable buffers, remembers heads. */
static void sim_take(struct sim *s)
{
	struct vring_avail *a = (void *)s->avail;

	while (s->seen_avail != a->idx) {
		u16 head = a->ring[s->seen_avail++ % s->vq.num];
		struct vring_desc *e = &s->desc[head];
		u32 wrote;

		/* An indirect table lies within one page (the guest's pages need not be contiguous). */
		if ((e->flags & VRING_DESC_F_INDIRECT) &&
		    e->addr / VQ_INDIRECT_PAGE != (e->addr + e->len - 1) / VQ_INDIRECT_PAGE)
			wrote = WALK_ESCAPED;
		else if (e->flags & VRING_DESC_F_INDIRECT)
			wrote = sim_walk((void *)(uintptr_t)e->addr, 0,
					 e->len / sizeof(struct vring_desc));
		else
			wrote = sim_walk(s->desc, head, s->vq.num);
		s->pending[s->nr_pending] = head;
		s->pending_len[s->nr_pending++] = wrote;
	}
}

/* Return pending chain @i (with length @len) as a used entry. */
static void sim_put_used(struct sim *s, u32 id, u32 len)
{
	struct vring_used *u = (void *)s->used;

	u->ring[u->idx % s->vq.num].id = id;
	u->ring[u->idx % s->vq.num].len = len;
	u->idx++;
}

static void test_init_sizes(void)
{
	static const u16 bad[] = { 3, 100 }, out[] = { 0, 512 };
	unsigned int i;
	struct sim *s;

	unit_name("init");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_log_reset();
		CHECK(!sim_new(bad[i]));
		CHECK(unit_log_find("not a power of two"));
	}
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		unit_log_reset();
		CHECK(!sim_new(out[i]));
		CHECK(unit_log_find("not from 1 to 256"));
	}
	s = sim_new(VQ_MAX_SIZE);
	CHECK(s && s->vq.num_free == VQ_MAX_SIZE);
	free(s);
	CHECK(vq_avail_bytes(8) == 4 + 2 * 8 + 2);
	CHECK(vq_used_bytes(8) == 4 + 8 * 8 + 2);
}

static void test_round_trip(void)
{
	struct sim *s = sim_new(4);
	u8 bufs[3][32];
	int tokens[3];
	unsigned int i, round;
	bool ok = true;

	unit_name("round trip");
	for (i = 0; i < 3; i++) {
		struct vq_buf b = { (uintptr_t)bufs[i], sizeof(bufs[i]), true };

		memset(bufs[i], 0, sizeof(bufs[i]));
		CHECK_EQ(vq_add(&s->vq, &b, 1, &tokens[i]), 0);
	}
	CHECK_EQ(s->vq.num_free, 1);
	sim_take(s);
	CHECK_EQ(s->nr_pending, 3);
	/* Out of order: the device may finish chains in any order. */
	for (i = 3; i-- > 0;)
		sim_put_used(s, s->pending[i], s->pending_len[i]);
	for (i = 3; i-- > 0;) {
		u32 len = 0;

		CHECK(vq_get_used(&s->vq, &len) == &tokens[i]);
		CHECK_EQ(len, 32);
		CHECK_EQ(bufs[i][31], 0xa5);
	}
	CHECK(!vq_get_used(&s->vq, &(u32){ 0 }));
	CHECK_EQ(s->vq.num_free, 4);
	/* Past 65536 uses the 16-bit indexes wrap. */
	for (round = 0; round < 70000 && ok; round++) {
		struct vq_buf b[2] = { { (uintptr_t)bufs[0], 8, false },
				       { (uintptr_t)bufs[1], 16, true } };
		u32 len = 0;

		s->nr_pending = 0;
		ok = !vq_add(&s->vq, b, 2, &tokens[0]);
		sim_take(s);
		sim_put_used(s, s->pending[0], s->pending_len[0]);
		ok = ok && vq_get_used(&s->vq, &len) == &tokens[0] && len == 16 &&
		     s->vq.num_free == 4;
	}
	CHECK(ok);
	CHECK(!s->vq.broken);
	free(s);
}

static void test_full_and_empty(void)
{
	struct sim *s = sim_new(2);
	u8 buf[8];
	struct vq_buf b[3] = { { (uintptr_t)buf, 8, true }, { (uintptr_t)buf, 8, true },
			       { (uintptr_t)buf, 8, true } };
	struct vq_buf zero = { (uintptr_t)buf, 0, true };
	int t;

	unit_name("limits");
	CHECK_EQ(vq_add(&s->vq, b, 3, &t), -1);
	CHECK_EQ(vq_add(&s->vq, &zero, 1, &t), -1);
	CHECK_EQ(vq_add(&s->vq, b, 1, NULL), -1);
	CHECK_EQ(vq_add(&s->vq, b, 2, &t), 0);
	CHECK_EQ(vq_add(&s->vq, b, 1, &t), -1);
	CHECK(vq_kick_needed(&s->vq));
	((struct vring_used *)s->used)->flags = VRING_USED_F_NO_NOTIFY;
	CHECK(!vq_kick_needed(&s->vq));
	CHECK(!s->vq.broken);
	free(s);
}

/*
 * One chain of a 16-byte buffer in flight (head 0), then head + @id_delta
 * returned with @len: refused, *len untouched.
 */
static void hostile(const char *what, u32 id_delta, u32 len, const char *needle)
{
	struct sim *s = sim_new(8);
	u8 buf[16] = { 0 };
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t;
	u32 got = 1234;

	unit_name("hostile %s", what);
	unit_log_reset();
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	sim_take(s);
	sim_put_used(s, s->pending[0] + id_delta, len);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(s->vq.broken != NULL);
	CHECK(unit_log_find(needle));
	CHECK(unit_log_find("queue broken"));
	CHECK_EQ(unit_log_matches("queue broken"), 1);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), -1);
	CHECK_EQ(unit_log_matches("queue broken"), 1);
	CHECK_EQ(got, 1234);
	CHECK_EQ(buf[0], 0xa5);
	free(s);
}

/* The device returns the same id twice while another chain is in flight. */
static void test_id_twice(void)
{
	struct sim *s = sim_new(8);
	u8 buf[16];
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t1, t2;
	u32 got;

	unit_name("hostile id returned twice");
	unit_log_reset();
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t1), 0);
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t2), 0);
	sim_take(s);
	sim_put_used(s, s->pending[0], 16);
	sim_put_used(s, s->pending[0], 16);
	CHECK(vq_get_used(&s->vq, &got) == &t1);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(unit_log_find("returned twice"));
	CHECK_EQ(s->vq.num_free, 7);
	free(s);
}

/* The used index claims more entries than there are chains in flight. */
static void test_idx_runs_ahead(void)
{
	struct sim *s = sim_new(8);
	u8 buf[16];
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t;
	u32 got;

	unit_name("hostile used index");
	unit_log_reset();
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	((struct vring_used *)s->used)->idx = 5;
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(unit_log_find("past the 0 consumed"));
	free(s);
}

/*
 * EVENT_IDX: a kick only when the entries published since the last look
 * pass the device's avail_event; used_event follows what was consumed.
 */
static void test_event_idx(void)
{
	struct sim *s = sim_new(8);
	volatile u16 *avail_event = (u16 *)&((struct vring_used *)s->used)->ring[8];
	volatile u16 *used_event = &((struct vring_avail *)s->avail)->ring[8];
	u8 buf[16];
	struct vq_buf b = { (uintptr_t)buf, sizeof(buf), true };
	int t;
	u32 got;

	unit_name("event idx");
	s->vq.event_idx = true;
	((struct vring_used *)s->used)->flags = VRING_USED_F_NO_NOTIFY;
	*avail_event = 0;
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(vq_kick_needed(&s->vq));		/* 0 -> 1 passes 0, flags ignored */
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(!vq_kick_needed(&s->vq));		/* 1 -> 2: the device waits for 0 */
	*avail_event = 3;
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(!vq_kick_needed(&s->vq));		/* 2 -> 3 does not pass 3 */
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK_EQ(vq_add(&s->vq, &b, 1, &t), 0);
	CHECK(vq_kick_needed(&s->vq));		/* 3 -> 5 passes 3 */
	CHECK(!vq_kick_needed(&s->vq));		/* nothing new */
	sim_take(s);
	sim_put_used(s, s->pending[0], 16);
	sim_put_used(s, s->pending[1], 16);
	CHECK_EQ(*used_event, 0);
	CHECK(vq_get_used(&s->vq, &got) == &t);
	CHECK_EQ(*used_event, 1);
	CHECK(vq_get_used(&s->vq, &got) == &t);
	CHECK_EQ(*used_event, 2);
	CHECK(!s->vq.broken);
	free(s);
}

/*
 * INDIRECT_DESC: chains of 3 take one ring descriptor each (a queue of 4
 * holds 4 of them), the device reads them through the tables, and the
 * tables come back; over many rounds they are reused.
 */
static void test_indirect(void)
{
	struct sim *s = sim_new_indirect(4, VQ_INDIRECT_DEFAULT);
	u8 bufs[4][3][8];
	int tokens[4];
	unsigned int i, j, round;
	bool ok = true;

	unit_name("indirect");
	memset(bufs, 0, sizeof(bufs));
	/* Longer than the queue: neither indirect nor direct. */
	CHECK_EQ(vq_add(&s->vq, (struct vq_buf[5]){ { 1, 1, 0 }, { 1, 1, 0 }, { 1, 1, 0 },
						    { 1, 1, 0 }, { 1, 1, 0 } }, 5, &tokens[0]), -1);
	CHECK_EQ(s->vq.indirect_free, all_tables(s));
	for (i = 0; i < 4; i++) {
		struct vq_buf b[3] = { { (uintptr_t)bufs[i][0], 8, false },
				       { (uintptr_t)bufs[i][1], 8, true },
				       { (uintptr_t)bufs[i][2], 8, true } };

		CHECK_EQ(vq_add(&s->vq, b, 3, &tokens[i]), 0);
		CHECK(s->desc[s->vq.avail->ring[i]].flags == VRING_DESC_F_INDIRECT);
		CHECK_EQ(s->desc[s->vq.avail->ring[i]].len, 3 * sizeof(struct vring_desc));
	}
	CHECK_EQ(s->vq.num_free, 0);
	CHECK_EQ(s->vq.nr_indirect, 4);
	sim_take(s);
	for (i = 0; i < 4; i++)
		sim_put_used(s, s->pending[i], s->pending_len[i]);
	for (i = 0; i < 4; i++) {
		u32 len = 0;

		CHECK(vq_get_used(&s->vq, &len) == &tokens[i]);
		CHECK_EQ(len, 16);
		CHECK_EQ(bufs[i][0][0], 0);
		for (j = 1; j < 3; j++)
			CHECK_EQ(bufs[i][j][7], 0xa5);
	}
	CHECK_EQ(s->vq.num_free, 4);
	CHECK_EQ(s->vq.indirect_free, all_tables(s));
	/* A single buffer stays direct; many rounds reuse the tables. */
	for (round = 0; round < 1000 && ok; round++) {
		struct vq_buf b[2] = { { (uintptr_t)bufs[0][0], 8, true },
				       { (uintptr_t)bufs[0][1], 8, true } };
		u32 len = 0;

		s->nr_pending = 0;
		ok = !vq_add(&s->vq, b, 1 + round % 2, &tokens[0]);
		sim_take(s);
		sim_put_used(s, s->pending[0], s->pending_len[0]);
		ok = ok && vq_get_used(&s->vq, &len) == &tokens[0] &&
		     len == 8 * (1 + round % 2) && s->vq.num_free == 4;
	}
	CHECK(ok);
	CHECK_EQ(s->vq.nr_indirect, 4 + 500);
	CHECK(!s->vq.broken);
	free(s);
}

/*
 * A queue longer than VQ_INDIRECT_TABLES runs out of tables: chains go
 * direct while they fit; a chain too long for a table goes direct too.
 */
static void test_indirect_pool_dry(void)
{
	struct sim *s = sim_new_indirect(128, VQ_INDIRECT_DEFAULT);
	u8 buf[8];
	struct vq_buf b[VQ_INDIRECT_DEFAULT + 1];
	int t;
	unsigned int i;

	unit_name("indirect pool dry");
	for (i = 0; i < VQ_INDIRECT_DEFAULT + 1; i++)
		b[i] = (struct vq_buf){ (uintptr_t)buf, sizeof(buf), true };
	for (i = 0; i < VQ_INDIRECT_TABLES; i++)
		CHECK_EQ(vq_add(&s->vq, b, 2, &t), 0);
	CHECK_EQ(s->vq.num_free, 128 - VQ_INDIRECT_TABLES);
	CHECK_EQ(vq_add(&s->vq, b, 2, &t), 0);
	CHECK_EQ(s->vq.num_free, 128 - VQ_INDIRECT_TABLES - 2);
	CHECK_EQ(vq_add(&s->vq, b, VQ_INDIRECT_DEFAULT + 1, &t), 0);
	CHECK_EQ(s->vq.num_free, 128 - VQ_INDIRECT_TABLES - 2 - VQ_INDIRECT_DEFAULT - 1);
	CHECK_EQ(s->vq.nr_indirect, VQ_INDIRECT_TABLES);
	sim_take(s);
	CHECK_EQ(s->pending_len[0], 16);
	CHECK_EQ(s->pending_len[VQ_INDIRECT_TABLES - 1], 16);
	CHECK_EQ(s->pending_len[VQ_INDIRECT_TABLES], 16);
	CHECK_EQ(s->pending_len[VQ_INDIRECT_TABLES + 1], 8 * (VQ_INDIRECT_DEFAULT + 1));
	CHECK(!s->vq.broken);
	free(s);
}

/*
 * Tables sized for a block request of 32 pages (34 entries, seven to a
 * page): every slot of a 64-entry queue takes such a chain indirect, the
 * device walks each inside its table and page; they all come back and
 * are taken again. One over the size goes direct; a size out of range
 * is refused with a line, the queue's chains then direct.
 */
#define BLK_CHAIN	34

static void test_indirect_size(void)
{
	struct sim *s = sim_new_indirect(64, BLK_CHAIN);
	static u8 data[BLK_CHAIN][8];
	struct vq_buf b[BLK_CHAIN + 1];
	void *pages[VQ_INDIRECT_PAGES];
	u64 bus[VQ_INDIRECT_PAGES];
	unsigned int i, round;
	u32 len;
	int t[64];

	unit_name("indirect table size");
	CHECK_EQ(vq_indirect_pages(64, BLK_CHAIN), 10);
	CHECK_EQ(vq_indirect_pages(8, VQ_INDIRECT_DEFAULT), 1);
	CHECK_EQ(vq_indirect_pages(256, VQ_INDIRECT_LIMIT), VQ_INDIRECT_PAGES);
	for (i = 0; i < BLK_CHAIN + 1; i++)
		b[i] = (struct vq_buf){ (uintptr_t)data[i % BLK_CHAIN], 8, i > 0 };
	for (round = 0; round < 2; round++) {
		s->nr_pending = 0;
		for (i = 0; i < 64; i++)
			CHECK_EQ(vq_add(&s->vq, b, BLK_CHAIN, &t[i]), 0);
		CHECK_EQ(s->vq.num_free, 0);
		CHECK_EQ(s->vq.indirect_free, 0);
		sim_take(s);
		for (i = 0; i < 64; i++) {
			CHECK_EQ(s->pending_len[i], 8 * (BLK_CHAIN - 1));
			sim_put_used(s, s->pending[i], s->pending_len[i]);
		}
		for (i = 0; i < 64; i++)
			CHECK(vq_get_used(&s->vq, &len) == &t[i]);
	}
	CHECK_EQ(s->vq.nr_indirect, 128);
	CHECK_EQ(s->vq.indirect_free, all_tables(s));
	s->nr_pending = 0;
	CHECK_EQ(vq_add(&s->vq, b, BLK_CHAIN + 1, &t[0]), 0);
	CHECK_EQ(s->vq.num_free, 64 - BLK_CHAIN - 1);
	CHECK_EQ(s->vq.nr_indirect, 128);
	sim_take(s);
	CHECK_EQ(s->pending_len[0], 8 * BLK_CHAIN);
	CHECK(!s->vq.broken);
	free(s);

	unit_log_reset();
	CHECK(!sim_new_indirect(64, VQ_INDIRECT_LIMIT + 1));
	CHECK(unit_log_find("indirect tables of 65 entries: not from 2 to 64; chains stay direct"));
	s = sim_new(4);
	sim_pages(s, pages, bus);
	CHECK_EQ(vq_set_indirect(&s->vq, 1, pages, bus), -1);
	CHECK_EQ(vq_add(&s->vq, b, 3, &t[0]), 0);
	CHECK_EQ(s->vq.nr_indirect, 0);
	CHECK_EQ(s->vq.num_free, 1);
	free(s);
}

/* The device claims it wrote more into an indirect chain than it may. */
static void test_indirect_len_beyond(void)
{
	struct sim *s = sim_new_indirect(8, VQ_INDIRECT_DEFAULT);
	u8 out[8], in[2][8];
	struct vq_buf b[3] = { { (uintptr_t)out, 8, false }, { (uintptr_t)in[0], 8, true },
			       { (uintptr_t)in[1], 8, true } };
	int t;
	u32 got = 1234;

	unit_name("hostile indirect len");
	unit_log_reset();
	CHECK_EQ(vq_add(&s->vq, b, 3, &t), 0);
	sim_take(s);
	sim_put_used(s, s->pending[0], 17);
	CHECK(!vq_get_used(&s->vq, &got));
	CHECK(unit_log_find("used len 17 for id 0 exceeds the 16 bytes it may write (indirect)"));
	CHECK_EQ(got, 1234);
	CHECK_EQ(vq_add(&s->vq, b, 3, &t), -1);
	free(s);
}

int main(void)
{
	test_init_sizes();
	test_round_trip();
	test_full_and_empty();
	test_event_idx();
	hostile("id out of range", 8, 16, "used id 8 out of range (queue size 8)");
	hostile("id far out of range", 0x80000000u, 16, "out of range");
	hostile("len beyond buffer", 0, 17, "used len 17 for id 0 exceeds the 16 bytes");
	hostile("stale id", 1, 16, "used id 1 is no chain in flight");
	test_id_twice();
	test_idx_runs_ahead();
	test_indirect();
	test_indirect_pool_dry();
	test_indirect_size();
	test_indirect_len_beyond();
	return unit_done();
}
