// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/console_ctrl.c: the virtio-console control messages a
 * device sends, each in a heap buffer of exactly its length (ASan sees
 * any read past it). A well-behaved device: DEVICE_ADD answered
 * PORT_READY 1 and PORT_OPEN 1 for the ports the driver runs, PORT_READY
 * 0 for the others; CONSOLE_PORT, PORT_OPEN, PORT_NAME (cut to fit),
 * DEVICE_REMOVE recorded. A hostile one: an id at or past max_nr_ports,
 * an event no device sends, a message shorter than its header: each is
 * dropped with a reason, writes no reply and leaves the state as it was.
 */
#include "unit.h"

#include <proteus/virtio_console.h>

#define MAX_NR_PORTS	31
#define SENTINEL	0xa5

static struct vcon_ctrl ctrl;
static struct virtio_console_control out[VCON_MAX_REPLIES];

static void reset(u32 max_nr_ports)
{
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.max_nr_ports = max_nr_ports;
	ctrl.nr_ports = max_nr_ports < VCON_PORTS ? max_nr_ports : VCON_PORTS;
}

/* Handle one message built in a buffer of exactly its size. */
static int handle(u32 id, u16 event, u16 value, const char *name, size_t len)
{
	struct virtio_console_control m = { id, event, value };
	size_t n = name ? sizeof(m) + strlen(name) : len;
	u8 *buf = malloc(n ? n : 1);
	int rc;

	memcpy(buf, &m, n < sizeof(m) ? n : sizeof(m));
	if (name)
		memcpy(buf + sizeof(m), name, strlen(name));
	memset(out, SENTINEL, sizeof(out));
	rc = vcon_ctrl_handle(&ctrl, buf, n, out);
	free(buf);
	return rc;
}

static int msg(u32 id, u16 event, u16 value)
{
	return handle(id, event, value, NULL, sizeof(struct virtio_console_control));
}

static bool reply_is(unsigned int i, u32 id, u16 event, u16 value)
{
	return out[i].id == id && out[i].event == event && out[i].value == value;
}

static bool out_untouched(void)
{
	const u8 *p = (const u8 *)out;
	size_t i;

	for (i = 0; i < sizeof(out); i++)
		if (p[i] != SENTINEL)
			return false;
	return true;
}

/* Dropped, with @why in the reason, no reply, the ports as they were. */
static void check_dropped(int rc, const char *why, const struct vcon_port *before)
{
	CHECK_EQ(rc, -1);
	CHECK(strstr(ctrl.why, why) != NULL);
	unit_print_str("why", ctrl.why);
	CHECK(out_untouched());
	CHECK(!memcmp(before, ctrl.port, sizeof(ctrl.port)));
}

#define check_dropped(call, why) do {					\
	struct vcon_port before[VCON_PORTS];				\
									\
	memcpy(before, ctrl.port, sizeof(before));			\
	check_dropped(call, why, before);				\
} while (0)

static void well_behaved(void)
{
	struct vcon_ctrl saved;

	unit_name("device add, ready, open");
	reset(MAX_NR_PORTS);
	CHECK_EQ(msg(0, VIRTIO_CONSOLE_PORT_ADD, 0), 2);
	CHECK(reply_is(0, 0, VIRTIO_CONSOLE_PORT_READY, 1));
	CHECK(reply_is(1, 0, VIRTIO_CONSOLE_PORT_OPEN, 1));
	CHECK(ctrl.port[0].added && ctrl.port[0].ready);
	CHECK_EQ(msg(1, VIRTIO_CONSOLE_PORT_ADD, 0), 2);
	CHECK(reply_is(0, 1, VIRTIO_CONSOLE_PORT_READY, 1));
	CHECK(ctrl.port[1].ready);

	unit_name("a port not run is refused and touches nothing");
	memcpy(&saved, &ctrl, sizeof(saved));
	CHECK_EQ(msg(MAX_NR_PORTS - 1, VIRTIO_CONSOLE_PORT_ADD, 0), 1);
	CHECK(reply_is(0, MAX_NR_PORTS - 1, VIRTIO_CONSOLE_PORT_READY, 0));
	CHECK_EQ(msg(VCON_PORTS, VIRTIO_CONSOLE_PORT_OPEN, 1), 0);
	CHECK_EQ(msg(VCON_PORTS, VIRTIO_CONSOLE_CONSOLE_PORT, 1), 0);
	CHECK_EQ(handle(VCON_PORTS, VIRTIO_CONSOLE_PORT_NAME, 1, "other", 0), 0);
	CHECK(out_untouched());
	CHECK(!memcmp(&saved, &ctrl, sizeof(saved)));

	unit_name("console, open, name, remove");
	CHECK_EQ(msg(0, VIRTIO_CONSOLE_CONSOLE_PORT, 1), 0);
	CHECK(ctrl.port[0].console && !ctrl.port[1].console);
	CHECK_EQ(msg(1, VIRTIO_CONSOLE_PORT_OPEN, 1), 0);
	CHECK(ctrl.port[1].host_open);
	CHECK_EQ(handle(1, VIRTIO_CONSOLE_PORT_NAME, 1, "org.proteus.test", 0), 0);
	CHECK_STR(ctrl.port[1].name, "org.proteus.test");
	CHECK_EQ(handle(0, VIRTIO_CONSOLE_PORT_NAME, 1,
			"a-name-much-longer-than-the-thirty-one-bytes-kept", 0), 0);
	CHECK_EQ(strlen(ctrl.port[0].name), VCON_NAME_MAX - 1);
	CHECK_EQ(handle(0, VIRTIO_CONSOLE_PORT_NAME, 1, "", 0), 0);
	CHECK_STR(ctrl.port[0].name, "");
	CHECK_EQ(msg(1, VIRTIO_CONSOLE_RESIZE, 0), 0);
	CHECK_EQ(msg(1, VIRTIO_CONSOLE_PORT_REMOVE, 0), 0);
	CHECK(!ctrl.port[1].ready && !ctrl.port[1].host_open);
}

static void hostile(void)
{
	unit_name("id past max_nr_ports");
	reset(MAX_NR_PORTS);
	check_dropped(msg(MAX_NR_PORTS, VIRTIO_CONSOLE_PORT_ADD, 0), "past max_nr_ports");
	check_dropped(msg(0xffffffff, VIRTIO_CONSOLE_PORT_NAME, 0), "past max_nr_ports");
	check_dropped(handle(MAX_NR_PORTS + 7, VIRTIO_CONSOLE_PORT_NAME, 0, "evil", 0),
		      "past max_nr_ports");
	reset(1);
	check_dropped(msg(1, VIRTIO_CONSOLE_PORT_OPEN, 1), "past max_nr_ports");
	check_dropped(msg(1, VIRTIO_CONSOLE_CONSOLE_PORT, 1), "past max_nr_ports");

	unit_name("unknown or driver-only events");
	reset(MAX_NR_PORTS);
	check_dropped(msg(0, VIRTIO_CONSOLE_PORT_NAME + 1, 0), "not an event");
	check_dropped(msg(1, 0xffff, 1), "not an event");
	check_dropped(msg(0, VIRTIO_CONSOLE_DEVICE_READY, 1), "not an event");
	check_dropped(msg(0, VIRTIO_CONSOLE_PORT_READY, 1), "not an event");

	unit_name("shorter than the header");
	check_dropped(handle(0, VIRTIO_CONSOLE_PORT_ADD, 0, NULL, 7), "shorter");
	check_dropped(handle(0, VIRTIO_CONSOLE_PORT_ADD, 0, NULL, 0), "shorter");
}

int main(void)
{
	well_behaved();
	hostile();
	return unit_done();
}
