// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net (virtio 1.2, 5.1), the first device found: features MAC,
 * STATUS and MRG_RXBUF and nothing else of the device's (no checksum or
 * segmentation offload, no control queue, one queue pair). The MAC and
 * link status come from the configuration (each read checked against
 * its length); without MAC the device would pick none, so one is made
 * from the entropy pool, locally administered.
 *
 * Receive: queue 0 kept full of page-sized device-writable buffers, each
 * put back as soon as its bytes are copied out; packets spanning several
 * are gathered by vnet_rx_buffer. Transmit: queue 1, one frame at a time
 * from one page, the zeroed 12-byte header and the frame in two
 * descriptors (legacy devices without ANY_LAYOUT want them apart).
 * A burst (vnet_send_burst, for benchmarks) puts copies of one frame
 * from that page on the queue as long as it has room, taking back the
 * oldest when it has none. Waiting for the device is on its interrupt
 * (virtio_wait_used; polled where it has none), in rx_wait and tx_wait
 * alone.
 */
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <proteus/entropy.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/net.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_net.h>

#define NET_RXQ			0
#define NET_TXQ			1
/* Receive buffers posted: plenty for a test's traffic, 256 KiB in all. */
#define NET_RX_BUFFERS		64
#define NET_TX_QUEUE_SIZE	16
/* QEMU sends at once; a transmit not done in a second is a dead device. */
#define NET_TX_TIMEOUT_NS	(1000 * NSEC_PER_MSEC)
#define NET_FEATURES		((1ULL << VIRTIO_NET_F_MAC) | \
				 (1ULL << VIRTIO_NET_F_STATUS) | \
				 (1ULL << VIRTIO_NET_F_MRG_RXBUF))

static struct vnet {
	struct virtio_device *vd;
	struct virtqueue rxq, txq;
	u8 mac[ETH_ALEN];
	bool link_up;
	u8 *tx_page;
	u8 *rx_pages[NET_RX_BUFFERS];	/* what fill_rx posted, posted again on a restart */
	struct vnet_rx rx;
	struct net_device nd;
} vnet;

bool virtio_net_running(void)
{
	return vnet.vd && !vnet.vd->failed;
}

struct virtio_device *virtio_net_device(void)
{
	return vnet.vd;
}

unsigned int virtio_net_rx_posted(void)
{
	return vnet.rxq.num - vnet.rxq.num_free;
}

unsigned int virtio_net_rx_size(void)
{
	return vnet.rxq.num;
}

/* Give the device one more receive page (@page its token). */
static int rx_post(struct vnet *n, u8 *page)
{
	struct vq_buf b = { dma_addr(page), PAGE_SIZE, true };

	return virtio_add_and_kick(n->vd, NET_RXQ, &n->rxq, &b, 1, page);
}

/*
 * The next used receive buffer within @timeout_ns, or NULL: none came
 * (not an error: the network may be quiet) or the queue broke (the
 * device then FAILED).
 */
static u8 *rx_wait(struct vnet *n, u32 *len, u64 timeout_ns)
{
	return virtio_wait_used_quiet(n->vd, &n->rxq, len, timeout_ns);
}

/* The transmitted chain back (@token), or -1 with the device FAILED. */
static int tx_wait(struct vnet *n, void *token)
{
	u32 len;

	return virtio_wait_used(n->vd, &n->txq, &len, NET_TX_TIMEOUT_NS) == token ? 0 : -1;
}

/* @frame behind a zeroed header in the transmit page, described in @b: 0 or -1. */
static int tx_fill(struct vnet *n, const void *frame, size_t len, struct vq_buf b[2])
{
	if (n->vd->failed || !len || len > PAGE_SIZE - VNET_HDR_LEN)
		return -1;
	memset(n->tx_page, 0, VNET_HDR_LEN);
	memcpy(n->tx_page + VNET_HDR_LEN, frame, len);
	b[0] = (struct vq_buf){ dma_addr(n->tx_page), VNET_HDR_LEN, false };
	b[1] = (struct vq_buf){ dma_addr(n->tx_page + VNET_HDR_LEN), len, false };
	return 0;
}

static int vnet_send(const void *frame, size_t len)
{
	struct vnet *n = &vnet;
	struct vq_buf b[2];

	if (tx_fill(n, frame, len, b) ||
	    virtio_add_and_kick(n->vd, NET_TXQ, &n->txq, b, 2, n->tx_page))
		return -1;
	return tx_wait(n, n->tx_page);
}

/*
 * @count copies of @frame, the device reading them all from the one page:
 * each added while the queue has room (a full queue fails vq_add without
 * breaking it), else the oldest taken back first; then all taken back.
 */
static int vnet_send_burst(const void *frame, size_t len, unsigned int count)
{
	struct vnet *n = &vnet;
	unsigned int in_flight = 0;
	struct vq_buf b[2];

	if (tx_fill(n, frame, len, b))
		return -1;
	while (count || in_flight) {
		if (count && !virtio_add_and_kick(n->vd, NET_TXQ, &n->txq, b, 2, n->tx_page)) {
			count--;
			in_flight++;
			continue;
		}
		if (n->vd->failed || !in_flight || tx_wait(n, n->tx_page))
			return -1;
		in_flight--;
	}
	return 0;
}

static int vnet_recv(void *buf, size_t cap, u64 timeout_ns)
{
	struct vnet *n = &vnet;
	u64 start = sched_clock(), spent;
	enum vnet_rx_result r;
	u8 *page;
	u32 len;

	while (!n->vd->failed) {
		spent = sched_clock() - start;
		page = rx_wait(n, &len, spent < timeout_ns ? timeout_ns - spent : 0);
		if (!page)
			return n->vd->failed ? -1 : 0;
		r = vnet_rx_buffer(&n->rx, page, len, PAGE_SIZE);
		if (rx_post(n, page))
			return -1;
		if (r == VNET_RX_FRAME) {
			len = MIN(n->rx.len, cap);
			memcpy(buf, n->rx.frame, len);
			return len;
		}
	}
	return -1;
}

/* MAC and link from the configuration: 0, or -1 (the device FAILED). */
static int read_config(struct vnet *n)
{
	struct virtio_device *vd = n->vd;
	u16 status;

	if (vd->features & (1ULL << VIRTIO_NET_F_MAC)) {
		if (virtio_config_read(vd, offsetof(struct virtio_net_config, mac), n->mac,
				       ETH_ALEN))
			return -1;
	} else {
		entropy_read(n->mac, ETH_ALEN);
		n->mac[0] = (n->mac[0] & ~1) | 2;	/* unicast, locally administered */
	}
	n->link_up = true;
	if (vd->features & (1ULL << VIRTIO_NET_F_STATUS)) {
		if (virtio_config_read(vd, offsetof(struct virtio_net_config, status),
				       &status, sizeof(status)))
			return -1;
		n->link_up = status & VIRTIO_NET_S_LINK_UP;
	}
	return 0;
}

static int setup_queues(struct vnet *n)
{
	if (virtio_setup_vq(n->vd, NET_RXQ, &n->rxq, NET_RX_BUFFERS) ||
	    virtio_setup_vq(n->vd, NET_TXQ, &n->txq, NET_TX_QUEUE_SIZE))
		return -1;
	n->rx.max_buffers = n->rxq.num;
	return 0;
}

static int alloc_tx(struct vnet *n)
{
	phys_addr_t pa = alloc_pages(0);

	if (!pa) {
		virtio_fail(n->vd, "no memory for the transmit buffer");
		return -1;
	}
	n->tx_page = phys_to_virt(pa);
	return 0;
}

/* Fill the receive queue: after DRIVER_OK, as kicks may come with it (3.1.1). */
static int fill_rx(struct vnet *n)
{
	phys_addr_t pa;
	unsigned int i;

	for (i = 0; i < n->rxq.num; i++) {
		pa = alloc_pages(0);
		if (!pa) {
			virtio_fail(n->vd, "no memory for receive buffer %u", i);
			return -1;
		}
		n->rx_pages[i] = phys_to_virt(pa);
		if (rx_post(n, n->rx_pages[i]))
			return -1;
	}
	return 0;
}

/* Post again every receive page: a reset took them all from the device. */
static int repost_rx(struct vnet *n)
{
	unsigned int i;

	for (i = 0; i < n->rxq.num; i++)
		if (rx_post(n, n->rx_pages[i]))
			return -1;
	return 0;
}

/*
 * From a wait: the same features, queues over fresh pages, DRIVER_OK and
 * the receive pages posted again; a frame half received is dropped.
 */
int virtio_net_restart(struct virtio_device *vd)
{
	struct vnet *n = &vnet;

	if (vd != n->vd || virtio_start(vd, NET_FEATURES) || setup_queues(n))
		return -1;
	n->rx.left = 0;
	n->rx.dropping = false;
	virtio_ready(vd);
	return repost_rx(n);
}

int virtio_net_send_unreadable(void)
{
	struct vnet *n = &vnet;
	struct vq_buf b = { dma_addr(n->tx_page), VNET_HDR_LEN, true };

	if (!n->vd || n->vd->failed ||
	    virtio_add_and_kick(n->vd, NET_TXQ, &n->txq, &b, 1, n->tx_page))
		return -1;
	return tx_wait(n, n->tx_page);
}

int virtio_net_probe(struct virtio_device *vd)
{
	struct vnet *n = &vnet;

	if (n->vd) {
		pr_info("virtio: net %s: only the first device is driven; ignored\n", vd->name);
		return -1;
	}
	n->vd = vd;
	if (virtio_start(vd, NET_FEATURES))
		return -1;
	if (!(vd->features & (1ULL << VIRTIO_NET_F_MRG_RXBUF))) {
		virtio_fail(vd, "MRG_RXBUF not offered (its 12-byte header is all this driver knows)");
		return -1;
	}
	if (read_config(n) || setup_queues(n) || alloc_tx(n))
		return -1;
	snprintf(vd->detail, sizeof(vd->detail), "mac=%02x:%02x:%02x:%02x:%02x:%02x link=%s",
		 n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5],
		 n->link_up ? "up" : "down");
	virtio_ready(vd);
	if (fill_rx(n))
		return -1;
	n->nd = (struct net_device){ .name = vd->name, .send = vnet_send,
				    .send_burst = vnet_send_burst, .recv = vnet_recv };
	memcpy(n->nd.mac, n->mac, ETH_ALEN);
	net_attach(&n->nd);
	return 0;
}
