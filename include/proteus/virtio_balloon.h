/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-balloon (virtio 1.2, 5.5): the device asks for num_pages 4 KiB
 * pages; the driver takes them from the page allocator, hands their frame
 * numbers (bus addresses >> 12) over the inflate queue, and reports how
 * many it holds in actual; the deflate queue gives them back. The stats
 * queue answers the device's requests with free and total memory. With
 * DEFLATE_ON_OOM the allocator's failure path deflates first. ABI:
 * linux/virtio_balloon.h.
 */
#ifndef PROTEUS_VIRTIO_BALLOON_H
#define PROTEUS_VIRTIO_BALLOON_H

#include <proteus/types.h>

struct virtio_device;

/* Frames the balloon always leaves free, whatever the device asks: 1 MiB. */
#define BALLOON_MIN_RESERVE	256

/*
 * Frames to keep free when the allocator spans @total_pages: an eighth,
 * BALLOON_MIN_RESERVE at least.
 */
u64 balloon_reserve(u64 total_pages);

/*
 * How many pages the balloon should hold when the device asks for
 * @num_pages, it holds @actual and @free_pages are free: as many as asked,
 * but never so many that fewer than @reserve stay free.
 */
u32 balloon_target(u32 num_pages, u32 actual, u64 free_pages, u64 reserve);

/*
 * The next step from @actual to @target, at most @batch pages: > 0 to
 * inflate by, < 0 to deflate by, 0 when there.
 */
int balloon_step(u32 target, u32 actual, unsigned int batch);

int virtio_balloon_probe(struct virtio_device *vd);
int virtio_balloon_restart(struct virtio_device *vd);
/* For the selftests: virtio_send_misordered on the inflate queue. */
int virtio_balloon_send_misordered(void);

/* Whether a balloon device runs (the first found; more get a line). */
bool virtio_balloon_running(void);

/*
 * Follow the device once: answer a returned stats buffer, read num_pages
 * if a configuration-change interrupt came since it was last read (or
 * the device has none), inflate or deflate to it (as far as memory
 * allows), write actual. 0, or -1 when the device failed.
 */
int virtio_balloon_update(void);

struct balloon_status {
	u32 num_pages;		/* the device's request, read now */
	u32 followed;		/* the request the driver's target is for */
	u32 actual;		/* the device's actual, read back now */
	u32 held;		/* pages the driver holds */
	u32 target;		/* what the driver aims for */
	u64 stats_answered;	/* stats buffers the device got back */
	bool deflate_on_oom;	/* DEFLATE_ON_OOM negotiated: the allocator's reclaimer */
	u64 config_changes;	/* the device's configuration-change interrupts */
	bool polled;		/* it has no interrupt */
	bool failed;
	unsigned int restarts;	/* DEVICE_NEEDS_RESET answered by a restart */
};

/* The balloon as the device and the driver see it now: 0, or -1. */
int virtio_balloon_status(struct balloon_status *s);

/* The balloon device driven, or NULL. */
struct virtio_device *virtio_balloon_device(void);

/* Interrupts the balloon device brought so far (for virtio_balloon_wait). */
u64 virtio_balloon_irqs(void);
/*
 * Halt until the balloon device interrupts after @seen (virtio_balloon_irqs
 * read before the caller last looked: a configuration change, a stats
 * buffer returned), up to @timeout_ns: whether it did (virtio_wait_irq).
 */
bool virtio_balloon_wait(u64 seen, u64 timeout_ns);

/* Up to @max of the frames the balloon holds, the latest taken first. */
unsigned int virtio_balloon_frames(phys_addr_t *out, unsigned int max);

#endif
