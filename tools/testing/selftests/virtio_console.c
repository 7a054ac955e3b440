// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console as the runner gives it (a virtconsole on port 0 and a
 * named port 1, each to a chardev file). console_ports writes a line
 * with a per-boot nonce to every port the device added and we made
 * ready, and names it on the main console:
 *   # virtio-console: wrote "proteus nonce N port P" to port P (NAME or unnamed)
 * The guest cannot read what the host got: after poweroff the runner
 * reads each chardev file and fails the environment when the line is
 * not there. In the guest: the device runs, at least one port was added,
 * and each write came back from the device in time.
 * console_mirror (console=hvc0): printk reaches the console port; the
 * runner finds the summary line in its file. Both SKIP without a device
 * (a plain boot by hand); console_mirror also without console=hvc0.
 * console_needs_reset: a misordered chain on port 0's transmit queue
 * (virtio_send_misordered: QEMU sets DEVICE_NEEDS_RESET) must restart
 * the device once, its ports made ready again, and a fresh nonce line
 * then reach every port's file (the runner checks it as above; printk
 * mirrored after it reaches hvc0's, where the runner finds the summary).
 * Legacy and packed devices are left out with their reason (SKIP).
 */
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <proteus/entropy.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_console.h>

static u64 boot_nonce(void)
{
	u64 n;

	entropy_read(&n, sizeof(n));
	return n ^ sched_clock();
}

/* A nonce line to every port ready, each named on the main console. */
static enum test_result write_ports(void)
{
	unsigned int p, written = 0;
	u64 nonce = boot_nonce();
	char line[64];

	for (p = 0; p < virtio_console_nr_ports(); p++) {
		if (!virtio_console_port_ready(p))
			continue;
		snprintf(line, sizeof(line), "proteus nonce %016llx port %u",
			 (unsigned long long)nonce, p);
		EXPECT(!virtio_console_write(p, line, strlen(line)));
		EXPECT(!virtio_console_write(p, "\n", 1));
		printk("# virtio-console: wrote \"%s\" to port %u (%s)\n", line, p,
		       *virtio_console_port_name(p) ? virtio_console_port_name(p) : "unnamed");
		written++;
	}
	EXPECT(written > 0);
	return TEST_PASS;
}

SELFTEST(virtio, console_ports)
{
	if (!virtio_count(VIRTIO_ID_CONSOLE))
		return skip("no virtio-console device");
	EXPECT(virtio_console_running());
	virtio_console_poll();
	return write_ports();
}

SELFTEST(virtio, console_needs_reset)
{
	struct virtio_device *vd = virtio_console_device();
	unsigned int restarts;
	const char *out;

	if (!virtio_count(VIRTIO_ID_CONSOLE))
		return skip("no virtio-console device");
	EXPECT(virtio_console_running());
	out = virtio_misordered_left_out(vd);
	if (out)
		return skip(out);
	restarts = vd->restarts;
	EXPECT(virtio_console_send_misordered() == -1);
	EXPECT_EQ(vd->restarts, restarts + 1);
	EXPECT(virtio_console_running());
	virtio_console_poll();
	printk("# virtio-console: restarted; %u ports, port 0 %s\n", virtio_console_nr_ports(),
	       virtio_console_port_ready(0) ? "ready" : "not ready");
	EXPECT(virtio_console_port_ready(0));
	return write_ports();
}

SELFTEST(virtio, console_mirror)
{
	if (!virtio_count(VIRTIO_ID_CONSOLE))
		return skip("no virtio-console device");
	if (!virtio_console_wanted())
		return skip("no console=hvc0 on the command line");
	EXPECT(virtio_console_mirrors());
	printk("# virtio-console: printk mirrored to the console port\n");
	return TEST_PASS;
}
