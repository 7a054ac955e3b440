// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-balloon (virtio 1.2, 5.5). Queue 0 inflates, queue 1 deflates:
 * each request is one buffer of up to BALLOON_BATCH 32-bit page frame
 * numbers, a frame's bus address (the dma_addr op: under Xen PV a machine
 * frame) shifted right by 12. Inflated pages come from the page allocator
 * and stay allocated while in the balloon, on a list of index pages (a
 * ballooned page's contents may vanish, so it cannot carry the list
 * itself); deflating tells the device first, then frees them. actual is
 * written after every step. Queue 2 (STATS_VQ) holds one buffer of
 * statistics the device returns when it wants fresh ones (5.5.6.3).
 *
 * virtio_balloon_update() is the one place that follows the device,
 * called by whoever waits for it (virtio_balloon_wait halts until the
 * device interrupts); it rereads num_pages only after a
 * configuration-change interrupt (vd->config_changes moved), or every
 * time on a device without an interrupt. Its waits on the queues go
 * through wait_used(), on the device's interrupt.
 *
 * DEVICE_NEEDS_RESET (virtio_balloon_restart, from a wait or the update):
 * the reset device holds none of the pages, so all go back to the
 * allocator and the driver starts again from actual 0, following
 * num_pages anew.
 */
#include <asm/pv/ops.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_ids.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_balloon.h>

#define INFLATE_VQ	0
#define DEFLATE_VQ	1
#define STATS_VQ	2
/* Frame numbers per request: 1 KiB, inside one page. */
#define BALLOON_BATCH	256
#define BALLOON_QUEUE_SIZE	8
/* QEMU answers on the notify itself; a device silent this long is broken. */
#define BALLOON_TIMEOUT_NS	(5000 * NSEC_PER_MSEC)
#define NR_STATS	3

#define WANTED_FEATURES	((1ULL << VIRTIO_BALLOON_F_STATS_VQ) | \
			 (1ULL << VIRTIO_BALLOON_F_DEFLATE_ON_OOM))

/* An index page of ballooned frames; the list is a stack of them. */
struct balloon_list {
	phys_addr_t next;
	u64 nr;
	phys_addr_t frames[(PAGE_SIZE - 16) / sizeof(phys_addr_t)];
};

struct balloon {
	struct virtio_device *vd;
	struct virtqueue inflate_vq, deflate_vq, stats_vq;
	spinlock_t lock;
	bool stats;		/* STATS_VQ negotiated */
	u32 held;		/* pages in the balloon, the actual we write */
	u32 num_pages;		/* the device's last request */
	u32 target;
	u32 limited_for;	/* the request the last "cannot give" line was for */
	u32 oom_hold;		/* the request at the last OOM deflate: not re-inflated to */
	bool oom_held;
	phys_addr_t list;	/* top index page, or 0 */
	bool config_read;	/* num_pages read once */
	u64 config_seen;	/* vd->config_changes when num_pages was last read */
	u64 stats_answered;
	u32 pfns[BALLOON_BATCH] __aligned(BALLOON_BATCH * sizeof(u32));
	phys_addr_t batch[BALLOON_BATCH];
	struct virtio_balloon_stat stat[NR_STATS] __aligned(32);
};

static struct balloon balloon;

bool virtio_balloon_running(void)
{
	return balloon.vd && !balloon.vd->failed;
}

static struct balloon_list *list_page(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

/* Record @pa as ballooned: 0, or -1 when no index page can be had. */
static int list_push(struct balloon *b, phys_addr_t pa)
{
	struct balloon_list *l = b->list ? list_page(b->list) : NULL;
	phys_addr_t page;

	if (!l || l->nr == ARRAY_SIZE(l->frames)) {
		page = alloc_pages(0);
		if (!page)
			return -1;
		l = list_page(page);
		l->next = b->list;
		l->nr = 0;
		b->list = page;
	}
	l->frames[l->nr++] = pa;
	return 0;
}

/* The latest ballooned frame off the list, or 0 when it is empty. */
static phys_addr_t list_pop(struct balloon *b)
{
	struct balloon_list *l;
	phys_addr_t pa, empty;

	if (!b->list)
		return 0;
	l = list_page(b->list);
	pa = l->frames[--l->nr];
	if (!l->nr) {
		empty = b->list;
		b->list = l->next;
		free_pages(empty, 0);
	}
	return pa;
}

/* The one place the driver waits for the device. */
static int wait_used(struct balloon *b, struct virtqueue *vq, void *token)
{
	u32 len;

	return virtio_wait_used(b->vd, vq, &len, BALLOON_TIMEOUT_NS) == token ? 0 : -1;
}

/* Hand the first @n frame numbers to queue @idx and wait for the device. */
static int tell(struct balloon *b, unsigned int idx, struct virtqueue *vq, unsigned int n)
{
	struct vq_buf buf = { dma_addr(b->pfns), n * sizeof(u32), false };

	if (virtio_add_and_kick(b->vd, idx, vq, &buf, 1, b->pfns))
		return -1;
	return wait_used(b, vq, b->pfns);
}

static void write_actual(struct balloon *b)
{
	u32 actual = b->held;

	virtio_write_config(b->vd, offsetof(struct virtio_balloon_config, actual),
			    &actual, sizeof(actual));
}

/* Frame number of @pa for the device: 0 and a failed device past 32 bits. */
static u32 device_pfn(struct balloon *b, phys_addr_t pa)
{
	u64 pfn = dma_addr(phys_to_virt(pa)) >> VIRTIO_BALLOON_PFN_SHIFT;

	if (pfn > 0xffffffffULL) {
		virtio_fail(b->vd, "frame %#llx is beyond the 32-bit frame numbers",
			    (unsigned long long)pa);
		return 0;
	}
	return pfn;
}

/*
 * Up to @n pages into the balloon: how many went. They join the list only
 * once the device took them, so a restart in the wait (which gives back
 * what the list holds) never sees them. No MUST_TELL_HOST: pages the
 * device may have seen, or that find no room on the list, can be reused.
 */
static unsigned int inflate(struct balloon *b, unsigned int n)
{
	unsigned int got = 0, kept = 0, i;
	phys_addr_t pa;

	while (got < n && (pa = alloc_pages(0))) {
		b->pfns[got] = device_pfn(b, pa);
		if (!b->pfns[got]) {
			free_pages(pa, 0);
			break;
		}
		b->batch[got++] = pa;
	}
	if (got && tell(b, INFLATE_VQ, &b->inflate_vq, got)) {
		for (i = 0; i < got; i++)
			free_pages(b->batch[i], 0);
		return 0;
	}
	for (i = 0; i < got; i++) {
		if (list_push(b, b->batch[i]))
			free_pages(b->batch[i], 0);
		else
			kept++;
	}
	b->held += kept;
	write_actual(b);
	return kept;
}

/*
 * Up to @n pages out of the balloon, the device told first: how many.
 * They leave the count before the wait, as they left the list.
 */
static unsigned int deflate(struct balloon *b, unsigned int n)
{
	unsigned int got = 0, i;

	while (got < n && got < b->held) {
		b->batch[got] = list_pop(b);
		b->pfns[got] = device_pfn(b, b->batch[got]);
		got++;
	}
	b->held -= got;
	if (got)
		tell(b, DEFLATE_VQ, &b->deflate_vq, got);
	for (i = 0; i < got; i++)
		free_pages(b->batch[i], 0);
	write_actual(b);
	return got;
}

static void set_stat(struct virtio_balloon_stat *s, u16 tag, u64 val)
{
	s->tag = tag;
	s->val = val;
}

/* Fresh statistics into the stats queue's one buffer. */
static int give_stats(struct balloon *b)
{
	u64 free = page_alloc_free_pages() * PAGE_SIZE;
	struct vq_buf buf = { dma_addr(b->stat), sizeof(b->stat), false };

	set_stat(&b->stat[0], VIRTIO_BALLOON_S_MEMFREE, free);
	set_stat(&b->stat[1], VIRTIO_BALLOON_S_MEMTOT, mm_total_ram());
	set_stat(&b->stat[2], VIRTIO_BALLOON_S_AVAIL, free);
	return virtio_add_and_kick(b->vd, STATS_VQ, &b->stats_vq, &buf, 1, b->stat);
}

/* The device returns the stats buffer when it wants new figures. */
static void answer_stats(struct balloon *b)
{
	void *token;
	u32 len;

	if (!b->stats)
		return;
	token = vq_get_used(&b->stats_vq, &len);
	if (b->stats_vq.broken) {
		virtio_fail(b->vd, "%s", b->stats_vq.broken);
		return;
	}
	if (!token)
		return;
	b->stats_answered++;
	give_stats(b);
}

static int read_u32(struct balloon *b, unsigned int offset, u32 *v)
{
	return virtio_config_read(b->vd, offset, v, sizeof(*v));
}

/*
 * Whether num_pages may differ from what was read last: a
 * configuration-change interrupt came since (the count is taken before
 * the read, so one during it is not lost), or the device has no
 * interrupt to say so.
 */
static bool config_may_have_changed(struct balloon *b)
{
	u64 n = __atomic_load_n(&b->vd->config_changes, __ATOMIC_ACQUIRE);

	if (b->config_read && n == b->config_seen && b->vd->irq_mode != VIRTIO_IRQ_NONE)
		return false;
	b->config_seen = n;
	b->config_read = true;
	return true;
}

/* What to hold for the device's request: bounded by memory and by an OOM hold. */
static u32 choose_target(struct balloon *b)
{
	u64 reserve = balloon_reserve(page_alloc_frames());
	u32 target = balloon_target(b->num_pages, b->held, page_alloc_free_pages(), reserve);

	if (b->oom_held && b->num_pages == b->oom_hold)
		return MIN(target, b->held);
	b->oom_held = false;
	if (target < b->num_pages && b->limited_for != b->num_pages) {
		b->limited_for = b->num_pages;
		pr_warn("virtio: balloon %s: asked for %u pages, %u can be given (keeping %llu free); stopping there\n",
			b->vd->name, b->num_pages, target, (unsigned long long)reserve);
	}
	return target;
}

/* Step to the target; stops early when memory or the device gives out. */
static void follow(struct balloon *b)
{
	int step;

	while (!b->vd->failed && (step = balloon_step(b->target, b->held, BALLOON_BATCH))) {
		if (step > 0 && inflate(b, step) < (unsigned int)step)
			break;
		if (step < 0 && !deflate(b, -step))
			break;
	}
}

int virtio_balloon_update(void)
{
	struct balloon *b = &balloon;

	if (!b->vd || b->vd->failed)
		return -1;
	spin_lock(&b->lock);
	if (virtio_reset_asked(b->vd))
		virtio_needs_reset(b->vd);
	answer_stats(b);
	if (!config_may_have_changed(b) ||
	    !read_u32(b, offsetof(struct virtio_balloon_config, num_pages), &b->num_pages)) {
		b->target = choose_target(b);
		follow(b);
	}
	spin_unlock(&b->lock);
	return b->vd->failed ? -1 : 0;
}

int virtio_balloon_status(struct balloon_status *s)
{
	struct balloon *b = &balloon;

	memset(s, 0, sizeof(*s));
	if (!b->vd)
		return -1;
	spin_lock(&b->lock);
	s->config_changes = __atomic_load_n(&b->vd->config_changes, __ATOMIC_ACQUIRE);
	s->polled = b->vd->irq_mode == VIRTIO_IRQ_NONE;
	read_u32(b, offsetof(struct virtio_balloon_config, num_pages), &s->num_pages);
	read_u32(b, offsetof(struct virtio_balloon_config, actual), &s->actual);
	s->followed = b->num_pages;
	s->held = b->held;
	s->target = b->target;
	s->stats_answered = b->stats_answered;
	s->deflate_on_oom = b->vd->features & (1ULL << VIRTIO_BALLOON_F_DEFLATE_ON_OOM);
	s->failed = b->vd->failed;
	s->restarts = b->vd->restarts;
	spin_unlock(&b->lock);
	return s->failed ? -1 : 0;
}

struct virtio_device *virtio_balloon_device(void)
{
	return balloon.vd;
}

u64 virtio_balloon_irqs(void)
{
	return balloon.vd ? __atomic_load_n(&balloon.vd->irqs, __ATOMIC_ACQUIRE) : 0;
}

bool virtio_balloon_wait(u64 seen, u64 timeout_ns)
{
	return balloon.vd && virtio_wait_irq(balloon.vd, seen, timeout_ns);
}

unsigned int virtio_balloon_frames(phys_addr_t *out, unsigned int max)
{
	struct balloon *b = &balloon;
	struct balloon_list *l;
	unsigned int n = 0;
	phys_addr_t pa;

	spin_lock(&b->lock);
	for (pa = b->list; pa && n < max; pa = l->next) {
		l = list_page(pa);
		while (n < max && n < l->nr) {
			out[n] = l->frames[l->nr - 1 - n];
			n++;
		}
	}
	spin_unlock(&b->lock);
	return n;
}

/*
 * DEFLATE_ON_OOM (5.5.6.1): the allocator found nothing free; give back a
 * batch or more, and hold at that size until the device asks anew. The
 * balloon busy (its own inflate failing) gives nothing.
 */
static u64 reclaim(u64 pages)
{
	struct balloon *b = &balloon;
	u64 freed = 0;

	if (!spin_trylock(&b->lock))
		return 0;
	while (freed < pages && b->held && !b->vd->failed)
		freed += deflate(b, BALLOON_BATCH);
	if (freed) {
		b->oom_held = true;
		b->oom_hold = b->num_pages;
		b->target = b->held;
	}
	spin_unlock(&b->lock);
	if (freed)
		pr_warn("virtio: balloon %s: memory ran out; gave back %llu pages (DEFLATE_ON_OOM)\n",
			b->vd->name, (unsigned long long)freed);
	return freed;
}

/* The queues, DRIVER_OK, the stats buffer posted, actual written. */
static int start(struct balloon *b)
{
	struct virtio_device *vd = b->vd;

	if (virtio_setup_vq(vd, INFLATE_VQ, &b->inflate_vq, BALLOON_QUEUE_SIZE) ||
	    virtio_setup_vq(vd, DEFLATE_VQ, &b->deflate_vq, BALLOON_QUEUE_SIZE) ||
	    (b->stats && virtio_setup_vq(vd, STATS_VQ, &b->stats_vq, BALLOON_QUEUE_SIZE)))
		return -1;
	virtio_ready(vd);
	if (b->stats && give_stats(b))
		return -1;
	write_actual(b);
	return vd->failed ? -1 : 0;
}

/* Every page the balloon holds back to the allocator, and its index pages. */
static void give_back_all(struct balloon *b)
{
	while (b->held) {
		free_pages(list_pop(b), 0);
		b->held--;
	}
}

/*
 * From a wait or virtio_balloon_update, the lock held. The device, reset,
 * holds none of the pages it was given (QEMU keeps no list of them), so
 * the driver gives them all back to the allocator (no MUST_TELL_HOST: it
 * may reuse them untold) and starts again from actual 0: the same
 * features (else it fails), the queues, the stats buffer posted again,
 * actual written; num_pages is read again at the next update, which
 * inflates to it anew. An OOM hold is dropped with the pages.
 */
int virtio_balloon_restart(struct virtio_device *vd)
{
	struct balloon *b = &balloon;
	u64 had = vd->features;

	if (vd != b->vd)
		return -1;
	give_back_all(b);
	b->oom_held = false;
	b->config_read = false;
	if (virtio_start(vd, WANTED_FEATURES))
		return -1;
	if (vd->features != had) {
		virtio_fail(vd, "features %#llx after a reset, %#llx before",
			    (unsigned long long)vd->features, (unsigned long long)had);
		return -1;
	}
	return start(b);
}

int virtio_balloon_probe(struct virtio_device *vd)
{
	struct balloon *b = &balloon;

	if (b->vd) {
		pr_info("virtio: balloon %s: a second balloon; ignored\n", vd->name);
		return -1;
	}
	b->vd = vd;
	if (virtio_start(vd, WANTED_FEATURES))
		return -1;
	b->stats = vd->features & (1ULL << VIRTIO_BALLOON_F_STATS_VQ);
	if (vd->features & (1ULL << VIRTIO_BALLOON_F_DEFLATE_ON_OOM))
		page_alloc_set_reclaim(reclaim);
	return start(b);
}

int virtio_balloon_send_misordered(void)
{
	struct balloon *b = &balloon;
	int rc;

	if (!virtio_balloon_running())
		return -1;
	spin_lock(&b->lock);
	/* Past any RAM: a device that took the chain after all would skip it. */
	b->pfns[0] = b->pfns[1] = 0xffffffff;
	rc = virtio_send_misordered(b->vd, INFLATE_VQ, &b->inflate_vq, b->pfns,
				    2 * sizeof(u32), BALLOON_TIMEOUT_NS);
	spin_unlock(&b->lock);
	return rc;
}
