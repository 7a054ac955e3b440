// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/kernel/acpi-sleep.c over crafted firmware bytes: \_S5 packages
 * in every integer and PkgLength encoding, broken ones (truncated, a
 * PkgLength past the table, a name at its very end, none at all), and
 * FADTs of each length from ACPI 1.0 on, hardware-reduced ones too. Every
 * buffer is allocated at exactly its size, so a read past it is an
 * AddressSanitizer report.
 */
#include "unit.h"

#include <stdlib.h>

#include <proteus/acpi.h>

#define NAME_S5		0x08, '_', 'S', '5', '_'
#define PACKAGE		0x12

static const char *scan(const u8 *bytes, size_t n, u8 typ[2])
{
	u8 *aml = malloc(n ? n : 1);
	const char *why;

	if (n)
		memcpy(aml, bytes, n);
	typ[0] = typ[1] = 0xee;
	why = acpi_aml_find_s5(aml, n, typ);
	free(aml);
	return why;
}

#define SCAN(typ, ...) ({						\
	static const u8 b_[] = { __VA_ARGS__ };				\
	scan(b_, sizeof(b_), typ);					\
})

#define CHECK_TYP(typ, a, b) do {					\
	CHECK_EQ((typ)[0], a);						\
	CHECK_EQ((typ)[1], b);						\
} while (0)

static void test_s5_encodings(void)
{
	u8 typ[2];

	unit_name("s5: QEMU's package, four ZeroOps");
	CHECK(SCAN(typ, 0x10, 0x20, NAME_S5, PACKAGE, 0x06, 0x04, 0, 0, 0, 0, 0x5b) == NULL);
	CHECK_TYP(typ, 0, 0);

	unit_name("s5: OneOp and BytePrefix");
	CHECK(SCAN(typ, NAME_S5, PACKAGE, 0x05, 0x02, 0x01, 0x0a, 0x07) == NULL);
	CHECK_TYP(typ, 1, 7);

	unit_name("s5: WordPrefix and DWordPrefix");
	CHECK(SCAN(typ, NAME_S5, PACKAGE, 0x0a, 0x02, 0x0b, 0x05, 0x00,
		   0x0c, 0x06, 0x00, 0x00, 0x00) == NULL);
	CHECK_TYP(typ, 5, 6);

	unit_name("s5: QWordPrefix");
	CHECK(SCAN(typ, NAME_S5, PACKAGE, 0x0c, 0x02, 0x00,
		   0x0e, 0x03, 0, 0, 0, 0, 0, 0, 0) == NULL);
	CHECK_TYP(typ, 0, 3);

	unit_name("s5: one element holds both values (a low, b next byte)");
	CHECK(SCAN(typ, NAME_S5, PACKAGE, 0x05, 0x01, 0x0b, 0x05, 0x07) == NULL);
	CHECK_TYP(typ, 5, 7);

	unit_name("s5: root prefix");
	CHECK(SCAN(typ, 0x08, '\\', '_', 'S', '5', '_', PACKAGE, 0x04, 0x02, 0x01, 0x00) == NULL);
	CHECK_TYP(typ, 1, 0);

	unit_name("s5: parent prefixes");
	CHECK(SCAN(typ, 0x08, '^', '^', '_', 'S', '5', '_', PACKAGE, 0x04, 0x02, 0x00, 0x01) == NULL);
	CHECK_TYP(typ, 0, 1);

	unit_name("s5: a reference to _S5_ before the declaration is skipped");
	CHECK(SCAN(typ, 0x70, '_', 'S', '5', '_', 0x60, 0x08, '_', 'S', '5', '_', 0x01,
		   NAME_S5, PACKAGE, 0x06, 0x02, 0x0a, 0x02, 0x0a, 0x03) == NULL);
	CHECK_TYP(typ, 2, 3);
}

/*
 * A package whose PkgLength takes follow + 1 bytes and says len (padding
 * after the two elements), in a table holding room bytes from PkgLength on.
 */
static const char *scan_pkg_length(unsigned int follow, u32 len, u32 room, u8 typ[2])
{
	size_t n = 5 + 1 + room, i;
	u8 *aml = calloc(n, 1), *p = aml;
	const char *why;

	memcpy(p, (u8[]){ NAME_S5, PACKAGE }, 6);
	p += 6;
	if (!follow) {
		*p++ = (u8)len;
	} else {
		*p++ = (u8)(follow << 6 | (len & 0x0f));
		for (i = 0; i < follow; i++)
			*p++ = (u8)(len >> (4 + 8 * i));
	}
	*p++ = 2;
	*p++ = 0x0a;
	*p++ = 5;
	*p++ = 0x01;
	typ[0] = typ[1] = 0xee;
	why = acpi_aml_find_s5(aml, n, typ);
	free(aml);
	return why;
}

static void test_s5_pkg_length(void)
{
	u8 typ[2];

	unit_name("s5: PkgLength of 1 byte (63, the largest)");
	CHECK(scan_pkg_length(0, 63, 63 + 1, typ) == NULL);
	CHECK_TYP(typ, 5, 1);

	unit_name("s5: PkgLength of 2 bytes");
	CHECK(scan_pkg_length(1, 0x123, 0x123 + 1, typ) == NULL);
	CHECK_TYP(typ, 5, 1);

	unit_name("s5: PkgLength of 3 bytes");
	CHECK(scan_pkg_length(2, 0x12345, 0x12345 + 1, typ) == NULL);
	CHECK_TYP(typ, 5, 1);

	unit_name("s5: PkgLength of 4 bytes");
	CHECK(scan_pkg_length(3, 0x123456, 0x123456 + 1, typ) == NULL);
	CHECK_TYP(typ, 5, 1);

	unit_name("s5: PkgLength of 2 bytes, small value");
	CHECK(scan_pkg_length(1, 7, 7 + 1, typ) == NULL);
	CHECK_TYP(typ, 5, 1);

	unit_name("s5: PkgLength one past the table");
	CHECK_STR(scan_pkg_length(0, 8, 7, typ), "_S5_ PkgLength runs past the table");
	CHECK_STR(scan_pkg_length(2, 0x12345, 0x12344, typ),
		  "_S5_ PkgLength runs past the table");
	unit_name("s5: PkgLength up to the table's last byte");
	CHECK(scan_pkg_length(0, 8, 8, typ) == NULL);
	CHECK(scan_pkg_length(2, 0x12345, 0x12345, typ) == NULL);
}

static void test_s5_bad(void)
{
	u8 typ[2];

	unit_name("s5: none");
	CHECK_STR(SCAN(typ, 0x10, 0x20, 0x08, '_', 'S', '4', '_', PACKAGE, 0x03, 0x01, 0x00),
		  "no _S5_ package in the DSDT");
	CHECK_STR(scan(NULL, 0, typ), "no _S5_ package in the DSDT");

	unit_name("s5: name at the very end of the table");
	CHECK_STR(SCAN(typ, 0x10, NAME_S5), "_S5_ at the end of the table");

	unit_name("s5: only part of the name at the end");
	CHECK_STR(SCAN(typ, 0x10, 0x08, '_', 'S', '5'), "no _S5_ package in the DSDT");

	unit_name("s5: PackageOp is the last byte");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE), "_S5_ package truncated");

	unit_name("s5: multi-byte PkgLength cut by the table's end");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0xc4, 0x01), "_S5_ package truncated");

	unit_name("s5: bogus PkgLength far past the end");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0xc0, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00),
		  "_S5_ PkgLength runs past the table");

	unit_name("s5: PkgLength reserved bits");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x74, 0x00, 0x02, 0x00, 0x00),
		  "_S5_ PkgLength has reserved bits set");

	unit_name("s5: PkgLength shorter than its own bytes");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x41, 0x00, 0x02, 0x00, 0x00),
		  "_S5_ PkgLength shorter than itself");

	unit_name("s5: package ends inside its elements (table goes on)");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00),
		  "_S5_ package truncated");

	unit_name("s5: element data cut by the package's end");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x05, 0x02, 0x00, 0x0b, 0x01, 0x00, 0x00),
		  "_S5_ package truncated");

	unit_name("s5: element data cut where package and table end");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x06, 0x02, 0x00, 0x0c, 0x01, 0x00),
		  "_S5_ package truncated");

	unit_name("s5: NumElements missing");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x01, 0x02), "_S5_ package truncated");

	unit_name("s5: empty package");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x02, 0x00), "_S5_ package is empty");

	unit_name("s5: an element that is not a constant");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x05, 0x02, 0x00, 0x0d, 'x', 0x00),
		  "_S5_ element is not an integer constant");

	unit_name("s5: SLP_TYP wider than 3 bits");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x05, 0x02, 0x0a, 0x08, 0x00),
		  "_S5_ SLP_TYP value does not fit 3 bits");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x04, 0x02, 0x00, 0xff),
		  "_S5_ SLP_TYP value does not fit 3 bits");
	CHECK_STR(SCAN(typ, NAME_S5, PACKAGE, 0x06, 0x02, 0x00, 0x0b, 0x00, 0x01),
		  "_S5_ SLP_TYP value does not fit 3 bits");
	CHECK_EQ(typ[0], 0xee);
}

/* A FADT of len bytes, exactly: fields past len are not there to read. */
static struct acpi_fadt *fadt_of(const struct acpi_fadt *model, u32 len)
{
	struct acpi_fadt *f = malloc(len);

	memcpy(f, model, len);
	f->header.length = len;
	return f;
}

static const char *decode(const struct acpi_fadt *model, u32 len, struct acpi_power *p)
{
	struct acpi_fadt *f = fadt_of(model, len);
	const char *why;

	memset(p, 0xee, sizeof(*p));
	why = acpi_fadt_decode(f, p);
	free(f);
	return why;
}

static struct acpi_fadt q35;

/* What QEMU's q35 says (ACPI 2.0+ FADT, 244 bytes there). */
static void make_q35(void)
{
	memset(&q35, 0, sizeof(q35));
	memcpy(q35.header.signature, "FACP", 4);
	q35.header.revision = 3;
	q35.dsdt = 0x7fe0040;
	q35.smi_cmd = 0xb2;
	q35.acpi_enable = 0xf1;
	q35.pm1a_cnt_blk = 0x604;
	q35.flags = ACPI_FADT_RESET_REG_SUP;
	q35.reset_reg = (struct acpi_gas){ ACPI_GAS_IO, 8, 0, 0, 0xcf9 };
	q35.reset_value = 0x0f;
	q35.x_dsdt = 0x7fe0040;
	q35.x_pm1a_cnt_blk = (struct acpi_gas){ ACPI_GAS_IO, 16, 0, 0, 0x604 };
}

static void test_fadt(void)
{
	struct acpi_power p;

	unit_name("fadt: q35");
	make_q35();
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK_EQ(p.pm1a_cnt, 0x604);
	CHECK_EQ(p.pm1b_cnt, 0);
	CHECK_EQ(p.slp_typa, 0);
	CHECK_EQ(p.smi_cmd, 0xb2);
	CHECK_EQ(p.acpi_enable, 0xf1);
	CHECK(p.reset_ok);
	CHECK_EQ(p.reset_reg.space_id, ACPI_GAS_IO);
	CHECK_EQ(p.reset_reg.address, 0xcf9);
	CHECK_EQ(p.reset_value, 0x0f);
	CHECK_EQ(p.dsdt, 0x7fe0040);

	unit_name("fadt: ACPI 1.0, 116 bytes: 32-bit fields, no reset register");
	make_q35();
	q35.header.revision = 1;
	CHECK(decode(&q35, 116, &p) == NULL);
	CHECK_EQ(p.pm1a_cnt, 0x604);
	CHECK(!p.reset_ok);

	unit_name("fadt: too short for X_PM1a_CNT_BLK: the 32-bit field");
	make_q35();
	q35.pm1a_cnt_blk = 0xb004;
	q35.x_pm1a_cnt_blk.address = 0x604;
	CHECK(decode(&q35, 180, &p) == NULL);
	CHECK_EQ(p.pm1a_cnt, 0xb004);
	CHECK_EQ(p.pm1b_cnt, 0);

	unit_name("fadt: X_PM1a_CNT_BLK wins over the 32-bit field");
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK_EQ(p.pm1a_cnt, 0x604);

	unit_name("fadt: X_PM1a_CNT_BLK 0: the 32-bit field");
	q35.x_pm1a_cnt_blk.address = 0;
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK_EQ(p.pm1a_cnt, 0xb004);

	unit_name("fadt: PM1b from its X field");
	make_q35();
	q35.pm1b_cnt_blk = 0x700;
	q35.x_pm1b_cnt_blk = (struct acpi_gas){ ACPI_GAS_IO, 16, 0, 0, 0x708 };
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK_EQ(p.pm1b_cnt, 0x708);
	CHECK(decode(&q35, 190, &p) == NULL);
	CHECK_EQ(p.pm1b_cnt, 0x700);

	unit_name("fadt: PM1a = 0");
	make_q35();
	q35.pm1a_cnt_blk = 0;
	q35.x_pm1a_cnt_blk.address = 0;
	CHECK_STR(decode(&q35, 244, &p), "no PM1a control block");
	CHECK_EQ(p.pm1a_cnt, 0);
	CHECK(p.reset_ok);

	unit_name("fadt: PM1a in memory space");
	make_q35();
	q35.x_pm1a_cnt_blk.space_id = ACPI_GAS_MEMORY;
	CHECK_STR(decode(&q35, 244, &p), "PM1 control block not in system I/O space");
	CHECK_EQ(p.pm1a_cnt, 0);

	unit_name("fadt: PM1 port past 16 bits");
	make_q35();
	q35.x_pm1a_cnt_blk.address = 0x10604;
	CHECK_STR(decode(&q35, 244, &p), "PM1 control block port out of range");
	make_q35();
	q35.pm1b_cnt_blk = 0x10000;
	CHECK_STR(decode(&q35, 116, &p), "PM1 control block port out of range");
	CHECK_EQ(p.pm1a_cnt, 0);

	unit_name("fadt: too short for the PM1 control blocks");
	make_q35();
	CHECK_STR(decode(&q35, 71, &p), "FADT too short for PM1 control blocks");
	CHECK_EQ(p.pm1a_cnt, 0);
	CHECK(decode(&q35, 72, &p) == NULL);

	unit_name("fadt: no DSDT");
	make_q35();
	q35.dsdt = 0;
	q35.x_dsdt = 0;
	CHECK_STR(decode(&q35, 244, &p), "no DSDT");

	unit_name("fadt: X_DSDT wins, when the table holds it");
	make_q35();
	q35.x_dsdt = 0x100000000ULL;
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK_EQ(p.dsdt, 0x100000000ULL);
	CHECK(decode(&q35, 140, &p) == NULL);
	CHECK_EQ(p.dsdt, 0x7fe0040);

	unit_name("fadt: reset register needs RESET_REG_SUP and a known space");
	make_q35();
	q35.flags = 0;
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK(!p.reset_ok);
	make_q35();
	q35.reset_reg.space_id = 2;
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK(!p.reset_ok);
	make_q35();
	q35.reset_reg = (struct acpi_gas){ ACPI_GAS_MEMORY, 8, 0, 0, 0xfed00000 };
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK(p.reset_ok);
	CHECK(decode(&q35, 128, &p) == NULL);
	CHECK(!p.reset_ok);

	unit_name("fadt: hardware-reduced: the sleep control register, not PM1");
	make_q35();
	q35.flags |= ACPI_FADT_HW_REDUCED;
	q35.sleep_control_reg = (struct acpi_gas){ ACPI_GAS_MEMORY, 8, 0, 0, 0xfea00201 };
	CHECK(decode(&q35, 268, &p) == NULL);
	CHECK_EQ(p.pm1a_cnt, 0);
	CHECK_EQ(p.sleep_ctl.address, 0xfea00201);
	CHECK_EQ(p.sleep_ctl.space_id, ACPI_GAS_MEMORY);

	unit_name("fadt: hardware-reduced, too short for the sleep control register");
	CHECK_STR(decode(&q35, 255, &p), "hardware-reduced, without a sleep control register");
	CHECK_EQ(p.sleep_ctl.address, 0);

	unit_name("fadt: hardware-reduced, sleep control register in PCI space");
	q35.sleep_control_reg.space_id = 2;
	CHECK_STR(decode(&q35, 268, &p), "sleep control register not in I/O or memory space");
	CHECK_EQ(p.sleep_ctl.address, 0);

	unit_name("fadt: hardware-reduced without a DSDT");
	q35.sleep_control_reg.space_id = ACPI_GAS_IO;
	q35.sleep_control_reg.address = 0x600;
	q35.dsdt = 0;
	q35.x_dsdt = 0;
	CHECK_STR(decode(&q35, 268, &p), "no DSDT");
	CHECK_EQ(p.sleep_ctl.address, 0);

	unit_name("fadt: no ACPI mode switch without ACPI_ENABLE");
	make_q35();
	q35.acpi_enable = 0;
	CHECK(decode(&q35, 244, &p) == NULL);
	CHECK_EQ(p.smi_cmd, 0);
}

int main(void)
{
	test_s5_encodings();
	test_s5_pkg_length();
	test_s5_bad();
	test_fadt();
	return unit_done();
}
