// SPDX-License-Identifier: GPL-2.0
/*
 * Virtio device interrupts, transport-independent: lines (a PCI INTx
 * GSI, shared by the devices whose pins the platform routes to it, or a
 * virtio-mmio device's own line) bound through the bind_device_irq op,
 * their handler reading each device's interrupt status (the transport's
 * irq_status, which also lowers the line), and the interrupt-driven wait
 * for used buffers.
 *
 * MSI-X vectors get a slot each: no status to read, the vector says it.
 *
 * A handler gets no argument of its own (irq_handler_t), so each line
 * slot has a small handler of its own that names the slot.
 *
 * A line that keeps firing while its devices make no progress (a status
 * never acknowledged keeps a level line up, and after each EOI the line
 * fires again) would starve the CPU: past VIRTIO_IRQ_STORM interrupts
 * with no buffer made available or taken back by the core in between
 * (virtio_irq_progress), its devices are failed and reset (a reset clears
 * the status and so lowers the line), with a line, instead of a hang.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include <proteus/virtio.h>

/* Room for qemu-tcg's dozen devices: two MSI-X vectors each, or shared GSIs. */
#define VIRTIO_IRQ_LINES	32
#define VIRTIO_DEVS_PER_LINE	8
/*
 * Legitimate interrupts between two buffers added or taken: at most one
 * per buffer in flight (VQ_MAX_SIZE) and a config change, per device.
 */
#define VIRTIO_IRQ_STORM	1000
/* The longest halt between looks at the ring. */
#define VIRTIO_WAIT_SLICE_NS	(10 * NSEC_PER_MSEC)
/* How long the tick of a slice armed and then forced may take to come. */
#define VIRTIO_DROP_WAIT_NS	(1000 * NSEC_PER_MSEC)

struct virtio_line {
	struct device_irq irq;
	bool bound;
	unsigned int nr_devs;
	struct virtio_device *devs[VIRTIO_DEVS_PER_LINE];
	u64 since_progress;		/* interrupts since a buffer was added or taken */
	unsigned int cpu;		/* where bind_device_irq sent it */
};

static struct virtio_line lines[VIRTIO_IRQ_LINES];

void virtio_interrupt(struct virtio_device *vd)
{
	__atomic_add_fetch(&vd->irqs, 1, __ATOMIC_RELEASE);
}

/* Counted before the interrupt itself, so a waiter woken by it sees both. */
static void config_changed(struct virtio_device *vd)
{
	__atomic_add_fetch(&vd->config_changes, 1, __ATOMIC_RELEASE);
}

/*
 * QEMU answers a device error (virtio_error) with DEVICE_NEEDS_RESET and
 * a configuration interrupt, and from then on an acknowledge clears a
 * virtio-mmio device's InterruptStatus without lowering its line, until
 * the device is reset: measured on QEMU 7.2, InterruptStatus 0, status
 * 0x4f, and the storm guard's 1000 interrupts before any wait could run.
 * So a configuration interrupt that comes with DEVICE_NEEDS_RESET resets
 * the device here, which lowers the line; the waits see reset_status and
 * start it again (virtio_needs_reset).
 */
static void reset_if_asked(struct virtio_device *vd)
{
	u8 s = vd->t->get_status(vd);

	if (!(s & VIRTIO_CONFIG_S_NEEDS_RESET))
		return;
	__atomic_store_n(&vd->reset_status, s, __ATOMIC_RELEASE);
	vd->t->set_status(vd, 0);
}

static void storm(struct virtio_line *l)
{
	unsigned int i;

	for (i = 0; i < l->nr_devs; i++) {
		struct virtio_device *vd = l->devs[i];

		virtio_fail(vd, "interrupt storm on GSI %u: %u interrupts, no buffer used; reset",
			    l->irq.gsi, VIRTIO_IRQ_STORM);
		vd->t->set_status(vd, 0);
	}
}

static void line_interrupt(unsigned int slot)
{
	struct virtio_line *l = &lines[slot];
	unsigned int i;

	if (l->irq.type == DEVICE_IRQ_MSI) {
		if (!l->irq.msix_entry)
			config_changed(l->devs[0]);
		virtio_interrupt(l->devs[0]);
		return;
	}
	if (++l->since_progress > VIRTIO_IRQ_STORM) {
		storm(l);
		return;
	}
	for (i = 0; i < l->nr_devs; i++) {
		struct virtio_device *vd = l->devs[i];
		u8 status = vd->t->irq_status(vd);

		if (status & VIRTIO_IRQ_CONFIG) {
			reset_if_asked(vd);
			config_changed(vd);
		}
		if (status)
			virtio_interrupt(vd);
	}
}

#define LINE_HANDLER(n) \
	static void line_handler_##n(struct pt_regs *regs) { line_interrupt(n); }
LINE_HANDLER(0) LINE_HANDLER(1) LINE_HANDLER(2) LINE_HANDLER(3)
LINE_HANDLER(4) LINE_HANDLER(5) LINE_HANDLER(6) LINE_HANDLER(7)
LINE_HANDLER(8) LINE_HANDLER(9) LINE_HANDLER(10) LINE_HANDLER(11)
LINE_HANDLER(12) LINE_HANDLER(13) LINE_HANDLER(14) LINE_HANDLER(15)
LINE_HANDLER(16) LINE_HANDLER(17) LINE_HANDLER(18) LINE_HANDLER(19)
LINE_HANDLER(20) LINE_HANDLER(21) LINE_HANDLER(22) LINE_HANDLER(23)
LINE_HANDLER(24) LINE_HANDLER(25) LINE_HANDLER(26) LINE_HANDLER(27)
LINE_HANDLER(28) LINE_HANDLER(29) LINE_HANDLER(30) LINE_HANDLER(31)

static const irq_handler_t line_handlers[VIRTIO_IRQ_LINES] = {
	line_handler_0, line_handler_1, line_handler_2, line_handler_3,
	line_handler_4, line_handler_5, line_handler_6, line_handler_7,
	line_handler_8, line_handler_9, line_handler_10, line_handler_11,
	line_handler_12, line_handler_13, line_handler_14, line_handler_15,
	line_handler_16, line_handler_17, line_handler_18, line_handler_19,
	line_handler_20, line_handler_21, line_handler_22, line_handler_23,
	line_handler_24, line_handler_25, line_handler_26, line_handler_27,
	line_handler_28, line_handler_29, line_handler_30, line_handler_31,
};

void virtio_irq_none(struct virtio_device *vd, const char *why)
{
	vd->irq_mode = VIRTIO_IRQ_NONE;
	vd->irq_why = why;
	vd->irq_line = -1;
	strlcpy(vd->irq_name, "polled", sizeof(vd->irq_name));
	pr_warn("virtio: %s %s: no interrupt (%s); polled\n", virtio_type_name(vd->id),
		vd->name, why);
}

/*
 * The slot already bound to @gsi, else a free one (bound = false); NULL
 * if none. MSI slots (gsi ~0) are never shared.
 */
static struct virtio_line *find_line(u32 gsi)
{
	struct virtio_line *free = NULL;
	unsigned int i;

	for (i = 0; i < VIRTIO_IRQ_LINES; i++) {
		if (lines[i].bound && lines[i].irq.gsi == gsi && gsi != ~0U)
			return &lines[i];
		if (!lines[i].bound && !free)
			free = &lines[i];
	}
	return free;
}

/* Add @vd to @l with interrupts off: the handler walks devs[]. */
static void attach(struct virtio_line *l, struct virtio_device *vd)
{
	u64 flags = irq_save();

	l->devs[l->nr_devs++] = vd;
	restore_flags(flags);
}

int virtio_irq_bind_line(struct virtio_device *vd, u32 gsi, u32 flags,
			 enum virtio_irq_mode mode, const char *name)
{
	struct virtio_line *l = find_line(gsi);
	int rc;

	if (!l || l->nr_devs == VIRTIO_DEVS_PER_LINE) {
		virtio_irq_none(vd, "no free virtio interrupt line");
		return -1;
	}
	if (!l->bound) {
		l->irq = (struct device_irq){
			.type = DEVICE_IRQ_GSI, .gsi = gsi, .flags = flags,
			.handler = line_handlers[l - lines],
		};
		l->nr_devs = 0;
		rc = bind_device_irq(&l->irq);
		if (rc) {
			virtio_irq_none(vd, "bind_device_irq refused its GSI");
			return -1;
		}
		l->cpu = smp_processor_id();
		l->bound = true;
	}
	vd->irq_mode = mode;
	vd->irq_line = (int)(l - lines);
	vd->irq_cpu = l->cpu;
	strlcpy(vd->irq_name, name, sizeof(vd->irq_name));
	attach(l, vd);
	return 0;
}

int virtio_irq_bind_vector(struct virtio_device *vd, struct device_irq *msi)
{
	struct virtio_line *l = find_line(~0U);

	if (!l || l->bound)
		return -1;
	l->irq = *msi;
	l->irq.type = DEVICE_IRQ_MSI;
	l->irq.gsi = ~0U;
	l->irq.handler = line_handlers[l - lines];
	l->devs[0] = vd;
	l->nr_devs = 1;
	if (bind_device_irq(&l->irq))
		return -1;
	l->bound = true;
	*msi = l->irq;
	vd->irq_cpu = smp_processor_id();
	return 0;
}

void virtio_irq_unbind_vectors(struct virtio_device *vd)
{
	unsigned int i;

	for (i = 0; i < VIRTIO_IRQ_LINES; i++) {
		struct virtio_line *l = &lines[i];

		if (l->bound && l->irq.type == DEVICE_IRQ_MSI && l->devs[0] == vd) {
			unbind_device_irq(&l->irq);
			l->bound = false;
			l->nr_devs = 0;
		}
	}
}

void virtio_irq_set_mode(struct virtio_device *vd, enum virtio_irq_mode mode,
			 const char *name)
{
	vd->irq_mode = mode;
	vd->irq_line = -1;
	strlcpy(vd->irq_name, name, sizeof(vd->irq_name));
}

void virtio_irq_progress(struct virtio_device *vd)
{
	if (vd->irq_line >= 0)
		__atomic_store_n(&lines[vd->irq_line].since_progress, 0, __ATOMIC_RELAXED);
}

/*
 * A wait's halts: interrupts off around the whole wait, and the timer
 * slice it armed last, to be dropped at the end (drop_slice).
 */
struct irq_sleep {
	u64 flags;
	u64 armed_at;		/* the timer count when the slice was armed */
	bool armed;
};

/*
 * With interrupts off: halt until an interrupt, unless one came for @vd
 * since @seen. A timer slice is armed when none is, so the halt ends
 * even if the device never interrupts; on another CPU than the one its
 * interrupts go to, without a timer, or for a device without an
 * interrupt (polled), it only pauses.
 */
static void sleep_until_irq(struct virtio_device *vd, u64 seen, u64 left_ns,
			    struct irq_sleep *s)
{
	bool here = vd->irq_mode != VIRTIO_IRQ_NONE && vd->irq_cpu == smp_processor_id();
	u64 count;

	if (__atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE) != seen)
		return;
	if (here && !timer_oneshot_pending()) {
		count = timer_irq_count();
		if (!timer_set_oneshot(MIN(left_ns, VIRTIO_WAIT_SLICE_NS))) {
			s->armed_at = count;
			s->armed = true;
		}
	}
	if (here && timer_oneshot_pending()) {
		safe_halt();
	} else {
		irq_enable();
		cpu_relax();
	}
	irq_disable();
}

/*
 * A slice of ours that has not ticked yet would tick into someone else's
 * timer_wait later (a timer test would see a tick it did not ask for):
 * fire it now and take its tick here. The tick comes when QEMU's timer
 * thread runs, which a loaded host can hold back far longer than the
 * slice (irq.timer_wakes_halt once saw a 10 ms wait here end first and
 * the tick land in its own 1 ms): wait up to VIRTIO_DROP_WAIT_NS.
 */
static void drop_slice(u64 armed_at)
{
	if (timer_irq_count() != armed_at)
		return;
	if (timer_oneshot_pending())
		timer_set_oneshot(1);
	if (!timer_wait(armed_at, VIRTIO_DROP_WAIT_NS))
		pr_warn("virtio: a wait's timer slice never ticked in %u ms\n",
			(unsigned int)(VIRTIO_DROP_WAIT_NS / NSEC_PER_MSEC));
}

static void sleep_begin(struct irq_sleep *s)
{
	*s = (struct irq_sleep){ .flags = irq_save() };
}

static void sleep_end(struct irq_sleep *s)
{
	if (s->armed)
		drop_slice(s->armed_at);
	restore_flags(s->flags);
}

/*
 * The wait of virtio_wait_used and virtio_wait_used_quiet (@quiet: the
 * timeout is no fault), polled devices included: for those each round
 * is a pause and a look at the ring and the status.
 */
static void *wait_used(struct virtio_device *vd, struct virtqueue *vq, u32 *len,
		       u64 timeout_ns, bool quiet)
{
	u64 start = sched_clock(), elapsed, seen;
	struct irq_sleep s;
	void *token = NULL;

	sleep_begin(&s);
	while (!vd->failed) {
		seen = __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE);
		token = vq_get_used(vq, len);
		if (token) {
			virtio_irq_progress(vd);
			vd->restarts_in_row = 0;
			break;
		}
		if (vq->broken) {
			virtio_fail(vd, "%s", vq->broken);
			break;
		}
		/* A device that needs a reset answers nothing more: restarted, and NULL. */
		if (virtio_reset_asked(vd)) {
			virtio_needs_reset(vd);
			break;
		}
		elapsed = sched_clock() - start;
		if (elapsed > timeout_ns) {
			if (!quiet)
				virtio_fail(vd, "no buffer returned in %llu ms",
					    (unsigned long long)(timeout_ns / NSEC_PER_MSEC));
			break;
		}
		sleep_until_irq(vd, seen, timeout_ns - elapsed + 1, &s);
	}
	sleep_end(&s);
	return token;
}

void *virtio_wait_used(struct virtio_device *vd, struct virtqueue *vq,
		       u32 *len, u64 timeout_ns)
{
	return wait_used(vd, vq, len, timeout_ns, false);
}

void *virtio_wait_used_quiet(struct virtio_device *vd, struct virtqueue *vq,
			     u32 *len, u64 timeout_ns)
{
	return wait_used(vd, vq, len, timeout_ns, true);
}

bool virtio_wait_irq(struct virtio_device *vd, u64 seen, u64 timeout_ns)
{
	u64 start = sched_clock(), elapsed;
	struct irq_sleep s;
	bool came;

	if (vd->irq_mode == VIRTIO_IRQ_NONE)
		timeout_ns = MIN(timeout_ns, VIRTIO_IRQ_PAUSE_NS);
	sleep_begin(&s);
	while (!(came = __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE) != seen)) {
		elapsed = sched_clock() - start;
		if (elapsed > timeout_ns)
			break;
		sleep_until_irq(vd, seen, timeout_ns - elapsed + 1, &s);
	}
	sleep_end(&s);
	return came;
}
