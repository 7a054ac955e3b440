/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-console (virtio 1.2, 5.3): port 0 on queues 0/1 and, with
 * MULTIPORT, the control queues 2/3 and port N on queues 2N+2/2N+3. The
 * driver runs the first VCON_PORTS ports; any other port the device adds
 * is answered PORT_READY 0. ABI: linux/virtio_console.h.
 *
 * The control-message handler is free of queues and printk so the host
 * tests can drive it with hostile messages (vcon_ctrl_handle).
 */
#ifndef PROTEUS_VIRTIO_CONSOLE_H
#define PROTEUS_VIRTIO_CONSOLE_H

#include <linux/virtio_console.h>
#include <proteus/types.h>

struct virtio_device;

/* Ports the driver runs: the console port 0 and one more. */
#define VCON_PORTS		2
#define VCON_NAME_MAX		32
/* Replies one control message may need: PORT_READY and PORT_OPEN. */
#define VCON_MAX_REPLIES	2

struct vcon_port {
	bool added;		/* the device said DEVICE_ADD */
	bool ready;		/* and we answered PORT_READY 1 */
	bool console;		/* CONSOLE_PORT */
	bool host_open;		/* the device's last PORT_OPEN value */
	char name[VCON_NAME_MAX];	/* PORT_NAME, cut to fit */
};

struct vcon_ctrl {
	u32 max_nr_ports;	/* from the configuration, checked by the driver */
	unsigned int nr_ports;	/* ports run: at most VCON_PORTS and max_nr_ports */
	struct vcon_port port[VCON_PORTS];
	char why[96];		/* why the last message was dropped */
};

/*
 * One control message of @len bytes from the device: its replies in @out
 * (how many, 0..VCON_MAX_REPLIES), or -1 when it is dropped: too short,
 * an id past max_nr_ports, an event a device never sends; c->why says why.
 */
int vcon_ctrl_handle(struct vcon_ctrl *c, const void *msg, u32 len,
		     struct virtio_console_control *out);

int virtio_console_probe(struct virtio_device *vd);
int virtio_console_restart(struct virtio_device *vd);
/* For the selftests: virtio_send_misordered on port 0's transmit queue. */
int virtio_console_send_misordered(void);

/* Whether a virtio-console device runs (probed, not failed). */
bool virtio_console_running(void);
/* The device run, or NULL. */
struct virtio_device *virtio_console_device(void);
/* Ports run, and whether port @p was added and made ready by the device. */
unsigned int virtio_console_nr_ports(void);
bool virtio_console_port_ready(unsigned int p);
/* The port's name from PORT_NAME, "" without one. */
const char *virtio_console_port_name(unsigned int p);
/*
 * Send @n bytes on port @p and wait (bounded; halted until the device's
 * interrupt) until the device took them: 0, or -1 (no such port, the
 * device failed, or an interrupt handler's write into a write it
 * interrupted on this CPU).
 */
int virtio_console_write(unsigned int p, const char *s, size_t n);
/*
 * Handle the control messages the device sent since the last call and
 * give back what arrived on the ports (discarded). Not from printk.
 */
void virtio_console_poll(void);
/* Whether console=hvc0 was given. */
bool virtio_console_wanted(void);
/* Whether printk is mirrored to the device's console port, and it is ready. */
bool virtio_console_mirrors(void);

#endif
