// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/mmio-param.c: virtio_mmio.device= values as QEMU's
 * microvm writes them and as Linux documents them, and malformed ones
 * (missing parts, junk, a range that wraps) refused.
 */
#include "unit.h"

#include <proteus/virtio.h>

static void good(const char *s, u64 size, u64 base, u32 irq)
{
	struct virtio_mmio_desc d = { 0 };

	unit_name("parse %s", s);
	CHECK_EQ(virtio_mmio_parse(s, &d), 0);
	CHECK_EQ(d.size, size);
	CHECK_EQ(d.base, base);
	CHECK_EQ(d.irq, irq);
}

static void bad(const char *s)
{
	struct virtio_mmio_desc d;

	unit_name("refuse %s", s ? s : "(null)");
	CHECK_EQ(virtio_mmio_parse(s, &d), -1);
}

int main(void)
{
	good("512@0xfeb00e00:12", 512, 0xfeb00e00, 12);
	good("0x200@0xfeb00000:5", 0x200, 0xfeb00000, 5);
	good("4K@0xd0000000:7:3", 4096, 0xd0000000, 7);
	good("1M@4096:0x10", 1 << 20, 4096, 16);
	bad(NULL);
	bad("");
	bad("512");
	bad("512@0xfeb00e00");
	bad("@0xfeb00e00:12");
	bad("0@0xfeb00e00:12");
	bad("512@:12");
	bad("512@0xfeb00e00:");
	bad("512@0xfeb00e00:12:");
	bad("512@0xfeb00e00:12x");
	bad("512@0xzz:12");
	bad("512@0xfffffffffffffff0:12");
	bad("512@0xfeb00e00:0x100000000");
	bad("5120000000000000000000000000000@1:1");
	return unit_done();
}
