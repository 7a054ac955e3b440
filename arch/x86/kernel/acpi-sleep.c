// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding how to power off, from firmware bytes: the FADT's PM1 control
 * blocks, or on hardware-reduced ACPI its sleep control register, and its
 * reset register (ACPI 6.4 5.2.9), and the DSDT's \_S5 object, whose
 * package holds the SLP_TYP values for PM1a and PM1b (7.4.2).
 *
 * \_S5 is AML. Rather than an interpreter, a scan for the one form every
 * firmware uses: NameOp, the name "_S5_" (maybe after a root '\' or parent
 * '^' prefix), PackageOp, PkgLength, NumElements, then integers as
 * ZeroOp, OneOp or a Byte/Word/DWord/QWord prefix and its data (ACPI 6.4
 * 20.2.3, 20.2.4, 20.2.5.4). Pure functions: host tests feed them crafted
 * tables, and every read is bounded by what the caller says is there.
 */
#include <proteus/acpi.h>
#include <proteus/string.h>

_Static_assert(__builtin_offsetof(struct acpi_fadt, reset_reg) == 116, "FADT layout");
_Static_assert(__builtin_offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT layout");
_Static_assert(__builtin_offsetof(struct acpi_fadt, x_pm1a_cnt_blk) == 172, "FADT layout");
_Static_assert(__builtin_offsetof(struct acpi_fadt, sleep_control_reg) == 244, "FADT layout");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT layout");

/*
 * A PM1 control block's I/O port: the 64-bit GAS when the table holds it
 * and it is set (ACPI 2.0+), else the 32-bit field. 0 when there is none;
 * *why says so when one is there but unusable.
 */
static u16 pm1_port(u32 legacy, const struct acpi_gas *x, bool has_x,
		    const char **why)
{
	if (has_x && x->address) {
		if (x->space_id != ACPI_GAS_IO) {
			*why = "PM1 control block not in system I/O space";
			return 0;
		}
		legacy = (u32)x->address;
		if (x->address != legacy) {
			*why = "PM1 control block port out of range";
			return 0;
		}
	}
	if (legacy > 0xffff) {
		*why = "PM1 control block port out of range";
		return 0;
	}
	return (u16)legacy;
}

/* A register we can write: a port, or memory; not PCI configuration etc. */
static bool gas_usable(const struct acpi_gas *g)
{
	switch (g->space_id) {
	case ACPI_GAS_IO:
		return g->address && g->address <= 0xffff;
	case ACPI_GAS_MEMORY:
		return g->address != 0;
	}
	return false;
}

static void decode_reset(const struct acpi_fadt *f, struct acpi_power *p)
{
	if (!ACPI_FADT_HAS(f, reset_value) || !(f->flags & ACPI_FADT_RESET_REG_SUP))
		return;
	p->reset_reg = f->reset_reg;
	p->reset_value = f->reset_value;
	p->reset_ok = gas_usable(&f->reset_reg);
}

/* Hardware-reduced ACPI (4.1) has no PM1 blocks: S5 is a sleep control
 * register write (4.8.3.7). */
static const char *decode_sleep_ctl(const struct acpi_fadt *f, struct acpi_power *p)
{
	if (!ACPI_FADT_HAS(f, sleep_control_reg) || !f->sleep_control_reg.address)
		return "hardware-reduced, without a sleep control register";
	if (!gas_usable(&f->sleep_control_reg))
		return "sleep control register not in I/O or memory space";
	p->sleep_ctl = f->sleep_control_reg;
	return NULL;
}

const char *acpi_fadt_decode(const struct acpi_fadt *f, struct acpi_power *p)
{
	const char *why = NULL;

	memset(p, 0, sizeof(*p));
	if (f->header.length < __builtin_offsetof(struct acpi_fadt, pm1a_cnt_blk) + 8)
		return "FADT too short for PM1 control blocks";
	p->dsdt = f->dsdt;
	if (ACPI_FADT_HAS(f, x_dsdt) && f->x_dsdt)
		p->dsdt = f->x_dsdt;
	if (f->smi_cmd <= 0xffff && f->acpi_enable) {
		p->smi_cmd = (u16)f->smi_cmd;
		p->acpi_enable = f->acpi_enable;
	}
	if (ACPI_FADT_HAS(f, flags))
		decode_reset(f, p);
	if (ACPI_FADT_HAS(f, flags) && (f->flags & ACPI_FADT_HW_REDUCED)) {
		why = decode_sleep_ctl(f, p);
		if (why)
			return why;
		if (!p->dsdt) {
			p->sleep_ctl.address = 0;
			return "no DSDT";
		}
		return NULL;
	}
	p->pm1a_cnt = pm1_port(f->pm1a_cnt_blk, &f->x_pm1a_cnt_blk,
			       ACPI_FADT_HAS(f, x_pm1a_cnt_blk), &why);
	if (why)
		return why;
	if (!p->pm1a_cnt)
		return "no PM1a control block";
	p->pm1b_cnt = pm1_port(f->pm1b_cnt_blk, &f->x_pm1b_cnt_blk,
			       ACPI_FADT_HAS(f, x_pm1b_cnt_blk), &why);
	if (why) {
		p->pm1a_cnt = 0;
		return why;
	}
	if (!p->dsdt)
		return "no DSDT";
	return NULL;
}

/* The bytes of one AML scan: what is left of the table, never more. */
struct aml {
	const u8 *p, *end;
};

static bool aml_byte(struct aml *a, u8 *b)
{
	if (a->p >= a->end)
		return false;
	*b = *a->p++;
	return true;
}

/* PkgLength (20.2.4): the lead byte's top two bits count the bytes after
 * it; the length includes the PkgLength bytes themselves. */
static const char *aml_pkg_length(struct aml *a, u32 *len)
{
	u8 lead, b;
	unsigned int i, follow;

	if (!aml_byte(a, &lead))
		return "_S5_ package truncated";
	follow = lead >> 6;
	if (!follow) {
		*len = lead & 0x3f;
		return NULL;
	}
	if (lead & 0x30)
		return "_S5_ PkgLength has reserved bits set";
	*len = lead & 0x0f;
	for (i = 0; i < follow; i++) {
		if (!aml_byte(a, &b))
			return "_S5_ package truncated";
		*len |= (u32)b << (4 + 8 * i);
	}
	return NULL;
}

/* One integer element (20.2.3 ComputationalData, 20.2.5.4 Zero/One/Ones). */
static const char *aml_integer(struct aml *a, u64 *val)
{
	static const u8 bytes_of[] = { [0x0a] = 1, [0x0b] = 2, [0x0c] = 4, [0x0e] = 8 };
	u8 op, b;
	unsigned int i;

	if (!aml_byte(a, &op))
		return "_S5_ package truncated";
	switch (op) {
	case 0x00:
		*val = 0;
		return NULL;
	case 0x01:
		*val = 1;
		return NULL;
	case 0xff:
		*val = ~0ULL;
		return NULL;
	case 0x0a: case 0x0b: case 0x0c: case 0x0e:
		*val = 0;
		for (i = 0; i < bytes_of[op]; i++) {
			if (!aml_byte(a, &b))
				return "_S5_ package truncated";
			*val |= (u64)b << (8 * i);
		}
		return NULL;
	}
	return "_S5_ element is not an integer constant";
}

/* The package after "_S5_" at a.p; a.end is the table's end. */
static const char *aml_s5_package(struct aml a, u8 typ[2])
{
	const u8 *start;
	const char *why;
	u64 val[2] = { 0, 0 };
	u32 len;
	u8 n, i;

	start = a.p;
	why = aml_pkg_length(&a, &len);
	if (why)
		return why;
	if (len > (u32)(a.end - start))
		return "_S5_ PkgLength runs past the table";
	if (len < (u32)(a.p - start))
		return "_S5_ PkgLength shorter than itself";
	a.end = start + len;
	if (!aml_byte(&a, &n))
		return "_S5_ package truncated";
	if (!n)
		return "_S5_ package is empty";
	for (i = 0; i < n && i < 2; i++) {
		why = aml_integer(&a, &val[i]);
		if (why)
			return why;
	}
	/* One element: SLP_TYPa in its low byte, SLP_TYPb in the next. */
	if (n == 1) {
		val[1] = (val[0] >> 8) & 0xff;
		val[0] &= 0xff;
	}
	if (val[0] > 7 || val[1] > 7)
		return "_S5_ SLP_TYP value does not fit 3 bits";
	typ[0] = (u8)val[0];
	typ[1] = (u8)val[1];
	return NULL;
}

/* NameOp right before the name, maybe with '\' or a run of '^' between. */
static bool name_op_before(const u8 *aml, u32 at)
{
	if (at && aml[at - 1] == '\\')
		at--;
	else
		while (at && aml[at - 1] == '^')
			at--;
	return at && aml[at - 1] == 0x08;
}

const char *acpi_aml_find_s5(const u8 *aml, u32 len, u8 typ[2])
{
	struct aml a;
	u32 i;

	for (i = 0; i + 4 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4) || !name_op_before(aml, i))
			continue;
		if (i + 4 == len)
			return "_S5_ at the end of the table";
		if (aml[i + 4] != 0x12)
			continue;
		a.p = aml + i + 5;
		a.end = aml + len;
		return aml_s5_package(a, typ);
	}
	return "no _S5_ package in the DSDT";
}
