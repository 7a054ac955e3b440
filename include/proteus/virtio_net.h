/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-net (virtio 1.2, 5.1): queue 0 receives, queue 1 transmits;
 * features MAC, STATUS and MRG_RXBUF. Every packet on either queue starts
 * with the 12-byte struct virtio_net_hdr_v1 (linux/virtio_net.h; also the
 * legacy header once MRG_RXBUF is negotiated). The receive queue is kept
 * full of page-sized buffers; a packet the device spreads over several
 * (num_buffers) is gathered by vnet_rx_buffer, the part the host tests
 * drive with hostile headers. One caller at a time.
 */
#ifndef PROTEUS_VIRTIO_NET_H
#define PROTEUS_VIRTIO_NET_H

#include <linux/virtio_net.h>
#include <proteus/types.h>

struct virtio_device;

#define VNET_HDR_LEN		sizeof(struct virtio_net_hdr_v1)
/* The largest Ethernet frame taken: 1500 bytes of payload, a VLAN tag. */
#define VNET_FRAME_MAX		1518

/*
 * One packet being gathered from receive buffers. @max_buffers: the most
 * a packet may span (the queue's size); the drop counters say why
 * packets were lost.
 */
struct vnet_rx {
	u32 len;
	u16 left;		/* buffers of this packet still to come */
	bool dropping;
	u16 max_buffers;
	u64 bad_count, too_long, short_buf, past_buffer;
	u8 frame[VNET_FRAME_MAX];	/* last: an overrun leaves the object */
};

enum vnet_rx_result {
	VNET_RX_MORE,		/* the packet continues in the next buffer */
	VNET_RX_FRAME,		/* rx->frame holds rx->len bytes of a frame */
	VNET_RX_DROP,		/* this packet (or buffer) was dropped and counted */
};

/*
 * Take the next used receive buffer @buf, @len bytes written by the
 * device into its @size: the first of a packet carries the header, whose
 * num_buffers (1..max_buffers) says how many follow; the frame may not
 * exceed VNET_FRAME_MAX. Nothing is read past min(@len, @size).
 */
enum vnet_rx_result vnet_rx_buffer(struct vnet_rx *rx, const u8 *buf, u32 len,
				   u32 size);
/* Packets dropped so far, for every reason. */
u64 vnet_rx_dropped(const struct vnet_rx *rx);

int virtio_net_probe(struct virtio_device *vd);
int virtio_net_restart(struct virtio_device *vd);
/*
 * For the selftests: put on the transmit queue a chain with no
 * device-readable buffer, so no header (QEMU: virtio_error,
 * DEVICE_NEEDS_RESET): the wait's result, -1 when the device did not
 * answer it.
 */
int virtio_net_send_unreadable(void);

/* Whether a virtio-net device runs (the first one found is driven). */
bool virtio_net_running(void);
/* Receive buffers posted to the device now (the queue is kept full). */
unsigned int virtio_net_rx_posted(void);
/* The size of the receive queue. */
unsigned int virtio_net_rx_size(void);
/* The driven device (its counters: irqs, notifies), or NULL. */
struct virtio_device *virtio_net_device(void);

#endif
