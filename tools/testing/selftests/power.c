// SPDX-License-Identifier: GPL-2.0
/*
 * The power-off method the kernel decoded at boot, checked against the
 * firmware's own tables, re-read here by plain offsets (ACPI 6.4 table
 * 5.9) and by a scan for the one \_S5 form QEMU and most firmware emit:
 * the PM1 control ports (or, hardware-reduced, the sleep control
 * register) and SLP_TYP values, the reset register. The PM1a control port
 * must also answer (an absent port reads 0xffff).
 */
#include <asm/pv/init.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/printk.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

#define FADT_DSDT		40
#define FADT_PM1A_CNT		64
#define FADT_PM1B_CNT		68
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_X_DSDT		140
#define FADT_X_PM1A_CNT		172
#define FADT_X_PM1B_CNT		184
#define FADT_SLEEP_CTL		244
#define GAS_SIZE		12
#define RESET_REG_SUP		(1 << 10)
#define HW_REDUCED		(1 << 20)

struct fadt_view {
	const u8 *b;
	u32 len;
};

static u64 field(const struct fadt_view *f, u32 off, u32 size)
{
	u64 v = 0;

	if (off + size > f->len)
		return 0;
	memcpy(&v, f->b + off, size);
	return v;
}

/* A PM1 control port: the X_ GAS when present and set, else 32 bits. */
static u64 pm1_port(const struct fadt_view *f, u32 legacy, u32 x)
{
	u64 addr = field(f, x + 4, 8);

	if (addr && f->len >= x + GAS_SIZE)
		return field(f, x, 1) == ACPI_GAS_IO ? addr : 0;
	return field(f, legacy, 4);
}

/* One integer as QEMU writes them: ZeroOp, OneOp, BytePrefix. */
static int simple_int(const u8 *p, const u8 *end, u8 *val, u32 *used)
{
	if (p >= end)
		return -1;
	if (*p <= 1) {
		*val = *p;
		*used = 1;
		return 0;
	}
	if (*p == 0x0a && p + 1 < end) {
		*val = p[1];
		*used = 2;
		return 0;
	}
	return -1;
}

/*
 * SLP_TYPa/b of Name(_S5_, Package(){a, b, ...}) with a one-byte
 * PkgLength: 1 found, 0 none, -1 a form this test does not decode.
 */
static int simple_s5(const struct acpi_table_header *dsdt, u8 typ[2])
{
	const u8 *b = (const u8 *)dsdt, *end = b + dsdt->length, *p;
	u32 i, used;

	for (i = sizeof(*dsdt) + 1; i + 7 <= dsdt->length; i++) {
		if (memcmp(b + i, "_S5_", 4) || b[i + 4] != 0x12 ||
		    !(b[i - 1] == 0x08 || (b[i - 1] == '\\' && b[i - 2] == 0x08)))
			continue;
		p = b + i + 5;
		if (*p >> 6 || p[1] < 2 || *p > end - p)
			return -1;
		end = p + *p;
		p += 2;
		if (simple_int(p, end, &typ[0], &used))
			return -1;
		if (simple_int(p + used, end, &typ[1], &used))
			return -1;
		return 1;
	}
	return 0;
}

static enum test_result native_fadt(const struct acpi_power **p,
				    struct fadt_view *f)
{
	const struct acpi_table_header *h;

	if (pv_init.power_init != native_power_init)
		return skip("the backend powers off its own way (Xen: SCHEDOP_shutdown)");
	h = acpi_find_table("FACP");
	if (!h)
		return skip("no FADT: no ACPI power-off on this platform");
	f->b = (const u8 *)h;
	f->len = h->length;
	*p = acpi_power();
	EXPECT(*p != NULL);
	return TEST_PASS;
}

SELFTEST(power, acpi_s5_matches_fadt)
{
	const struct acpi_power *p;
	const struct acpi_table_header *dsdt;
	struct fadt_view f;
	enum test_result r = native_fadt(&p, &f);
	u64 pm1a, pm1b, sleep_ctl, dsdt_pa;
	u16 cnt;
	u8 typ[2] = { 0, 0 };
	int s5;

	if (r != TEST_PASS)
		return r;
	pm1a = pm1_port(&f, FADT_PM1A_CNT, FADT_X_PM1A_CNT);
	pm1b = pm1_port(&f, FADT_PM1B_CNT, FADT_X_PM1B_CNT);
	sleep_ctl = 0;
	if (f.len >= FADT_FLAGS + 4 && (field(&f, FADT_FLAGS, 4) & HW_REDUCED)) {
		pm1a = pm1b = 0;
		if (f.len >= FADT_SLEEP_CTL + GAS_SIZE)
			sleep_ctl = field(&f, FADT_SLEEP_CTL + 4, 8);
	}
	dsdt_pa = field(&f, FADT_X_DSDT, 8) ?: field(&f, FADT_DSDT, 4);
	dsdt = dsdt_pa ? acpi_table_at(dsdt_pa, "DSDT") : NULL;
	s5 = dsdt ? simple_s5(dsdt, typ) : 0;
	printk("# FADT rev %u, %u bytes: pm1a=%#llx pm1b=%#llx sleep_ctl=%#llx, _S5 %s; kernel: pm1a=%#x pm1b=%#x sleep_ctl=%#llx slp_typ=%u/%u\n",
	       f.b[8], f.len, (unsigned long long)pm1a, (unsigned long long)pm1b,
	       (unsigned long long)sleep_ctl,
	       s5 > 0 ? "found" : s5 ? "in another form" : "none",
	       p->pm1a_cnt, p->pm1b_cnt, (unsigned long long)p->sleep_ctl.address,
	       p->slp_typa, p->slp_typb);
	if (!(pm1a || sleep_ctl) || !s5) {
		/* Neither PM1a nor a sleep control register, or no \_S5. */
		EXPECT_EQ(p->pm1a_cnt, 0);
		EXPECT_EQ(p->sleep_ctl.address, 0);
		return TEST_PASS;
	}
	EXPECT_EQ(p->pm1a_cnt, pm1a);
	EXPECT_EQ(p->pm1b_cnt, pm1b);
	EXPECT_EQ(p->sleep_ctl.address, sleep_ctl);
	EXPECT(p->slp_typa <= 7 && p->slp_typb <= 7);
	if (s5 > 0) {
		EXPECT_EQ(p->slp_typa, typ[0]);
		EXPECT_EQ(p->slp_typb, typ[1]);
	}
	if (!pm1a)
		return TEST_PASS;
	cnt = inw(p->pm1a_cnt);
	printk("# PM1a_CNT %#x: SCI_EN=%u (%s mode), SLP_EN=%u\n", cnt,
	       cnt & ACPI_PM1_SCI_EN, cnt & ACPI_PM1_SCI_EN ? "ACPI" : "legacy",
	       !!(cnt & ACPI_PM1_SLP_EN));
	EXPECT(cnt != 0xffff);
	EXPECT(!(cnt & ACPI_PM1_SLP_EN));
	return TEST_PASS;
}

SELFTEST(power, reset_register_matches_fadt)
{
	const struct acpi_power *p;
	struct fadt_view f;
	enum test_result r = native_fadt(&p, &f);
	bool sup;
	u8 space;
	u64 addr;

	if (r != TEST_PASS)
		return r;
	sup = f.len > FADT_RESET_VALUE && (field(&f, FADT_FLAGS, 4) & RESET_REG_SUP);
	space = (u8)field(&f, FADT_RESET_REG, 1);
	addr = field(&f, FADT_RESET_REG + 4, 8);
	printk("# FADT: RESET_REG_SUP=%u, space %u address %#llx value %#llx; kernel: %s\n",
	       sup, space, (unsigned long long)addr,
	       (unsigned long long)field(&f, FADT_RESET_VALUE, 1),
	       p->reset_ok ? "uses it" : "does not");
	if (!sup || !addr || (space != ACPI_GAS_IO && space != ACPI_GAS_MEMORY) ||
	    (space == ACPI_GAS_IO && addr > 0xffff)) {
		EXPECT(!p->reset_ok);
		return TEST_PASS;
	}
	EXPECT(p->reset_ok);
	EXPECT_EQ(p->reset_reg.space_id, space);
	EXPECT_EQ(p->reset_reg.address, addr);
	EXPECT_EQ(p->reset_value, field(&f, FADT_RESET_VALUE, 1));
	return TEST_PASS;
}
