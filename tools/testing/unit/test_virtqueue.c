// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/virtio_ring.c against a simulated device that walks the
 * available ring and descriptor chains as a device would (bus address ==
 * host pointer here), writes a pattern into the writable buffers and
 * returns the chains in an order the test picks. Then a hostile device:
 * a used id out of range, a length beyond what the chain may take, an id
 * returned twice, a used index running ahead; each must break the queue
 * with a message naming the fault, touch no buffer, and refuse later use.
 */
#include "unit.h"

#include <proteus/virtqueue.h>

struct sim {
	struct virtqueue vq;
	struct vring_desc desc[VQ_MAX_SIZE] __attribute__((aligned(16)));
	u8 avail[4096] __attribute__((aligned(2)));
	u8 used[4096] __attribute__((aligned(4)));
	u16 seen_avail;		/* avail entries the device took */
	u16 pending[VQ_MAX_SIZE];
	u32 pending_len[VQ_MAX_SIZE];
	unsigned int nr_pending;
};

static struct sim *sim_new(u16 num)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (vq_init(&s->vq, "sim vq0", num, s->desc, s->avail, s->used)) {
		free(s);
		return NULL;
	}
	return s;
}

/* The device takes what was published: fills writable buffers, remembers heads. */
static void sim_take(struct sim *s)
{
	struct vring_avail *a = (void *)s->avail;

	while (s->seen_avail != a->idx) {
		u16 head = a->ring[s->seen_avail++ % s->vq.num], d = head;
		u32 wrote = 0;

		for (;;) {
			struct vring_desc *e = &s->desc[d];

			if (e->flags & VRING_DESC_F_WRITE) {
				memset((void *)(uintptr_t)e->addr, 0xa5, e->len);
				wrote += e->len;
			}
			if (!(e->flags & VRING_DESC_F_NEXT))
				break;
			d = e->next;
		}
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
	static const u16 bad[] = { 0, 3, 100, 512 };
	unsigned int i;
	struct sim *s;

	unit_name("init");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_log_reset();
		CHECK(!sim_new(bad[i]));
		CHECK(unit_log_find("not a power of two"));
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
	return unit_done();
}
