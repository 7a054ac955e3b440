// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/kernel/madt.c: acpi_madt_for_each_cpu() over hand-made MADTs:
 * which processors are present, and what malformed entries do.
 */
#include "unit.h"

#include <proteus/acpi.h>

#define MAX_LISTED	16

static struct {
	u8 bytes[512];
	u32 len;
} madt;

static struct {
	unsigned int n;
	struct acpi_cpu cpu[MAX_LISTED];
} listed;

static void madt_reset(void)
{
	memset(&madt, 0, sizeof(madt));
	memset(&listed, 0, sizeof(listed));
	memcpy(madt.bytes, "APIC", 4);
	madt.len = sizeof(struct acpi_madt);
	unit_log_reset();
}

static void put(const void *p, u32 len)
{
	memcpy(madt.bytes + madt.len, p, len);
	madt.len += len;
}

static void lapic(u8 uid, u8 id, u32 flags)
{
	struct acpi_madt_lapic l = {
		.h = { ACPI_MADT_LAPIC, sizeof(l) },
		.processor_uid = uid, .apic_id = id, .flags = flags,
	};

	put(&l, sizeof(l));
}

static void x2apic(u32 uid, u32 id, u32 flags)
{
	struct acpi_madt_x2apic x = {
		.h = { ACPI_MADT_X2APIC, sizeof(x) },
		.x2apic_id = id, .flags = flags, .processor_uid = uid,
	};

	put(&x, sizeof(x));
}

/* Another kind of entry: an I/O APIC (type 1, 12 bytes). */
static void ioapic(void)
{
	u8 e[12] = { 1, 12 };

	put(e, sizeof(e));
}

static void raw_entry(u8 type, u8 length)
{
	u8 e[2] = { type, length };

	put(e, sizeof(e));
}

static void record(const struct acpi_cpu *cpu, void *data)
{
	CHECK(data == &listed);
	if (listed.n < MAX_LISTED)
		listed.cpu[listed.n] = *cpu;
	listed.n++;
}

/* Walks the table with its header's length set to len. */
static unsigned int walk_len(u32 len)
{
	struct acpi_table_header *h = (void *)madt.bytes;

	h->length = len;
	return acpi_madt_for_each_cpu(h, record, &listed);
}

static unsigned int walk(void)
{
	return walk_len(madt.len);
}

#define ENABLED		ACPI_MADT_ENABLED
#define ONLINE_CAPABLE	ACPI_MADT_ONLINE_CAPABLE

static void test_present_only(void)
{
	unit_name("present processors only");
	madt_reset();
	lapic(0, 0, ENABLED);
	lapic(1, 1, 0);				/* QEMU 7.2's absent CPU */
	ioapic();
	lapic(2, 2, ONLINE_CAPABLE);		/* ACPI 6.3's hot-plug slot */
	lapic(3, 3, ENABLED | ONLINE_CAPABLE);
	lapic(4, 0xff, ENABLED);		/* "no processor" */
	x2apic(5, 0x100, ENABLED);
	x2apic(6, 0x101, ONLINE_CAPABLE);
	x2apic(7, ~0U, ENABLED);		/* "no processor" */
	CHECK_EQ(walk(), 3u);
	CHECK_EQ(listed.n, 3u);
	CHECK_EQ(listed.cpu[0].apic_id, 0u);
	CHECK_EQ(listed.cpu[1].apic_id, 3u);
	CHECK_EQ(listed.cpu[1].uid, 3u);
	CHECK_EQ(listed.cpu[2].apic_id, 0x100u);
	CHECK_EQ(listed.cpu[2].uid, 5u);
	CHECK_EQ(unit_log.count, 0);
}

/* The count alone, as acpi_count_cpus() asks for it, is the same. */
static void test_count_without_callback(void)
{
	struct acpi_table_header *h = (void *)madt.bytes;

	unit_name("count without a callback");
	madt_reset();
	lapic(0, 0, ENABLED);
	lapic(1, 1, ONLINE_CAPABLE);
	lapic(2, 2, ENABLED);
	h->length = madt.len;
	CHECK_EQ(acpi_madt_for_each_cpu(h, NULL, NULL), 2u);
}

static void test_no_entries(void)
{
	unit_name("no entries");
	madt_reset();
	CHECK_EQ(walk(), 0u);
	CHECK_EQ(unit_log.count, 0);
}

static void test_short_table(void)
{
	unit_name("table shorter than the MADT header");
	madt_reset();
	CHECK_EQ(walk_len(sizeof(struct acpi_madt) - 1), 0u);
	CHECK(unit_log_find("no room for its header") != NULL);
}

/* A zero length would loop forever if the walk trusted it. */
static void test_zero_length(void)
{
	unit_name("zero-length entry");
	madt_reset();
	lapic(0, 0, ENABLED);
	raw_entry(ACPI_MADT_LAPIC, 0);
	lapic(1, 1, ENABLED);
	CHECK_EQ(walk(), 1u);
	CHECK_EQ(listed.n, 1u);
	CHECK(unit_log_find("at offset 52 has length 0") != NULL);
	CHECK_EQ(unit_log_matches("ignoring it and the rest"), 1);
}

static void test_past_the_end(void)
{
	unit_name("entry past the table's end");
	madt_reset();
	lapic(0, 0, ENABLED);
	lapic(1, 1, ENABLED);
	/* The table ends in the middle of the second entry. */
	CHECK_EQ(walk_len(madt.len - 1), 1u);
	CHECK(unit_log_find("at offset 52 has length 8 (table ends at 59)") != NULL);
}

static void test_processor_entry_too_short(void)
{
	unit_name("processor entry shorter than its layout");
	madt_reset();
	lapic(0, 0, ENABLED);
	raw_entry(ACPI_MADT_X2APIC, 8);
	madt.len += 6;
	x2apic(1, 1, ENABLED);
	CHECK_EQ(walk(), 1u);
	CHECK(unit_log_find("type 9 at offset 52 has length 8") != NULL);
}

/* A trailing byte too few for an entry header is padding, not an error. */
static void test_trailing_byte(void)
{
	unit_name("one trailing byte");
	madt_reset();
	lapic(0, 0, ENABLED);
	madt.len += 1;
	CHECK_EQ(walk(), 1u);
	CHECK_EQ(unit_log.count, 0);
}

int main(void)
{
	test_present_only();
	test_count_without_callback();
	test_no_entries();
	test_short_table();
	test_zero_length();
	test_past_the_end();
	test_processor_entry_too_short();
	test_trailing_byte();
	return unit_done();
}
