// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console (virtio 1.2, 5.3). Without MULTIPORT one port on queues
 * 0 (receive) and 1 (transmit). With it, max_nr_ports from the
 * configuration (checked), the control queues 2/3, and port N's queues
 * at 2N+2/2N+3; the driver runs ports 0..VCON_PORTS-1 and tells the
 * device DEVICE_READY, then answers what comes back (console_ctrl.c):
 * PORT_READY for every port added, PORT_OPEN for the ones it runs.
 *
 * Transmit copies into a page of the port's and waits, bounded, until
 * the device returns it (vcon_wait: the one place that waits). The wait
 * halts until the device's interrupt (virtio_wait_used), except on
 * printk's path (hvc_write), which polls: printk holds its lock with
 * interrupts off, and a halt there would run handlers that may print
 * and then spin on that lock. A handler that prints while a direct
 * write halts finds the port busy on its own CPU and its line goes to
 * the other consoles only. Receive
 * queues are kept full so the device never stalls on them; what arrives
 * is discarded. Control messages are handled at probe and whenever
 * virtio_console_poll runs, never from the printk path.
 *
 * console=hvc0 registers a kernel console that mirrors printk to the
 * console port (the one the device names with CONSOLE_PORT, else port
 * 0) once the device runs; register_console hands it the log so far, so
 * the boot lines before the device came up are sent then.
 *
 * DEVICE_NEEDS_RESET (virtio_console_restart): the core resets the device
 * from a wait, under tx_lock when a write's; every queue is set up again,
 * its receive buffers posted, and DEVICE_READY said again, so the ports
 * are made ready anew as at probe. A write in flight is lost; printk
 * lines meanwhile reach the other consoles only.
 */
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <proteus/cmdline.h>
#include <proteus/console.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_console.h>

#define VCON_CTRL_RX		2
#define VCON_CTRL_TX		3
/* Receive buffers per data port, and their size: one page. */
#define VCON_RX_BUFS		8
/* Room for DEVICE_ADD of every port QEMU holds (31) after DEVICE_READY. */
#define VCON_CTRL_BUFS		32
#define VCON_CTRL_BUF_SIZE	(PAGE_SIZE / VCON_CTRL_BUFS)
#define VCON_TX_QUEUE		8
/* Queue indexes are 16 bits: ports beyond this have none. */
#define VCON_MAX_NR_PORTS	0x7fff
/* QEMU takes a buffer at once; a device silent this long is broken. */
#define VCON_TIMEOUT_NS		(1000 * NSEC_PER_MSEC)
/* Control messages handled per poll, so a chattering device cannot hold us. */
#define VCON_CTRL_BUDGET	(4 * VCON_CTRL_BUFS)
#define VCON_FEATURES		(1ULL << VIRTIO_CONSOLE_F_MULTIPORT)
/* The selftests' misordered chain: two halves of port 0's transmit page. */
#define VCON_MISORDERED_LEN	64

struct vcon_port_queues {
	struct virtqueue rx, tx;
	u8 *rxbuf, *txbuf;	/* a page each */
};

struct vcon_dev {
	struct virtio_device *vd;
	bool multiport;
	struct vcon_ctrl ctrl;
	struct vcon_port_queues q[VCON_PORTS];
	struct virtqueue crx, ctx;
	u8 *crxbuf, *ctxbuf;
	spinlock_t tx_lock;
	int tx_cpu;		/* the CPU holding tx_lock, + 1; 0: none */
	bool tx_polled;		/* printk's path holds tx_lock: control waits poll too */
};

static struct vcon_dev vcon;
static bool want_mirror, mirroring;

static unsigned int rx_queue(unsigned int port)
{
	return port ? 2 * port + 2 : 0;
}

/*
 * Wait for the device to return a buffer of @vq: the only wait here.
 * @halt: on its interrupt; else polled (printk's path).
 */
static void *vcon_wait(struct vcon_dev *d, struct virtqueue *vq, u32 *len, bool halt)
{
	if (halt)
		return virtio_wait_used(d->vd, vq, len, VCON_TIMEOUT_NS);
	return virtio_poll_used(d->vd, vq, len, VCON_TIMEOUT_NS);
}

static int post_rx(struct vcon_dev *d, unsigned int idx, struct virtqueue *vq,
		   u8 *buf, u32 size)
{
	struct vq_buf b = { dma_addr(buf), size, true };

	return virtio_add_and_kick(d->vd, idx, vq, &b, 1, buf);
}

/* @page cut into @nbufs buffers, as many posted as the queue holds. */
static int fill_rx(struct vcon_dev *d, unsigned int idx, struct virtqueue *vq,
		   u8 *page, unsigned int nbufs)
{
	u32 size = PAGE_SIZE / nbufs;
	unsigned int i;

	for (i = 0; i < MIN(nbufs, vq->num); i++)
		if (post_rx(d, idx, vq, page + i * size, size))
			return -1;
	return 0;
}

/* Send one buffer on queue @idx and wait (@halt: vcon_wait) until the device took it. */
static int send(struct vcon_dev *d, unsigned int idx, struct virtqueue *vq,
		u8 *buf, u32 len, bool halt)
{
	struct vq_buf b = { dma_addr(buf), len, false };
	u32 got;

	if (virtio_add_and_kick(d->vd, idx, vq, &b, 1, buf))
		return -1;
	return vcon_wait(d, vq, &got, halt) == buf ? 0 : -1;
}

static int ctrl_send(struct vcon_dev *d, const struct virtio_console_control *m)
{
	memcpy(d->ctxbuf, m, sizeof(*m));
	return send(d, VCON_CTRL_TX, &d->ctx, d->ctxbuf, sizeof(*m), !d->tx_polled);
}

static void ctrl_one(struct vcon_dev *d, u8 *buf, u32 len)
{
	struct virtio_console_control out[VCON_MAX_REPLIES];
	int i, n = vcon_ctrl_handle(&d->ctrl, buf, len, out);

	if (n < 0)
		pr_warn("virtio: console %s: %s; dropped\n", d->vd->name, d->ctrl.why);
	post_rx(d, VCON_CTRL_RX, &d->crx, buf, VCON_CTRL_BUF_SIZE);
	for (i = 0; i < n; i++)
		ctrl_send(d, &out[i]);
}

/* Handle the control messages waiting, each buffer given back. */
static void ctrl_poll(struct vcon_dev *d)
{
	unsigned int i;
	u32 len;
	u8 *buf;

	for (i = 0; i < VCON_CTRL_BUDGET && !d->vd->failed; i++) {
		buf = vq_get_used(&d->crx, &len);
		if (!buf) {
			if (d->crx.broken)
				virtio_fail(d->vd, "%s", d->crx.broken);
			return;
		}
		ctrl_one(d, buf, len);
	}
}

/* Whatever the host sent on a port is discarded; its buffer goes back. */
static void rx_discard(struct vcon_dev *d, unsigned int p)
{
	struct vcon_port_queues *q = &d->q[p];
	unsigned int i;
	u32 len;
	u8 *buf;

	for (i = 0; i < VCON_RX_BUFS && !d->vd->failed; i++) {
		buf = vq_get_used(&q->rx, &len);
		if (!buf) {
			if (q->rx.broken)
				virtio_fail(d->vd, "%s", q->rx.broken);
			return;
		}
		post_rx(d, rx_queue(p), &q->rx, buf, PAGE_SIZE / VCON_RX_BUFS);
	}
}

static u8 *page(struct vcon_dev *d)
{
	phys_addr_t pa = alloc_pages(0);

	if (!pa) {
		virtio_fail(d->vd, "no memory for its buffers");
		return NULL;
	}
	return phys_to_virt(pa);
}

static int setup_port(struct vcon_dev *d, unsigned int p)
{
	struct vcon_port_queues *q = &d->q[p];
	unsigned int idx = rx_queue(p);

	return virtio_setup_vq(d->vd, idx, &q->rx, VCON_RX_BUFS) ||
	       virtio_setup_vq(d->vd, idx + 1, &q->tx, VCON_TX_QUEUE) ? -1 : 0;
}

static int setup_ctrl(struct vcon_dev *d)
{
	return virtio_setup_vq(d->vd, VCON_CTRL_RX, &d->crx, VCON_CTRL_BUFS) ||
	       virtio_setup_vq(d->vd, VCON_CTRL_TX, &d->ctx, VCON_TX_QUEUE) ? -1 : 0;
}

/* A page each way per port run, and for the control queues: kept across restarts. */
static int alloc_bufs(struct vcon_dev *d)
{
	unsigned int p;

	for (p = 0; p < d->ctrl.nr_ports; p++) {
		d->q[p].rxbuf = page(d);
		d->q[p].txbuf = page(d);
		if (!d->q[p].rxbuf || !d->q[p].txbuf)
			return -1;
	}
	if (!d->multiport)
		return 0;
	d->crxbuf = page(d);
	d->ctxbuf = page(d);
	return d->crxbuf && d->ctxbuf ? 0 : -1;
}

/* max_nr_ports, checked: 0 when the device gives none we can use. */
static u32 read_max_nr_ports(struct vcon_dev *d)
{
	u32 max;

	if (virtio_config_read(d->vd, offsetof(struct virtio_console_config, max_nr_ports),
			       &max, sizeof(max)))
		return 0;
	if (!max || max > VCON_MAX_NR_PORTS) {
		virtio_fail(d->vd, "max_nr_ports %u, not 1..%u", max, VCON_MAX_NR_PORTS);
		return 0;
	}
	return max;
}

/*
 * tx_lock, which writes and restarts take, its holder's CPU recorded so
 * printk on it skips the device; @polled: on printk's path.
 */
static u64 tx_enter(bool polled)
{
	u64 flags = spin_lock_irqsave(&vcon.tx_lock);

	__atomic_store_n(&vcon.tx_cpu, (int)smp_processor_id() + 1, __ATOMIC_RELEASE);
	vcon.tx_polled = polled;
	return flags;
}

static void tx_exit(u64 flags)
{
	vcon.tx_polled = false;
	__atomic_store_n(&vcon.tx_cpu, 0, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&vcon.tx_lock, flags);
}

/*
 * The failed check comes before the lock: a failure inside prints through
 * printk, which comes back here and must not wait for the lock it holds;
 * nor may a handler that interrupted a halted write on this CPU.
 */
static int write_port(unsigned int p, const char *s, size_t n, bool halt)
{
	struct vcon_port_queues *q;
	size_t chunk;
	u64 flags;
	int rc = 0;

	if (!virtio_console_running() || !virtio_console_port_ready(p) ||
	    __atomic_load_n(&vcon.tx_cpu, __ATOMIC_ACQUIRE) == (int)smp_processor_id() + 1)
		return -1;
	q = &vcon.q[p];
	flags = tx_enter(!halt);
	while (n && !rc) {
		chunk = MIN(n, PAGE_SIZE);
		memcpy(q->txbuf, s, chunk);
		rc = send(&vcon, rx_queue(p) + 1, &q->tx, q->txbuf, chunk, halt);
		s += chunk;
		n -= chunk;
	}
	tx_exit(flags);
	return rc;
}

/*
 * Queues in index order: port 0, the control pair, then the other ports;
 * every receive queue filled before DRIVER_OK.
 */
static int setup_queues(struct vcon_dev *d)
{
	unsigned int p;

	if (setup_port(d, 0) || (d->multiport && setup_ctrl(d)))
		return -1;
	for (p = 1; p < d->ctrl.nr_ports; p++)
		if (setup_port(d, p))
			return -1;
	for (p = 0; p < d->ctrl.nr_ports; p++)
		if (fill_rx(d, rx_queue(p), &d->q[p].rx, d->q[p].rxbuf, VCON_RX_BUFS))
			return -1;
	if (d->multiport)
		return fill_rx(d, VCON_CTRL_RX, &d->crx, d->crxbuf, VCON_CTRL_BUFS);
	return 0;
}

static unsigned int console_port(void)
{
	unsigned int p;

	for (p = 0; p < vcon.ctrl.nr_ports; p++)
		if (vcon.ctrl.port[p].console)
			return p;
	return 0;
}

static void hvc_write(const char *s, size_t n)
{
	write_port(console_port(), s, n, false);
}

/* Every write waited until the device took it: nothing is left to drain. */
static bool hvc_flush(void)
{
	return virtio_console_running();
}

static struct console hvc_console = {
	.name = "hvc0",
	.write = hvc_write,
	.flush = hvc_flush,
};

/* console=hvc0 mirrors printk to the device; other values are the UART's business. */
static int set_console(const char *val)
{
	if (val && !strcmp(val, "hvc0"))
		want_mirror = true;
	return 0;
}
KERNEL_PARAM("console", set_console);

/*
 * DRIVER_OK, then with MULTIPORT DEVICE_READY and the device's answers
 * (DEVICE_ADD for each port, answered PORT_READY and PORT_OPEN); without
 * it port 0 is there at once.
 */
static int greet(struct vcon_dev *d)
{
	struct virtio_console_control ready = { .event = VIRTIO_CONSOLE_DEVICE_READY,
						 .value = 1 };

	virtio_ready(d->vd);
	if (d->multiport) {
		if (ctrl_send(d, &ready))
			return -1;
		ctrl_poll(d);
	} else {
		d->ctrl.port[0].added = d->ctrl.port[0].ready = true;
	}
	return d->vd->failed ? -1 : 0;
}

/*
 * From a wait, tx_lock held when a write's: the device, reset, forgot
 * every port and buffer. The same features (MULTIPORT kept or not: else
 * it fails), every queue set up again over fresh pages, the receive
 * buffers posted again, and the ports made ready anew from what the
 * device says after DEVICE_READY. A write in flight is lost.
 */
int virtio_console_restart(struct virtio_device *vd)
{
	struct vcon_dev *d = &vcon;

	if (vd != d->vd || virtio_start(vd, VCON_FEATURES))
		return -1;
	if (d->multiport != !!(vd->features & (1ULL << VIRTIO_CONSOLE_F_MULTIPORT))) {
		virtio_fail(vd, "MULTIPORT %s across a reset", d->multiport ? "lost" : "gained");
		return -1;
	}
	if (d->multiport)
		memset(d->ctrl.port, 0, sizeof(d->ctrl.port));
	if (setup_queues(d))
		return -1;
	return greet(d);
}

int virtio_console_probe(struct virtio_device *vd)
{
	struct vcon_dev *d = &vcon;

	if (d->vd) {
		pr_info("virtio: console %s: only one device is run; ignored\n", vd->name);
		return -1;
	}
	d->vd = vd;
	if (virtio_start(vd, VCON_FEATURES))
		return -1;
	d->multiport = vd->features & (1ULL << VIRTIO_CONSOLE_F_MULTIPORT);
	d->ctrl.max_nr_ports = d->multiport ? read_max_nr_ports(d) : 1;
	if (!d->ctrl.max_nr_ports)
		return -1;
	d->ctrl.nr_ports = MIN(d->ctrl.max_nr_ports, VCON_PORTS);
	if (alloc_bufs(d) || setup_queues(d))
		return -1;
	snprintf(vd->detail, sizeof(vd->detail), "ports=%u%s", d->ctrl.nr_ports,
		 d->multiport ? " multiport" : "");
	if (greet(d))
		return -1;
	if (want_mirror) {
		register_console(&hvc_console);
		mirroring = true;
	}
	return 0;
}

struct virtio_device *virtio_console_device(void)
{
	return vcon.vd;
}

bool virtio_console_running(void)
{
	return vcon.vd && !vcon.vd->failed;
}

unsigned int virtio_console_nr_ports(void)
{
	return vcon.vd ? vcon.ctrl.nr_ports : 0;
}

bool virtio_console_port_ready(unsigned int p)
{
	return p < virtio_console_nr_ports() && vcon.ctrl.port[p].ready;
}

const char *virtio_console_port_name(unsigned int p)
{
	return p < virtio_console_nr_ports() ? vcon.ctrl.port[p].name : "";
}

bool virtio_console_wanted(void)
{
	return want_mirror;
}

bool virtio_console_mirrors(void)
{
	return mirroring && virtio_console_running() &&
	       virtio_console_port_ready(console_port());
}

void virtio_console_poll(void)
{
	unsigned int p;

	if (!virtio_console_running())
		return;
	if (virtio_reset_asked(vcon.vd)) {
		u64 flags = tx_enter(false);

		virtio_needs_reset(vcon.vd);
		tx_exit(flags);
	}
	if (vcon.multiport)
		ctrl_poll(&vcon);
	for (p = 0; p < vcon.ctrl.nr_ports; p++)
		rx_discard(&vcon, p);
}

int virtio_console_write(unsigned int p, const char *s, size_t n)
{
	return write_port(p, s, n, true);
}

int virtio_console_send_misordered(void)
{
	struct vcon_port_queues *q = &vcon.q[0];
	u64 flags;
	int rc;

	if (!virtio_console_running())
		return -1;
	flags = tx_enter(false);
	rc = virtio_send_misordered(vcon.vd, rx_queue(0) + 1, &q->tx, q->txbuf,
				    VCON_MISORDERED_LEN, VCON_TIMEOUT_NS);
	tx_exit(flags);
	return rc;
}
