// SPDX-License-Identifier: GPL-2.0
/*
 * Gathering a received packet from the buffers the device used (virtio
 * 1.2, 5.1.6.4): with MRG_RXBUF the header of a packet's first buffer
 * says in num_buffers how many buffers it took, and the rest of the
 * packet follows in the next used buffers, without headers. All of it is
 * the device's word: a count of 0 or more than the queue holds, a length
 * past the buffer, or a frame longer than VNET_FRAME_MAX drops the packet
 * with a counted warning, and nothing past the bytes given is read or
 * written. Free of the device and its queue, for the host tests.
 */
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio_net.h>

/* Warnings printed per reason; the counters keep counting. */
#define VNET_WARN_MAX	4

#define vnet_warn(rx, counter, fmt, ...) do {				\
	if ((rx)->counter++ < VNET_WARN_MAX)				\
		pr_warn("virtio: net: " fmt "; packet dropped\n", ##__VA_ARGS__); \
} while (0)

u64 vnet_rx_dropped(const struct vnet_rx *rx)
{
	return rx->bad_count + rx->too_long + rx->short_buf + rx->past_buffer;
}

/* The packet's first buffer: its header read, its count checked. */
static enum vnet_rx_result first_buffer(struct vnet_rx *rx, const u8 *buf, u32 len,
					const u8 **data, u32 *dlen)
{
	struct virtio_net_hdr_v1 h;

	if (len < VNET_HDR_LEN) {
		vnet_warn(rx, short_buf, "buffer of %u bytes, shorter than the header", len);
		return VNET_RX_DROP;
	}
	memcpy(&h, buf, VNET_HDR_LEN);
	if (!h.num_buffers || h.num_buffers > rx->max_buffers) {
		vnet_warn(rx, bad_count, "num_buffers %u, not 1..%u", h.num_buffers,
			  rx->max_buffers);
		return VNET_RX_DROP;
	}
	rx->left = h.num_buffers;
	rx->len = 0;
	rx->dropping = false;
	*data = buf + VNET_HDR_LEN;
	*dlen = len - VNET_HDR_LEN;
	return VNET_RX_MORE;
}

enum vnet_rx_result vnet_rx_buffer(struct vnet_rx *rx, const u8 *buf, u32 len,
				   u32 size)
{
	const u8 *data = buf;
	u32 dlen = len;

	if (len > size) {
		vnet_warn(rx, past_buffer, "used length %u past the %u-byte buffer", len, size);
		if (!rx->left)
			return VNET_RX_DROP;
		rx->dropping = true;
		dlen = 0;
	} else if (!rx->left && first_buffer(rx, buf, len, &data, &dlen) == VNET_RX_DROP) {
		return VNET_RX_DROP;
	}
	if (!rx->dropping && dlen > VNET_FRAME_MAX - rx->len) {
		vnet_warn(rx, too_long, "frame of more than %u bytes", VNET_FRAME_MAX);
		rx->dropping = true;
	}
	if (!rx->dropping) {
		memcpy(rx->frame + rx->len, data, dlen);
		rx->len += dlen;
	}
	if (--rx->left)
		return VNET_RX_MORE;
	return rx->dropping ? VNET_RX_DROP : VNET_RX_FRAME;
}
