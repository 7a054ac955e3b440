// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/kernel/acpi-check.c and efi-tables.c over crafted firmware
 * data: RSDPs and system description tables good and corrupt, and EFI
 * system tables whose configuration tables lead (or fail to lead) to one.
 * "Physical" addresses are the addresses of one arena; avail() vouches
 * for the arena only, as the kernel's does for its memory map.
 */
#include "unit.h"

#include <proteus/acpi.h>
#include <proteus/efi.h>

static u8 arena[16384] __attribute__((aligned(16)));

static u64 avail(u64 pa)
{
	u64 base = (uintptr_t)arena;

	if (pa < base || pa >= base + sizeof(arena))
		return 0;
	return base + sizeof(arena) - pa;
}

static u64 pa_of(const void *p)
{
	return (uintptr_t)p;
}

static void fix_checksum(void *p, u32 len, u8 *field)
{
	u8 *b = p, sum = 0;
	u32 i;

	*field = 0;
	for (i = 0; i < len; i++)
		sum += b[i];
	*field = (u8)-sum;
}

#define CHECK_OK(p)		CHECK((p) == NULL)
#define CHECK_PROBLEM(p, s)	CHECK_STR(p, s)

/* An RSDP at offset off of the arena, pointing nowhere in particular. */
static struct acpi_rsdp *make_rsdp(u32 off, u8 revision)
{
	struct acpi_rsdp *r = (void *)(arena + off);

	memset(r, 0, sizeof(*r));
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, "PROTEU", 6);
	r->revision = revision;
	r->rsdt_address = 0x1000;
	fix_checksum(r, 20, &r->checksum);
	if (revision >= 2) {
		r->length = sizeof(*r);
		r->xsdt_address = 0x2000;
		fix_checksum(r, sizeof(*r), &r->extended_checksum);
	}
	return r;
}

static void test_rsdp(void)
{
	struct acpi_rsdp *r;

	unit_name("rsdp: good v1 and v2");
	memset(arena, 0, sizeof(arena));
	CHECK_OK(acpi_rsdp_problem(make_rsdp(0, 0), 20));
	CHECK_OK(acpi_rsdp_problem(make_rsdp(64, 2), sizeof(*r)));

	unit_name("rsdp: bad signature");
	r = make_rsdp(0, 2);
	r->signature[3] = 'X';
	CHECK_PROBLEM(acpi_rsdp_problem(r, sizeof(*r)), "bad signature");

	unit_name("rsdp: bad v1 checksum");
	r = make_rsdp(0, 0);
	r->checksum++;
	CHECK_PROBLEM(acpi_rsdp_problem(r, sizeof(*r)), "bad checksum");

	unit_name("rsdp: bad extended checksum");
	r = make_rsdp(0, 2);
	r->xsdt_address++;
	CHECK_PROBLEM(acpi_rsdp_problem(r, sizeof(*r)), "bad extended checksum");

	unit_name("rsdp: the checksums cover their last byte");
	r = make_rsdp(0, 2);
	((u8 *)r)[19] ^= 0x80;
	CHECK_PROBLEM(acpi_rsdp_problem(r, sizeof(*r)), "bad checksum");
	r = make_rsdp(0, 2);
	r->reserved[2] = 1;
	CHECK_PROBLEM(acpi_rsdp_problem(r, sizeof(*r)), "bad extended checksum");

	unit_name("rsdp: v1 checksum does not cover the v2 part");
	r = make_rsdp(0, 0);
	r->xsdt_address = 0xdead;
	CHECK_OK(acpi_rsdp_problem(r, 20));

	unit_name("rsdp: truncated");
	r = make_rsdp(0, 2);
	CHECK_PROBLEM(acpi_rsdp_problem(r, 19), "truncated");
	CHECK_PROBLEM(acpi_rsdp_problem(r, 30), "truncated");

	unit_name("rsdp: length past what is readable");
	r->length = 100;
	fix_checksum(r, 20, &r->checksum);
	CHECK_PROBLEM(acpi_rsdp_problem(r, sizeof(*r)), "bad length");

	unit_name("rsdp: length shorter than an RSDP");
	r->length = 20;
	CHECK_PROBLEM(acpi_rsdp_problem(r, sizeof(*r)), "bad length");
}

static struct acpi_table_header *make_sdt(u32 off, const char *sig, u32 len)
{
	struct acpi_table_header *h = (void *)(arena + off);

	memset(h, 0, len);
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = 1;
	fix_checksum(h, len, &h->checksum);
	return h;
}

static void test_sdt(void)
{
	struct acpi_table_header *h;

	memset(arena, 0, sizeof(arena));
	unit_name("sdt: good");
	h = make_sdt(0, "APIC", 100);
	CHECK_OK(acpi_sdt_problem(h, 100));

	unit_name("sdt: bad checksum");
	((u8 *)h)[60] ^= 1;
	CHECK_PROBLEM(acpi_sdt_problem(h, 100), "bad checksum");

	unit_name("sdt: checksum covers the last byte");
	h = make_sdt(0, "APIC", 100);
	((u8 *)h)[99] = 1;
	CHECK_PROBLEM(acpi_sdt_problem(h, 100), "bad checksum");

	unit_name("sdt: truncated");
	h = make_sdt(0, "FACP", 100);
	CHECK_PROBLEM(acpi_sdt_problem(h, 99), "truncated");
	CHECK_PROBLEM(acpi_sdt_problem(h, 35), "truncated");

	unit_name("sdt: length shorter than a header");
	h->length = 35;
	CHECK_PROBLEM(acpi_sdt_problem(h, 100), "bad length");

	unit_name("sdt: absurd length");
	h->length = ACPI_MAX_TABLE_LEN + 1;
	CHECK_PROBLEM(acpi_sdt_problem(h, ~0ULL), "bad length");
}

/* Arena layout for the EFI cases. */
#define OFF_SYSTAB	0
#define OFF_TABLES	256
#define OFF_RSDP1	4096
#define OFF_RSDP2	4160
#define OFF_BAD_RSDP	4224

static const struct efi_guid guid_acpi20 = {
	0x8868e871, 0xe4f1, 0x11d3,
	{ 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 } };
static const struct efi_guid guid_acpi10 = {
	0xeb9d2d30, 0x2d88, 0x11d3,
	{ 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } };
/* The SMBIOS table's GUID: a configuration table that is not ACPI. */
static const struct efi_guid guid_smbios = {
	0xeb9d2d31, 0x2d88, 0x11d3,
	{ 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d } };

static struct efi_system_table *st;
static struct efi_config_table *ct;

static void efi_reset(void)
{
	memset(arena, 0, sizeof(arena));
	st = (void *)(arena + OFF_SYSTAB);
	ct = (void *)(arena + OFF_TABLES);
	st->hdr.signature = EFI_SYSTEM_TABLE_SIGNATURE;
	st->hdr.revision = (2 << 16) | 70;
	st->hdr.header_size = sizeof(*st);
	st->tables = pa_of(ct);
	make_rsdp(OFF_RSDP1, 0);
	make_rsdp(OFF_RSDP2, 2);
	make_rsdp(OFF_BAD_RSDP, 2)->checksum++;
}

static void add_table(const struct efi_guid *g, u32 off)
{
	ct[st->nr_tables].vendor_guid = *g;
	ct[st->nr_tables].vendor_table = pa_of(arena + off);
	st->nr_tables++;
}

static u64 find(const char **why)
{
	*why = "unset";
	return efi_find_acpi_rsdp(pa_of(st), avail, why);
}

static void test_efi_found(void)
{
	const char *why;

	unit_name("efi: only the ACPI 2.0 table");
	efi_reset();
	add_table(&guid_smbios, OFF_RSDP1);
	add_table(&guid_acpi20, OFF_RSDP2);
	CHECK_EQ(find(&why), pa_of(arena + OFF_RSDP2));
	CHECK(why == NULL);

	unit_name("efi: only the ACPI 1.0 table");
	efi_reset();
	add_table(&guid_acpi10, OFF_RSDP1);
	CHECK_EQ(find(&why), pa_of(arena + OFF_RSDP1));
	CHECK(why == NULL);

	unit_name("efi: both, 1.0 listed first: 2.0 wins");
	efi_reset();
	add_table(&guid_acpi10, OFF_RSDP1);
	add_table(&guid_acpi20, OFF_RSDP2);
	CHECK_EQ(find(&why), pa_of(arena + OFF_RSDP2));

	unit_name("efi: 2.0 table's RSDP corrupt: 1.0 is used");
	efi_reset();
	add_table(&guid_acpi20, OFF_BAD_RSDP);
	add_table(&guid_acpi10, OFF_RSDP1);
	CHECK_EQ(find(&why), pa_of(arena + OFF_RSDP1));
}

static void test_efi_bad(void)
{
	const char *why;

	unit_name("efi: zero configuration tables");
	efi_reset();
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "no configuration tables");

	unit_name("efi: absurd table count");
	efi_reset();
	add_table(&guid_acpi20, OFF_RSDP2);
	st->nr_tables = 1ULL << 40;
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "absurd configuration table count");

	unit_name("efi: tables run past memory");
	efi_reset();
	add_table(&guid_acpi20, OFF_RSDP2);
	st->nr_tables = EFI_CONFIG_TABLES_MAX;
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "configuration tables not in memory");

	unit_name("efi: bad system table signature");
	efi_reset();
	add_table(&guid_acpi20, OFF_RSDP2);
	st->hdr.signature ^= 1;
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "bad system table signature");

	unit_name("efi: revision 1.10");
	efi_reset();
	add_table(&guid_acpi20, OFF_RSDP2);
	st->hdr.revision = (1 << 16) | 10;
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "system table revision too old");

	unit_name("efi: system table outside memory");
	efi_reset();
	why = "unset";
	CHECK_EQ(efi_find_acpi_rsdp(pa_of(arena + sizeof(arena) - 64), avail, &why), 0ULL);
	CHECK_PROBLEM(why, "system table not in memory");

	unit_name("efi: no ACPI GUID");
	efi_reset();
	add_table(&guid_smbios, OFF_RSDP2);
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "no ACPI configuration table");

	unit_name("efi: the only ACPI table's RSDP is corrupt");
	efi_reset();
	add_table(&guid_acpi20, OFF_BAD_RSDP);
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "bad checksum");

	unit_name("efi: vendor table pointer outside memory");
	efi_reset();
	add_table(&guid_acpi20, OFF_RSDP2);
	ct[0].vendor_table = 8;
	CHECK_EQ(find(&why), 0ULL);
	CHECK_PROBLEM(why, "truncated");
}

int main(void)
{
	test_rsdp();
	test_sdt();
	test_efi_found();
	test_efi_bad();
	return unit_done();
}
