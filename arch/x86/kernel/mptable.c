// SPDX-License-Identifier: GPL-2.0
/*
 * The Intel MultiProcessor Specification 1.4 table, for platforms that
 * describe their IOAPICs with it and have no ACPI MADT (QEMU's microvm
 * with acpi=off: qboot writes one in the EBDA). The floating pointer
 * "_MP_" (16 bytes, checksummed) is searched on 16-byte boundaries in the
 * last KiB of base memory and 0xF0000-0xFFFFF (MP 1.4, 4.1; the EBDA
 * pointer at 0x40e is not read, page 0 stays unmapped as a NULL guard:
 * qboot's EBDA is that last KiB); it points at the "PCMP" configuration table (checksummed
 * over its base length), whose entries are walked by that length (qboot
 * leaves the entry count 0): type 0 processors (20 bytes), then 8-byte
 * entries: 1 buses, 2 IOAPICs {id, version, flags (bit 0 usable),
 * address}, 3 I/O interrupt assignments {type, MPS INTI flags, source bus,
 * source IRQ, destination IOAPIC id, pin}, 4 local interrupts. IOAPICs
 * get consecutive GSIs in table order, as Linux numbers them; an ISA
 * IRQ's assignment becomes its GSI and flags (like a MADT override).
 */
#include <asm/apic.h>
#include <proteus/acpi.h>
#include <proteus/printk.h>
#include <proteus/string.h>

#define MP_PTR_SIZE		16
#define MPC_HEADER_SIZE		44
#define MPC_LENGTH		4
#define MPC_ENTRY_PROCESSOR	0
#define MPC_ENTRY_BUS		1
#define MPC_ENTRY_IOAPIC	2
#define MPC_ENTRY_IOINT		3
#define MPC_PROCESSOR_SIZE	20
#define MPC_ENTRY_SIZE		8
#define MP_MAX_IOAPICS		8
#define MP_MAX_BUSES		32

struct mp_state {
	u8 ioapic_id[MP_MAX_IOAPICS];
	u32 gsi_base[MP_MAX_IOAPICS];
	unsigned int nr_ioapics;
	u32 next_gsi;
	bool isa_bus[MP_MAX_BUSES];
};

static bool sums_to_zero(const u8 *p, u32 len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
}

static const u8 *find_pointer(phys_addr_t start, u32 len)
{
	phys_addr_t pa;

	if (acpi_phys_avail(start) < len)
		return NULL;
	for (pa = start; pa + MP_PTR_SIZE <= start + len; pa += 16) {
		const u8 *p = (const u8 *)(uintptr_t)pa;

		if (!memcmp(p, "_MP_", 4) && p[8] == 1 && sums_to_zero(p, MP_PTR_SIZE))
			return p;
	}
	return NULL;
}

static const u8 *find_config(void)
{
	const u8 *p = find_pointer(0x9fc00, 1024);
	u32 pa;
	u16 len;

	if (!p)
		p = find_pointer(0xf0000, 0x10000);
	if (!p)
		return NULL;
	memcpy(&pa, p + 4, sizeof(pa));
	if (!pa || acpi_phys_avail(pa) < MPC_HEADER_SIZE)
		return NULL;
	p = (const u8 *)(uintptr_t)pa;
	memcpy(&len, p + MPC_LENGTH, sizeof(len));
	if (memcmp(p, "PCMP", 4) || len < MPC_HEADER_SIZE || acpi_phys_avail(pa) < len ||
	    !sums_to_zero(p, len)) {
		pr_warn("mptable: configuration table at %#x is not valid; ignored\n", pa);
		return NULL;
	}
	return p;
}

static void add_ioapic(struct mp_state *s, const u8 *e)
{
	u32 address, pins;

	memcpy(&address, e + 4, sizeof(address));
	if (!(e[3] & 1) || s->nr_ioapics == MP_MAX_IOAPICS)
		return;
	pins = ioapic_add(e[1], address, s->next_gsi);
	if (!pins)
		return;
	s->ioapic_id[s->nr_ioapics] = e[1];
	s->gsi_base[s->nr_ioapics++] = s->next_gsi;
	s->next_gsi += pins;
}

static void add_isa_irq(const struct mp_state *s, const u8 *e)
{
	unsigned int i;
	u16 flags;

	if (e[1] != 0 || e[4] >= MP_MAX_BUSES || !s->isa_bus[e[4]])
		return;
	memcpy(&flags, e + 2, sizeof(flags));
	for (i = 0; i < s->nr_ioapics; i++)
		if (s->ioapic_id[i] == e[6])
			ioapic_set_isa_irq(e[5], s->gsi_base[i] + e[7], flags);
}

/* Two passes: IOAPICs and buses first, as assignments name them. */
static void walk(struct mp_state *s, const u8 *t, bool assignments)
{
	u16 len;
	u32 off = MPC_HEADER_SIZE;

	memcpy(&len, t + MPC_LENGTH, sizeof(len));
	while (off < len) {
		const u8 *e = t + off;
		u32 size = e[0] == MPC_ENTRY_PROCESSOR ? MPC_PROCESSOR_SIZE : MPC_ENTRY_SIZE;

		if (e[0] > 4 || off + size > len)
			break;
		if (!assignments && e[0] == MPC_ENTRY_IOAPIC)
			add_ioapic(s, e);
		else if (!assignments && e[0] == MPC_ENTRY_BUS && e[1] < MP_MAX_BUSES)
			s->isa_bus[e[1]] = !memcmp(e + 2, "ISA   ", 6);
		else if (assignments && e[0] == MPC_ENTRY_IOINT)
			add_isa_irq(s, e);
		off += size;
	}
}

void mptable_parse(void)
{
	const u8 *t = find_config();
	struct mp_state s = { 0 };

	if (!t)
		return;
	walk(&s, t, false);
	walk(&s, t, true);
	pr_info("mptable: %u IOAPICs from the MP configuration table\n", s.nr_ioapics);
}
