// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_mmio.device=SIZE@BASE:IRQ[:ID], as Linux reads it and QEMU's
 * microvm (with acpi=off) writes it: SIZE with an optional K/M/G suffix,
 * BASE and IRQ in decimal or 0x hex, ID (Linux's platform device id) is
 * accepted and ignored. A pure parser, for the host tests.
 */
#include <proteus/cmdline.h>
#include <proteus/string.h>
#include <proteus/virtio.h>

/* Copy s up to the separator @sep into @buf; NULL if absent or too long. */
static const char *field(const char *s, char sep, char *buf, size_t size)
{
	size_t n = 0;

	while (s[n] && s[n] != sep)
		n++;
	if (s[n] != sep || n >= size)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return s + n + 1;
}

int virtio_mmio_parse(const char *s, struct virtio_mmio_desc *d)
{
	char buf[32];
	const char *irq, *id;
	u64 v;

	if (!s)
		return -1;
	s = field(s, '@', buf, sizeof(buf));
	if (!s || parse_u64(buf, &d->size) || !d->size)
		return -1;
	s = field(s, ':', buf, sizeof(buf));
	if (!s || parse_u64(buf, &d->base))
		return -1;
	irq = s;
	id = strchr(irq, ':');
	if (id) {
		if ((size_t)(id - irq) >= sizeof(buf) || parse_u64(id + 1, &v))
			return -1;
		memcpy(buf, irq, id - irq);
		buf[id - irq] = '\0';
		irq = buf;
	}
	if (parse_u64(irq, &v) || v > 0xffffffffULL)
		return -1;
	d->irq = v;
	if (d->base + d->size < d->base)
		return -1;
	return 0;
}
