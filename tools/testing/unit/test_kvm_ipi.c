// SPDX-License-Identifier: GPL-2.0
/*
 * backends/kvm/ipi-pack.c: packing APIC IDs into KVM_HC_SEND_IPI batches,
 * checked against a simulated hypervisor that delivers what each batch
 * names and records it.
 */
#include "unit.h"

#include <proteus/compiler.h>
#include "../../../backends/kvm/ipi-pack.h"

#define MAX_IDS		4096	/* deliveries recorded per run */
#define MAX_BATCHES	1024	/* batches recorded per run */
#define MAX_FAIL	8	/* calls that can be made to fail */

static struct hv {
	u32 delivered[MAX_IDS];
	unsigned int nr_delivered;	/* may exceed MAX_IDS */
	struct kvm_ipi_batch batch[MAX_BATCHES];
	unsigned int calls;
	unsigned int bad_batches;	/* empty, or naming IDs past u32 */
	int fail[MAX_FAIL];		/* if non-zero, what call i returns */
} hv;

static void hv_reset(void)
{
	memset(&hv, 0, sizeof(hv));
}

static bool batch_has(const struct kvm_ipi_batch *b, unsigned int bit)
{
	return (b->bitmap[bit / 64] >> (bit % 64)) & 1;
}

/* What KVM does: deliver to each ID named and return how many. */
static int hv_send(const struct kvm_ipi_batch *b, void *ctx)
{
	struct hv *h = ctx;
	unsigned int call = h->calls++, bit;
	int count = 0;

	if (call < MAX_BATCHES)
		h->batch[call] = *b;
	if (!b->bitmap[0] && !b->bitmap[1])
		h->bad_batches++;
	if (call < MAX_FAIL && h->fail[call])
		return h->fail[call];
	for (bit = 0; bit < KVM_IPI_BATCH_BITS; bit++) {
		u64 id = (u64)b->min + bit;

		if (!batch_has(b, bit))
			continue;
		if (id > UINT32_MAX) {
			h->bad_batches++;
			continue;
		}
		if (h->nr_delivered < MAX_IDS)
			h->delivered[h->nr_delivered] = id;
		h->nr_delivered++;
		count++;
	}
	return count;
}

static int pack(const u32 *ids, unsigned int n)
{
	struct kvm_ipi_packer p;
	unsigned int i;

	kvm_ipi_pack_init(&p, hv_send, &hv);
	for (i = 0; i < n; i++)
		kvm_ipi_pack_add(&p, ids[i]);
	return kvm_ipi_pack_finish(&p);
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return (x > y) - (x < y);
}

/* Sorts v and drops repeats; returns how many remain. */
static unsigned int sort_unique(u32 *v, unsigned int n)
{
	unsigned int i, m = 0;

	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 0; i < n; i++) {
		if (!m || v[m - 1] != v[i])
			v[m++] = v[i];
	}
	return m;
}

/* The n IDs' distinct ones, sorted, in v; returns how many. */
static unsigned int distinct(u32 *v, const u32 *ids, unsigned int n)
{
	memcpy(v, ids, n * sizeof(*v));
	return sort_unique(v, n);
}

/* The fewest calls for a set: greedy windows from its lowest ID. */
static unsigned int min_calls(const u32 *ids, unsigned int n)
{
	static u32 v[MAX_IDS];
	unsigned int i, calls = 0;
	u32 start = 0;

	n = distinct(v, ids, n);
	for (i = 0; i < n; i++) {
		if (!calls || v[i] - start >= KVM_IPI_BATCH_BITS) {
			calls++;
			start = v[i];
		}
	}
	return calls;
}

struct delivery {
	unsigned int twice, missing, extra;
	u64 first_bad;		/* an ID of the above, for the log */
};

/* Compares the deliveries with the set of n IDs. */
static struct delivery compare_delivery(const u32 *ids, unsigned int n)
{
	static u32 want[MAX_IDS], got[MAX_IDS];
	struct delivery d = { .first_bad = ~0ULL };
	unsigned int i, j, nr_got = MIN(hv.nr_delivered, MAX_IDS);

	n = distinct(want, ids, n);
	memcpy(got, hv.delivered, nr_got * sizeof(*got));
	qsort(got, nr_got, sizeof(*got), cmp_u32);
	for (i = 1; i < nr_got; i++) {
		if (got[i] == got[i - 1] && !d.twice++)
			d.first_bad = got[i];
	}
	nr_got = sort_unique(got, nr_got);
	for (i = 0, j = 0; i < n || j < nr_got;) {
		if (j == nr_got || (i < n && want[i] < got[j])) {
			if (!d.missing++ && !d.extra)
				d.first_bad = want[i];
			i++;
		} else if (i == n || got[j] < want[i]) {
			if (!d.extra++ && !d.missing)
				d.first_bad = got[j];
			j++;
		} else {
			i++;
			j++;
		}
	}
	return d;
}

static bool delivery_ok(const struct delivery *d)
{
	return !d->twice && !d->missing && !d->extra &&
	       hv.nr_delivered <= MAX_IDS && !hv.bad_batches;
}

/* Each of the n IDs delivered exactly once, nothing else, batches sane. */
static void expect_delivery(const char *file, int line, const u32 *ids,
			    unsigned int n)
{
	struct delivery d = compare_delivery(ids, n);

	if (!unit_result(delivery_ok(&d), file, line,
			 "each ID delivered once, no other"))
		printf("#   %u twice, %u missing, %u extra (e.g. 0x%llx), %u bad batches, %u delivered\n",
		       d.twice, d.missing, d.extra, d.first_bad,
		       hv.bad_batches, hv.nr_delivered);
}

#define EXPECT_DELIVERY(ids, n) \
	expect_delivery(__FILE__, __LINE__, ids, n)

/*
 * Packs n IDs: every one delivered once, and in as many calls as
 * expected (-1: any number from the fewest to one per distinct ID).
 */
static void check_ids(const char *file, int line, const u32 *ids,
		      unsigned int n, int calls)
{
	static u32 v[MAX_IDS];

	hv_reset();
	CHECK_EQ_AT(file, line, pack(ids, n), 0);
	expect_delivery(file, line, ids, n);
	if (calls >= 0) {
		CHECK_EQ_AT(file, line, hv.calls, calls);
		return;
	}
	CHECK_AT(file, line, hv.calls >= min_calls(ids, n));
	CHECK_AT(file, line, hv.calls <= distinct(v, ids, n));
}

#define CHECK_IDS(ids, n, calls) \
	check_ids(__FILE__, __LINE__, ids, n, calls)

static u32 ids[MAX_IDS];

static unsigned int fill_range(u32 first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ids[i] = first + i;
	return n;
}

static void reverse(u32 *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n / 2; i++) {
		u32 t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;

static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void shuffle(u32 *v, unsigned int n)
{
	unsigned int i;

	for (i = n; i > 1; i--) {
		unsigned int j = rng() % i;
		u32 t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* CPU i of a QEMU-like topology: 8 threads' IDs per 32, even ones only. */
static unsigned int fill_sparse(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ids[i] = 2 * i + (i / 8) * 16;
	return n;
}

static void test_empty(void)
{
	unit_name("empty set");
	CHECK_IDS(ids, 0, 0);
	unit_name(NULL);
}

static void test_dense(void)
{
	unsigned int n;

	unit_name("one ID");
	ids[0] = 42;
	CHECK_IDS(ids, 1, 1);
	CHECK_EQ(hv.batch[0].min, 42);
	CHECK_EQ(hv.batch[0].bitmap[0], 1);
	CHECK_EQ(hv.batch[0].bitmap[1], 0);

	unit_name("0..63");
	n = fill_range(0, 64);
	CHECK_IDS(ids, n, 1);
	CHECK_EQ(hv.batch[0].bitmap[0], ~0ULL);
	CHECK_EQ(hv.batch[0].bitmap[1], 0);

	unit_name("0..127");
	n = fill_range(0, 128);
	CHECK_IDS(ids, n, 1);
	CHECK_EQ(hv.batch[0].min, 0);
	CHECK_EQ(hv.batch[0].bitmap[0], ~0ULL);
	CHECK_EQ(hv.batch[0].bitmap[1], ~0ULL);

	unit_name("0..128");
	n = fill_range(0, 129);
	CHECK_IDS(ids, n, 2);
	CHECK_EQ(hv.batch[1].min, 128);
	CHECK_EQ(hv.batch[1].bitmap[0], 1);

	unit_name("5..300");
	n = fill_range(5, 296);
	CHECK_IDS(ids, n, 3);

	unit_name("300 CPUs, IDs 0..299");
	n = fill_range(0, 300);
	CHECK_IDS(ids, n, 3);

	unit_name("300 CPUs, IDs 299..0");
	reverse(ids, n);
	CHECK_IDS(ids, n, 3);

	unit_name("0..127, descending");
	n = fill_range(0, 128);
	reverse(ids, n);
	CHECK_IDS(ids, n, 1);
	CHECK_EQ(hv.batch[0].min, 0);
	CHECK_EQ(hv.batch[0].bitmap[0], ~0ULL);
	CHECK_EQ(hv.batch[0].bitmap[1], ~0ULL);

	unit_name("0..128, descending");
	n = fill_range(0, 129);
	reverse(ids, n);
	CHECK_IDS(ids, n, 2);
	unit_name(NULL);
}

static void test_sparse(void)
{
	static const u32 far[] = { 0, 1000, 70000, 0xfffffff0 };
	unsigned int i, n;

	unit_name("far apart");
	CHECK_IDS(far, ARRAY_SIZE(far), ARRAY_SIZE(far));
	for (i = 0; i < ARRAY_SIZE(far); i++) {
		CHECK_EQ(hv.batch[i].min, far[i]);
		CHECK_EQ(hv.batch[i].bitmap[0], 1);
		CHECK_EQ(hv.batch[i].bitmap[1], 0);
	}

	/* 32 CPUs per 128 IDs: 38 blocks of 8 take ten calls. */
	unit_name("300 CPUs, sparse IDs");
	n = fill_sparse(300);
	CHECK_EQ(ids[299], 1190);
	CHECK_EQ(min_calls(ids, n), 10);
	CHECK_IDS(ids, n, 10);

	unit_name("300 CPUs, sparse IDs, descending");
	reverse(ids, n);
	CHECK_IDS(ids, n, 10);

	unit_name("300 CPUs, sparse IDs, shuffled");
	shuffle(ids, n);
	CHECK_IDS(ids, n, -1);
	unit_name(NULL);
}

/* One case of IDs and the exact batches expected, in order. */
struct exact_case {
	const char *name;
	unsigned int n, calls;
	u32 ids[4];
	struct kvm_ipi_batch batch[4];
};

#define BIT64(n)	(1ULL << (n))

/* Windows moving down by every kind of distance, and the top of u32. */
static void test_exact(void)
{
	static const struct exact_case cases[] = {
		{ "down by 63", 2, 1, { 63, 0 },
		  { { { 1 | BIT64(63), 0 }, 0 } } },
		{ "down by 64", 2, 1, { 64, 0 }, { { { 1, 1 }, 0 } } },
		{ "down by 90", 2, 1, { 100, 10 },
		  { { { 1, BIT64(26) }, 10 } } },
		{ "down by 127", 2, 1, { 127, 0 },
		  { { { 1, BIT64(63) }, 0 } } },
		{ "down by 128", 2, 2, { 128, 0 },
		  { { { 1, 0 }, 128 }, { { 1, 0 }, 0 } } },
		{ "down by 67, then 60", 3, 1, { 127, 60, 0 },
		  { { { 1 | BIT64(60), BIT64(63) }, 0 } } },
		{ "down by 60, then by 5 across the halves", 4, 1,
		  { 65, 70, 5, 0 },
		  { { { 1 | BIT64(5), BIT64(1) | BIT64(6) }, 0 } } },
		{ "up, then down too far", 3, 2, { 50, 150, 20 },
		  { { { 1, BIT64(100 - 64) }, 50 }, { { 1, 0 }, 20 } } },
		{ "down, then up past the new top", 3, 2, { 100, 0, 128 },
		  { { { 1, BIT64(100 - 64) }, 0 }, { { 1, 0 }, 128 } } },
		{ "highest ID", 1, 1, { 0xffffffff },
		  { { { 1, 0 }, 0xffffffff } } },
		{ "top 128 IDs", 2, 1, { 0xffffffff, 0xffffff80 },
		  { { { 1, BIT64(63) }, 0xffffff80 } } },
		{ "top 129 IDs", 2, 2, { 0xffffffff, 0xffffff7f },
		  { { { 1, 0 }, 0xffffffff }, { { 1, 0 }, 0xffffff7f } } },
		{ "0 and the highest", 2, 2, { 0, 0xffffffff },
		  { { { 1, 0 }, 0 }, { { 1, 0 }, 0xffffffff } } },
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct exact_case *c = &cases[i];

		unit_name("%s", c->name);
		CHECK_IDS(c->ids, c->n, c->calls);
		for (j = 0; j < c->calls && j < hv.calls; j++) {
			CHECK_EQ(hv.batch[j].min, c->batch[j].min);
			CHECK_EQ(hv.batch[j].bitmap[0], c->batch[j].bitmap[0]);
			CHECK_EQ(hv.batch[j].bitmap[1], c->batch[j].bitmap[1]);
		}
	}
	unit_name(NULL);
}

static void test_duplicates(void)
{
	static const u32 same[] = { 5, 5, 5 };
	static const u32 sliding[] = { 100, 10, 100, 10, 50, 100, 10 };
	static const u32 gone[] = { 0, 200, 0 };
	unsigned int i, n;

	unit_name("one ID thrice");
	CHECK_IDS(same, ARRAY_SIZE(same), 1);

	unit_name("repeats around a slide");
	CHECK_IDS(sliding, ARRAY_SIZE(sliding), 1);

	unit_name("0..127 twice over");
	n = fill_range(0, 128);
	for (i = 0; i < n; i++)
		ids[n + i] = ids[i] ^ 0x55;
	CHECK_IDS(ids, 2 * n, 1);

	/*
	 * The packer remembers only the open batch: an ID coming back after
	 * its batch went gets a second IPI. A cpumask never repeats one.
	 */
	unit_name("repeat after its batch went");
	hv_reset();
	CHECK_EQ(pack(gone, ARRAY_SIZE(gone)), 0);
	CHECK_EQ(hv.calls, 3);
	CHECK_EQ(hv.nr_delivered, 3);
	CHECK_EQ(hv.delivered[2], 0);
	unit_name(NULL);
}

static void test_random_order(void)
{
	unsigned int n;

	unit_name("0..499 shuffled");
	n = fill_range(0, 500);
	shuffle(ids, n);
	CHECK_IDS(ids, n, -1);
	printf("# %u calls for 500 shuffled IDs (fewest %u)\n", hv.calls,
	       min_calls(ids, n));
	unit_name(NULL);
}

/* The hypercall fails for some batches: the others still go. */
static void test_errors(void)
{
	unsigned int n = fill_range(0, 300);

	unit_name("second of three calls fails");
	hv_reset();
	hv.fail[1] = -1000;		/* KVM's -KVM_ENOSYS */
	CHECK_EQ(pack(ids, n), -1000);
	CHECK_EQ(hv.calls, 3);
	CHECK_EQ(hv.bad_batches, 0);
	/* 0..127 and 256..299 still delivered */
	memmove(ids + 128, ids + 256, 44 * sizeof(*ids));
	EXPECT_DELIVERY(ids, 128 + 44);

	unit_name("first and last fail");
	n = fill_range(0, 300);
	hv_reset();
	hv.fail[0] = -95;		/* -KVM_EOPNOTSUPP */
	hv.fail[2] = -1000;
	CHECK_EQ(pack(ids, n), -95);
	CHECK_EQ(hv.calls, 3);
	EXPECT_DELIVERY(ids + 128, 128);

	unit_name("only call fails");
	hv_reset();
	hv.fail[0] = -22;
	CHECK_EQ(pack(ids, 1), -22);
	CHECK_EQ(hv.calls, 1);
	CHECK_EQ(hv.nr_delivered, 0);
	unit_name(NULL);
}

/* Where a random trial's IDs come from. */
enum layout { DENSE, SPARSE, CLUSTERS, TOP, ANYWHERE, LAYOUTS };

static u32 random_id(enum layout layout, unsigned int i)
{
	switch (layout) {
	case DENSE:
		return i;
	case SPARSE:
		return 2 * i + (i / 8) * 16;
	case CLUSTERS:
		return (rng() % 4) * 0x10000 + rng() % 300;
	case TOP:
		return UINT32_MAX - rng() % 400;
	default:
		return rng();
	}
}

/* Gives some of the n IDs again right after themselves; the new n. */
static unsigned int repeat_some(unsigned int n)
{
	static u32 v[MAX_IDS];
	unsigned int i, m = 0;

	for (i = 0; i < n; i++) {
		v[m++] = ids[i];
		if (rng() % 8 == 0)
			v[m++] = ids[i];
	}
	memcpy(ids, v, m * sizeof(*ids));
	return m;
}

/*
 * Random sets in random, ascending or descending order, some IDs given
 * twice in a row: all delivered once; sorted ones in the fewest calls.
 */
static void test_random(void)
{
	int trials = 3000, wrong = 0, not_fewest = 0, failed = 0;
	int t;

	for (t = 0; t < trials; t++) {
		enum layout layout = rng() % LAYOUTS;
		unsigned int i, n = rng() % 600, order = rng() % 3;
		struct delivery d;

		for (i = 0; i < n; i++)
			ids[i] = random_id(layout, i);
		n = sort_unique(ids, n);
		if (order == 0)
			shuffle(ids, n);
		else if (order == 2)
			reverse(ids, n);
		n = repeat_some(n);
		hv_reset();
		failed += pack(ids, n) != 0;
		d = compare_delivery(ids, n);
		if (!delivery_ok(&d) && wrong++ < 3)
			printf("#   trial %d: layout %d, order %u, %u IDs: %u twice, %u missing, %u extra (e.g. 0x%llx)\n",
			       t, layout, order, n, d.twice, d.missing,
			       d.extra, d.first_bad);
		if (order && hv.calls != min_calls(ids, n) &&
		    not_fewest++ < 3)
			printf("#   trial %d: layout %d, order %u: %u calls, fewest %u\n",
			       t, layout, order, hv.calls, min_calls(ids, n));
	}
	unit_name("%d random sets", trials);
	CHECK_EQ(wrong, 0);
	CHECK_EQ(not_fewest, 0);
	CHECK_EQ(failed, 0);
	unit_name(NULL);
}

int main(void)
{
	test_empty();
	test_dense();
	test_sparse();
	test_exact();
	test_duplicates();
	test_random_order();
	test_errors();
	test_random();
	return unit_done();
}
