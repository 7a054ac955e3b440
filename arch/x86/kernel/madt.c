// SPDX-License-Identifier: GPL-2.0
/*
 * The processors the ACPI MADT lists (ACPI 6.4 section 5.2.12.2, Processor
 * Local APIC, and 5.2.12.12, Processor Local x2APIC), under one rule for
 * every caller: a processor is present, to be counted and started, when
 * its entry is ENABLED and its ID is a real one (0xff for xAPIC and ~0 for
 * x2APIC mean none). An entry that is only ONLINE_CAPABLE, or neither, is
 * a slot for a processor that may be hot-plugged later (QEMU's maxcpus),
 * not a processor; we do no hot-plug, so such slots are passed over.
 *
 * The table is firmware input: an entry shorter than its own header or
 * than its type's layout, or one that runs past the table's end, ends the
 * walk with a warning. The processors listed before it still count, and
 * every caller sees the same ones.
 */
#include <proteus/acpi.h>
#include <proteus/printk.h>

static u32 madt_min_length(u8 type)
{
	switch (type) {
	case ACPI_MADT_LAPIC:
		return sizeof(struct acpi_madt_lapic);
	case ACPI_MADT_X2APIC:
		return sizeof(struct acpi_madt_x2apic);
	default:
		return sizeof(struct acpi_madt_entry);
	}
}

/* Fills *cpu from a well-formed entry; true if it is a present processor. */
static bool madt_cpu(const struct acpi_madt_entry *e, struct acpi_cpu *cpu)
{
	if (e->type == ACPI_MADT_LAPIC) {
		const struct acpi_madt_lapic *l = (const void *)e;

		cpu->apic_id = l->apic_id;
		cpu->uid = l->processor_uid;
		return (l->flags & ACPI_MADT_ENABLED) && l->apic_id != 0xff;
	}
	if (e->type == ACPI_MADT_X2APIC) {
		const struct acpi_madt_x2apic *x = (const void *)e;

		cpu->apic_id = x->x2apic_id;
		cpu->uid = x->processor_uid;
		return (x->flags & ACPI_MADT_ENABLED) && x->x2apic_id != ~0U;
	}
	return false;
}

unsigned int acpi_madt_for_each_cpu(const struct acpi_table_header *madt,
				    acpi_cpu_fn fn, void *data)
{
	u32 off = sizeof(struct acpi_madt), len = madt->length;
	unsigned int n = 0;

	if (len < off) {
		pr_warn("acpi: MADT of %u bytes has no room for its header; no CPUs listed\n",
			len);
		return 0;
	}
	while (len - off >= sizeof(struct acpi_madt_entry)) {
		const struct acpi_madt_entry *e = (const void *)((const u8 *)madt + off);
		struct acpi_cpu cpu;

		if (e->length < madt_min_length(e->type) || e->length > len - off) {
			pr_warn("acpi: MADT entry type %u at offset %u has length %u (table ends at %u); ignoring it and the rest\n",
				e->type, off, e->length, len);
			break;
		}
		if (madt_cpu(e, &cpu)) {
			if (fn)
				fn(&cpu, data);
			n++;
		}
		off += e->length;
	}
	return n;
}
