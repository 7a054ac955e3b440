// SPDX-License-Identifier: GPL-2.0
/*
 * Device-specific configuration reads (virtio 1.2, 2.5): a field spanning
 * more than one access may change between them, so the read is repeated
 * until config_generation reads the same before and after (a legacy
 * interface has no generation: two reads must agree instead). A device
 * whose configuration never settles, or a read past the configuration
 * the transport found, fails the device with a line. Free of any
 * transport, so the host tests drive it with a simulated one.
 */
#include <proteus/string.h>
#include <proteus/virtio.h>

/* Reads of a configuration that keeps changing before giving up. */
#define VIRTIO_CONFIG_TRIES	16

/* Each field at its own width (4.1.3.1: 64-bit ones as two 32-bit reads). */
static void config_copy(struct virtio_device *vd, unsigned int off, u8 *buf,
			unsigned int len)
{
	unsigned int width = len == 1 || len == 2 || len == 4 ? len :
			     len % 4 == 0 ? 4 : 1;
	unsigned int i;
	u32 v;

	for (i = 0; i < len; i += width) {
		v = vd->t->config_read(vd, off + i, width);
		memcpy(buf + i, &v, width);
	}
}

int virtio_config_read(struct virtio_device *vd, unsigned int off, void *buf,
		       unsigned int len)
{
	u8 again[16];
	unsigned int tries;
	u32 gen;

	if (vd->failed)
		return -1;
	if ((u64)off + len > vd->config_len || len > sizeof(again)) {
		virtio_fail(vd, "configuration read of %u bytes at %u: past its %u bytes",
			    len, off, vd->config_len);
		return -1;
	}
	for (tries = 0; tries < VIRTIO_CONFIG_TRIES; tries++) {
		if (!vd->t->generation) {
			config_copy(vd, off, buf, len);
			config_copy(vd, off, again, len);
			if (!memcmp(buf, again, len))
				return 0;
			continue;
		}
		gen = vd->t->generation(vd);
		config_copy(vd, off, buf, len);
		if (vd->t->generation(vd) == gen)
			return 0;
	}
	virtio_fail(vd, "configuration at %u still changing after %u reads", off,
		    VIRTIO_CONFIG_TRIES);
	return -1;
}
