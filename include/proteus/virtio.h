/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtio core (virtio 1.2): a device behind a transport, the status
 * handshake and feature negotiation (3.1), queues set up over pages whose
 * bus addresses come from the dma_addr op. Drivers call virtio_start,
 * virtio_setup_vq per queue, virtio_ready; any error on the way sets
 * FAILED with a line that says why. ABI: linux/virtio_config.h,
 * virtio_ids.h, virtio_ring.h.
 */
#ifndef PROTEUS_VIRTIO_H
#define PROTEUS_VIRTIO_H

#include <linux/virtio_config.h>
#include <proteus/compiler.h>
#include <proteus/types.h>
#include <proteus/virtqueue.h>

struct virtio_device;

/**
 * struct virtio_transport - how the core reaches one kind of device
 * @get_status: the device status byte.
 * @set_status: write it (0 resets the device).
 * @get_features: the 64 feature bits the device offers.
 * @set_features: the bits the driver accepts.
 * @queue_max: the largest size queue @idx takes; 0: no such queue.
 * @queue_enable: give queue @idx its size and areas' bus addresses and
 *	enable it (split: descriptors, available, used; packed: descriptors,
 *	driver event, device event, in the same registers); -1 with a
 *	message when the device's layout forbids it.
 * @notify: tell the device queue @idx has new buffers.
 * @set_config: write @len bytes from @buf at @offset (aligned 32-bit
 *	words as one access); -1 when they reach past what the device has.
 * @config_read: @width (1, 2 or 4) bytes of the device-specific
 *	configuration at @off, inside vd->config_len (the core checks).
 * @generation: config_generation (virtio 1.2, 2.5.1); NULL where the
 *	interface has none (legacy): the core then reads twice and compares.
 * @irq_status: read and acknowledge the interrupt status (PCI: the ISR
 *	byte, whose read lowers INTx; MMIO: InterruptStatus, written back to
 *	InterruptACK): VIRTIO_IRQ_QUEUE | VIRTIO_IRQ_CONFIG bits. From the
 *	line's handler; NULL where every interrupt is a vector of its own.
 */
struct virtio_transport {
	u8 (*get_status)(struct virtio_device *vd);
	void (*set_status)(struct virtio_device *vd, u8 status);
	u64 (*get_features)(struct virtio_device *vd);
	void (*set_features)(struct virtio_device *vd, u64 features);
	u16 (*queue_max)(struct virtio_device *vd, unsigned int idx);
	int (*queue_enable)(struct virtio_device *vd, unsigned int idx, u16 num,
			    u64 desc, u64 avail, u64 used);
	void (*notify)(struct virtio_device *vd, unsigned int idx);
	int (*set_config)(struct virtio_device *vd, unsigned int offset, const void *buf,
			  unsigned int len);
	u32 (*config_read)(struct virtio_device *vd, unsigned int off,
			   unsigned int width);
	u32 (*generation)(struct virtio_device *vd);
	u8 (*irq_status)(struct virtio_device *vd);
};

/* Interrupt status bits (virtio 1.2, 4.1.4.5 and 4.2.2: the same in both). */
#define VIRTIO_IRQ_QUEUE	0x1
#define VIRTIO_IRQ_CONFIG	0x2

/* How a device interrupts: what it offers, and what the driver took. */
enum virtio_irq_mode {
	VIRTIO_IRQ_NONE,	/* polled */
	VIRTIO_IRQ_INTX,	/* PCI INTx line + ISR */
	VIRTIO_IRQ_MSIX,	/* PCI MSI-X vectors */
	VIRTIO_IRQ_MMIO,	/* virtio-mmio's line + InterruptStatus */
};

struct virtio_device {
	char name[16];			/* "0000:00:04.0" */
	const char *mode;		/* "modern", "transitional", "legacy", "mmio" */
	bool legacy;			/* 32 feature bits, no FEATURES_OK, fixed contiguous queues */
	u32 id;				/* VIRTIO_ID_* */
	const struct virtio_transport *t;
	void *priv;			/* the transport's */
	u64 offered;			/* features the device offered */
	u64 features;			/* accepted */
	unsigned int nr_queues;
	u32 config_len;			/* bytes of device-specific configuration */
	char detail[48];		/* the driver's end of the boot line */
	u16 max_chain;			/* the driver's longest chain (0: VQ_INDIRECT_DEFAULT) */
	bool failed;
	unsigned int restarts;		/* DEVICE_NEEDS_RESET answered by a reset and restart */
	unsigned int restarts_in_row;	/* of them with no buffer returned since */
	u8 reset_status;		/* a NEEDS_RESET status its line's handler reset; 0: none */
	/* Interrupts (virtio_irq.c): set by the transport before the driver runs. */
	enum virtio_irq_mode irq_offered, irq_mode;
	const char *irq_why;		/* why irq_mode is not irq_offered */
	char irq_name[16];		/* "msix", "intx", "irq=5", "polled" */
	int irq_line;			/* virtio_irq.c's line or vector slot; -1: none */
	unsigned int irq_cpu;		/* where its interrupts arrive */
	u64 irqs;			/* interrupts taken for it */
	u64 notifies;			/* queue notifications (kicks) sent to it */
	/*
	 * Configuration-change interrupts (VIRTIO_IRQ_CONFIG in the status;
	 * under MSI-X the config vector, entry 0, which a single-vector
	 * device shares with its queues): a driver that remembers the count
	 * rereads its configuration only when it moved.
	 */
	u64 config_changes;
};

/*
 * Feature bits the core accepts whatever the driver: VERSION_1,
 * ACCESS_PLATFORM, and the rings' EVENT_IDX, INDIRECT_DESC and
 * RING_PACKED (virtqueue.h).
 */
#define VIRTIO_CORE_FEATURES	((1ULL << VIRTIO_F_VERSION_1) | \
				 (1ULL << VIRTIO_F_ACCESS_PLATFORM) | \
				 (1ULL << VIRTIO_RING_F_EVENT_IDX) | \
				 (1ULL << VIRTIO_RING_F_INDIRECT_DESC) | \
				 (1ULL << VIRTIO_F_RING_PACKED))
/* What a legacy device (32 bits, split ring only) gets of them. */
#define VIRTIO_CORE_LEGACY_FEATURES	((1ULL << VIRTIO_RING_F_EVENT_IDX) | \
					 (1ULL << VIRTIO_RING_F_INDIRECT_DESC))

/*
 * The bits to accept from @offered for a driver that knows @wanted:
 * only known bits; VERSION_1 required unless @legacy (whose 32 bits
 * cannot hold it). Returns 0 and fills *@accepted, or -1 with *@why.
 */
int virtio_negotiate(u64 offered, u64 wanted, bool legacy, u64 *accepted,
		     const char **why);

/* The ring kind @vd's queues use: "packed" or "split". */
const char *virtio_ring_kind(const struct virtio_device *vd);

/* A name for device type @id ("rng"), or "unknown". */
const char *virtio_type_name(u32 id);

/*
 * Reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK read back (legacy
 * devices have no FEATURES_OK): 0 or -1.
 */
int virtio_start(struct virtio_device *vd, u64 wanted);

/*
 * Queue @idx of up to @want entries (a power of two up to VQ_MAX_SIZE;
 * a legacy device's own fixed size) over freshly allocated pages: 0 or -1.
 * Packed when RING_PACKED was negotiated, else split; with indirect
 * tables of vd->max_chain entries when INDIRECT_DESC was.
 */
int virtio_setup_vq(struct virtio_device *vd, unsigned int idx,
		    struct virtqueue *vq, u16 want);

/*
 * @len bytes of the device-specific configuration at @off into @buf, as
 * one consistent snapshot: read again while config_generation changes
 * (bounded). 0, or -1 with the device FAILED (past config_len, or the
 * generation never settled).
 */
int virtio_config_read(struct virtio_device *vd, unsigned int off, void *buf,
		       unsigned int len);

/*
 * If the device set DEVICE_NEEDS_RESET (virtio 1.2, 2.1.1): say so in a
 * line, reset it and call its driver's restart (queues set up again over
 * fresh pages, the old ones freed). From the waits, which then return
 * NULL: what was in flight is lost. Bounded: a device that asks again
 * VIRTIO_MAX_RESTARTS times with no buffer returned between, or whose
 * driver cannot restart, is failed with a line.
 */
void virtio_needs_reset(struct virtio_device *vd);

/*
 * Whether the device asked for a reset: DEVICE_NEEDS_RESET in its status,
 * or seen (and the device reset) by its line's handler. The waits then
 * call virtio_needs_reset.
 */
bool virtio_reset_asked(struct virtio_device *vd);

/* Restarts in a row (no buffer returned between) before a device is failed. */
#define VIRTIO_MAX_RESTARTS	3

/*
 * Take a FAILED device on again, as an operator would after fixing its
 * host side: clear the failure and the restart count, reset it and call
 * its driver's restart, under the driver's lock. 0, or -1: it was not
 * failed, its driver cannot restart it, or the restart failed (again).
 */
int virtio_retry(struct virtio_device *vd);

/* DRIVER_OK and the device's boot line. */
void virtio_ready(struct virtio_device *vd);

/*
 * Write @len bytes from @buf to @vd's device configuration at @offset
 * (aligned 32-bit words as one access): 0, or -1 with the device FAILED
 * when the device has fewer.
 */
int virtio_write_config(struct virtio_device *vd, unsigned int offset, const void *buf,
			unsigned int len);

/* Set FAILED, once, with a line saying why. */
__printf(2, 3) void virtio_fail(struct virtio_device *vd, const char *fmt, ...);

/*
 * Publish @n buffers on @vq and kick when the device wants it; the
 * device's answer comes through vq_get_used. -1 if the queue is full or
 * broken (the device then FAILED).
 */
int virtio_add_and_kick(struct virtio_device *vd, unsigned int idx,
			struct virtqueue *vq, const struct vq_buf *bufs,
			unsigned int n, void *token);

/*
 * Poll @vq until the device returns a chain, up to @timeout_ns: its token
 * and length, or NULL: the device FAILED (broken queue or no answer), or
 * it set DEVICE_NEEDS_RESET (then restarted: virtio_needs_reset).
 */
void *virtio_poll_used(struct virtio_device *vd, struct virtqueue *vq,
		       u32 *len, u64 timeout_ns);

/*
 * For the selftests, under the driver's lock of @vq: put on queue @idx a
 * chain of @buf's two halves of @len, the device-readable one after the
 * device-writable one (QEMU: "Incorrect order for descriptors",
 * virtio_error: DEVICE_NEEDS_RESET and a configuration interrupt), wait
 * for that interrupt first (its handler's part is then the one tested),
 * then for the chain: the length the device returned it with, or -1 when
 * it did not (restarted, or failed).
 */
int virtio_send_misordered(struct virtio_device *vd, unsigned int idx,
			   struct virtqueue *vq, void *buf, u32 len, u64 timeout_ns);
/*
 * Why virtio_send_misordered cannot show @vd's restart, or NULL: a legacy
 * device has no DEVICE_NEEDS_RESET; QEMU 7.2's packed pop leaves a chain
 * it refused available, and a device that finds its queue not empty pops
 * it again forever (QEMU hangs).
 */
const char *virtio_misordered_left_out(const struct virtio_device *vd);

/*
 * virtio_poll_used's shape, interrupt-driven: between looks at the used
 * ring the CPU halts until the device's interrupt (or a timer slice that
 * bounds the wait) wakes it; a pause instead when the device has no
 * interrupt or it arrives on another CPU. Same checks, same timeout,
 * same result. Interrupts are on while it halts, whatever the caller's.
 */
void *virtio_wait_used(struct virtio_device *vd, struct virtqueue *vq,
		       u32 *len, u64 timeout_ns);

/*
 * virtio_wait_used for a queue on which silence is no fault (a receive
 * queue on a quiet network): on the timeout NULL, the device left running.
 */
void *virtio_wait_used_quiet(struct virtio_device *vd, struct virtqueue *vq,
			     u32 *len, u64 timeout_ns);

/*
 * Halt as virtio_wait_used does until an interrupt for @vd after @seen
 * (a vd->irqs read before the caller last looked at the device), up to
 * @timeout_ns: whether one came. A device without an interrupt: a pause
 * of at most VIRTIO_IRQ_PAUSE_NS, then false (the caller polls).
 */
bool virtio_wait_irq(struct virtio_device *vd, u64 seen, u64 timeout_ns);
#define VIRTIO_IRQ_PAUSE_NS	NSEC_PER_MSEC

/*
 * Bind @vd's line (a GSI shared by up to a few devices, @flags as
 * struct device_irq's) through the bind_device_irq op; its handler reads
 * the transport's irq_status. Sets irq_mode and irq_name (@mode, @name):
 * 0, or -1 with a line and the device left polled.
 */
int virtio_irq_bind_line(struct virtio_device *vd, u32 gsi, u32 flags,
			 enum virtio_irq_mode mode, const char *name);
struct device_irq;
/*
 * An MSI-X vector for @vd on the calling CPU, @msi naming the function,
 * entry and table BAR (asm/irq.h): 0 and @msi filled by the
 * bind_device_irq op (the message the entry must hold, or that the
 * hypervisor wrote it), or -1 (no slot, or the op refused).
 */
int virtio_irq_bind_vector(struct virtio_device *vd, struct device_irq *msi);
/* Give back every vector of @vd (its MSI-X entries masked first). */
void virtio_irq_unbind_vectors(struct virtio_device *vd);
/* Record that @vd interrupts through its vectors: @mode, @name. */
void virtio_irq_set_mode(struct virtio_device *vd, enum virtio_irq_mode mode,
			 const char *name);
/*
 * For the selftests: give queue @idx of a running virtio-pci MSI-X
 * device MSI-X entry @entry as queue setup does (read back; a refusal
 * falls back to INTx): 0, or -1 when @vd is no such device.
 */
int virtio_pci_set_queue_entry(struct virtio_device *vd, unsigned int idx, u16 entry);
/* Leave @vd polled, saying why (@why, kept). */
void virtio_irq_none(struct virtio_device *vd, const char *why);
/* @vd's driver added or took a buffer: its line is not storming. */
void virtio_irq_progress(struct virtio_device *vd);
/* Count an interrupt for @vd (from its handler). */
void virtio_interrupt(struct virtio_device *vd);

/* A transport found @vd (for virtio_count). */
void virtio_register(struct virtio_device *vd);
/* Devices of type @id found, whether a driver runs them or not. */
unsigned int virtio_count(u32 id);

/* Start the driver for @vd's type, or say there is none. */
void virtio_probe_driver(struct virtio_device *vd);

/* Find the virtio devices (PCI, then MMIO) and start their drivers. */
void virtio_init(void);
void virtio_pci_init(void);
void virtio_mmio_init(void);

/* One virtio_mmio.device= entry: registers at @base, @size bytes. */
struct virtio_mmio_desc {
	u64 size;
	u64 base;
	u32 irq;
};

/* Parse SIZE@BASE:IRQ[:ID] into @d: 0, or -1 when malformed. */
int virtio_mmio_parse(const char *s, struct virtio_mmio_desc *d);

/* Drivers (probe: 0 when the device runs). */
int virtio_rng_probe(struct virtio_device *vd);
int virtio_rng_restart(struct virtio_device *vd);
/* For the selftests: virtio_send_misordered on rng @i's queue. */
int virtio_rng_send_misordered(unsigned int i);
/* virtio_retry for device @i, under its lock. */
int virtio_rng_retry(unsigned int i);
/* virtio-rng devices the driver took on (running or failed), and their names. */
unsigned int virtio_rng_count(void);
const char *virtio_rng_name(unsigned int i);
struct virtio_device *virtio_rng_device(unsigned int i);
/* Fill @buf with @len bytes from device @i: 0, or -1 (it failed). */
int virtio_rng_read(unsigned int i, void *buf, size_t len);
/*
 * One request to device @i as a chain of @nparts device-writable buffers
 * of @part bytes each (@nparts * @part up to 64), copied to @buf; whether
 * it went through an indirect table in *@indirect. The bytes the device
 * wrote, or -1 (it failed).
 */
int virtio_rng_read_chain(unsigned int i, void *buf, size_t part,
			  unsigned int nparts, bool *indirect);

#endif
