// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console control messages from the device (virtio 1.2, 5.3.6.2):
 * DEVICE_ADD (answered PORT_READY: 1 for the ports we run, 0 for the
 * rest; a port we run is opened at once with PORT_OPEN), DEVICE_REMOVE,
 * CONSOLE_PORT, RESIZE (no size kept), PORT_OPEN and PORT_NAME. The id
 * is checked against max_nr_ports before anything else; a message too
 * short, past it, or of an event only the driver sends is dropped and
 * touches no state. Fields are little-endian (virtio 1) or, legacy,
 * the guest's own order: the same on x86.
 */
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio_console.h>

static int drop(struct vcon_ctrl *c, const char *why, u32 id, u16 event)
{
	snprintf(c->why, sizeof(c->why), "control message id %u event %u: %s", id,
		 event, why);
	return -1;
}

static void reply(struct virtio_console_control *out, u32 id, u16 event, u16 value)
{
	out->id = id;
	out->event = event;
	out->value = value;
}

static int port_add(struct vcon_ctrl *c, u32 id, struct virtio_console_control *out)
{
	struct vcon_port *p;

	if (id >= c->nr_ports) {
		reply(out, id, VIRTIO_CONSOLE_PORT_READY, 0);
		return 1;
	}
	p = &c->port[id];
	p->added = p->ready = true;
	reply(&out[0], id, VIRTIO_CONSOLE_PORT_READY, 1);
	reply(&out[1], id, VIRTIO_CONSOLE_PORT_OPEN, 1);
	return 2;
}

/* The name follows the header, unterminated; longer ones are cut. */
static void port_name(struct vcon_port *p, const u8 *name, u32 len)
{
	u32 n = len < VCON_NAME_MAX - 1 ? len : VCON_NAME_MAX - 1;

	memcpy(p->name, name, n);
	p->name[n] = '\0';
}

int vcon_ctrl_handle(struct vcon_ctrl *c, const void *msg, u32 len,
		     struct virtio_console_control *out)
{
	struct virtio_console_control m;
	struct vcon_port *p;

	if (len < sizeof(m)) {
		snprintf(c->why, sizeof(c->why),
			 "control message of %u bytes, shorter than its header", len);
		return -1;
	}
	memcpy(&m, msg, sizeof(m));
	if (m.id >= c->max_nr_ports)
		return drop(c, "port id past max_nr_ports", m.id, m.event);
	if (m.event == VIRTIO_CONSOLE_PORT_ADD)
		return port_add(c, m.id, out);
	if (m.event == VIRTIO_CONSOLE_DEVICE_READY || m.event == VIRTIO_CONSOLE_PORT_READY ||
	    m.event > VIRTIO_CONSOLE_PORT_NAME)
		return drop(c, "not an event a device sends", m.id, m.event);
	if (m.id >= c->nr_ports)
		return 0;
	p = &c->port[m.id];
	switch (m.event) {
	case VIRTIO_CONSOLE_PORT_REMOVE:
		p->added = p->ready = p->host_open = false;
		break;
	case VIRTIO_CONSOLE_CONSOLE_PORT:
		p->console = true;
		break;
	case VIRTIO_CONSOLE_PORT_OPEN:
		p->host_open = m.value;
		break;
	case VIRTIO_CONSOLE_PORT_NAME:
		port_name(p, (const u8 *)msg + sizeof(m), len - sizeof(m));
		break;
	}
	return 0;
}
