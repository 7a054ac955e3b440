/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough ACPI to find tables and list CPUs. No Debian header carries
 * these layouts; they follow the ACPI 6.4 specification: RSDP 5.2.5,
 * system description header 5.2.6, RSDT 5.2.7, XSDT 5.2.8, FADT 5.2.9,
 * MADT 5.2.12.
 */
#ifndef PROTEUS_ACPI_H
#define PROTEUS_ACPI_H

#include <proteus/types.h>
#include <proteus/compiler.h>

/* Where the ACPI RSDP address came from. */
enum acpi_rsdp_source {
	ACPI_RSDP_NONE,
	ACPI_RSDP_BOOTPARAMS,	/* boot_params.acpi_rsdp_addr */
	ACPI_RSDP_PVH,		/* hvm_start_info.rsdp_paddr */
	ACPI_RSDP_BIOS_SCAN,	/* the EBDA / 0xE0000-0xFFFFF search */
	ACPI_RSDP_EFI,		/* the EFI system table's configuration tables */
};

struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	u8 checksum;			/* first 20 bytes sum to 0 */
	char oem_id[6];
	u8 revision;			/* 0: ACPI 1.0, 2+: has XSDT */
	u32 rsdt_address;
	u32 length;
	u64 xsdt_address;
	u8 extended_checksum;
	u8 reserved[3];
} __packed;

struct acpi_table_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

struct acpi_madt {
	struct acpi_table_header header;
	u32 lapic_address;
	u32 flags;
	/* followed by interrupt controller structures */
} __packed;

struct acpi_madt_entry {
	u8 type;
	u8 length;
} __packed;

#define ACPI_MADT_LAPIC		0
#define ACPI_MADT_X2APIC	9

struct acpi_madt_lapic {
	struct acpi_madt_entry h;
	u8 processor_uid;
	u8 apic_id;
	u32 flags;
} __packed;

struct acpi_madt_x2apic {
	struct acpi_madt_entry h;
	u16 reserved;
	u32 x2apic_id;
	u32 flags;
	u32 processor_uid;
} __packed;

#define ACPI_MADT_ENABLED	(1 << 0)
#define ACPI_MADT_ONLINE_CAPABLE (1 << 1)

/* Generic Address Structure (ACPI 6.4 5.2.3.2). */
struct acpi_gas {
	u8 space_id;			/* ACPI_GAS_MEMORY, ACPI_GAS_IO, ... */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __packed;

#define ACPI_GAS_MEMORY		0
#define ACPI_GAS_IO		1

/*
 * The FADT ("FACP"), ACPI 6.4 table 5.9. Firmware may end it after any
 * field (ACPI 1.0: after flags, 116 bytes; QEMU's pc machine), so every
 * read past the header is checked against its length (ACPI_FADT_HAS).
 */
struct acpi_fadt {
	struct acpi_table_header header;
	u32 firmware_ctrl;		/* 36 */
	u32 dsdt;			/* 40 */
	u8 reserved0;
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;			/* 48 */
	u8 acpi_enable;			/* 52 */
	u8 acpi_disable;
	u8 s4bios_req;
	u8 pstate_cnt;
	u32 pm1a_evt_blk;		/* 56 */
	u32 pm1b_evt_blk;
	u32 pm1a_cnt_blk;		/* 64 */
	u32 pm1b_cnt_blk;		/* 68 */
	u8 fields_72_to_108[37];	/* PM2_CNT_BLK .. CENTURY */
	u16 iapc_boot_arch;		/* 109 */
	u8 reserved1;
	u32 flags;			/* 112 */
	struct acpi_gas reset_reg;	/* 116 */
	u8 reset_value;			/* 128 */
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;		/* 132 */
	u64 x_dsdt;			/* 140 */
	struct acpi_gas x_pm1a_evt_blk;	/* 148 */
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;	/* 172 */
	struct acpi_gas x_pm1b_cnt_blk;	/* 184 */
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;	/* 244 */
	struct acpi_gas sleep_status_reg;
	u64 hypervisor_vendor;		/* 268 */
} __packed;

/* Whether FADT f is long enough to hold its field m. */
#define ACPI_FADT_HAS(f, m) \
	((f)->header.length >= __builtin_offsetof(struct acpi_fadt, m) + \
			       sizeof((f)->m))

/* IA-PC boot architecture flags (ACPI 6.4 table 5.11). */
#define ACPI_FADT_LEGACY_DEVICES	(1 << 0)
#define ACPI_FADT_8042			(1 << 1)
#define ACPI_FADT_NO_CMOS_RTC		(1 << 5)

/* FADT flags (table 5.10). */
#define ACPI_FADT_RESET_REG_SUP		(1 << 10)
/* No fixed hardware, no legacy PC devices implied. */
#define ACPI_FADT_HW_REDUCED		(1 << 20)

/* PM1 control register bits (ACPI 6.4 table 4.13). */
#define ACPI_PM1_SCI_EN			(1 << 0)
#define ACPI_PM1_SLP_TYP_SHIFT		10
#define ACPI_PM1_SLP_TYP_MASK		(7 << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN			(1 << 13)

/* The hardware-reduced sleep control register's bits (ACPI 6.4 4.8.3.7). */
#define ACPI_SLEEP_TYP_SHIFT		2
#define ACPI_SLEEP_EN			(1 << 5)

/*
 * What the FADT and the DSDT's \_S5 object say about powering off and
 * resetting, decoded once at boot (acpi_power_init()).
 */
struct acpi_power {
	u16 pm1a_cnt;			/* I/O port; 0: no ACPI S5 */
	u16 pm1b_cnt;			/* I/O port; 0: none */
	/* Hardware-reduced ACPI, instead of PM1: address 0 if none. */
	struct acpi_gas sleep_ctl;
	u8 slp_typa, slp_typb;		/* \_S5 package elements 0 and 1 */
	u16 smi_cmd;			/* 0: no ACPI mode switch */
	u8 acpi_enable;			/* value for smi_cmd that sets SCI_EN */
	bool reset_ok;			/* RESET_REG_SUP, in I/O or memory */
	struct acpi_gas reset_reg;
	u8 reset_value;
	u64 dsdt;			/* physical address, 0 if none */
};

/*
 * Pure decoders over firmware bytes (acpi-sleep.c), for the kernel and the
 * host tests. acpi_fadt_decode() fills *p from a FADT of fadt->length
 * readable bytes (slp_typ left 0) and returns NULL when it names a PM1a
 * control block (or, hardware-reduced, a sleep control register), else
 * why there is no ACPI S5. acpi_aml_find_s5() scans
 * len bytes of AML for Name(_S5_, Package(){a, b, ...}) and returns NULL
 * with typ[0], typ[1] set, else what is wrong; it never reads outside
 * aml[0..len).
 */
const char *acpi_fadt_decode(const struct acpi_fadt *fadt, struct acpi_power *p);
const char *acpi_aml_find_s5(const u8 *aml, u32 len, u8 typ[2]);

/*
 * The firmware's power-off and reset registers: decoded once from the
 * FADT and DSDT, with a warning for what is missing or corrupt. Returns
 * NULL without a FADT. acpi_power() gives the result later (NULL then too).
 */
const struct acpi_power *acpi_power_init(void);
const struct acpi_power *acpi_power(void);

/* Tables longer than this are taken as corrupt. */
#define ACPI_MAX_TABLE_LEN	(1U << 20)

/*
 * Pure checks over firmware bytes, for the kernel and host tests alike.
 * avail is how many bytes at p may be read. Each returns NULL when the
 * structure is sound, else what is wrong with it, for a warning line.
 */
bool acpi_checksum_ok(const void *p, u32 len);
/* Signature, the ACPI 1.0 checksum over 20 bytes; from revision 2 on also
 * the length and the extended checksum over it. */
const char *acpi_rsdp_problem(const void *p, u64 avail);
/* A system description table: length within avail and its checksum. */
const char *acpi_sdt_problem(const void *p, u64 avail);

/* The legacy BIOS-area search for the RSDP; 0 if absent. Low memory only. */
phys_addr_t acpi_find_rsdp_legacy(void);

/*
 * The RSDP in use, found once from boot_info (the protocol's address, else
 * the EFI system table's configuration tables, else the legacy search's
 * result) and validated; 0 if none. *source (if not NULL) says where.
 */
/*
 * Bytes readable at pa through the direct map: the memory map's regions
 * (of any type) that run on from pa, below 4 GiB; 0 outside them.
 */
u64 acpi_phys_avail(u64 pa);

phys_addr_t acpi_rsdp_address(enum acpi_rsdp_source *source);
const char *acpi_rsdp_source_name(enum acpi_rsdp_source source);

/*
 * The table at pa, its length and checksum verified, or NULL after a
 * warning that names it (what, else its signature).
 */
const struct acpi_table_header *acpi_table_at(phys_addr_t pa, const char *what);

/* The table with this signature, checksum verified, or NULL. */
const struct acpi_table_header *acpi_find_table(const char sig[4]);

/* A present processor, as the MADT lists it. */
struct acpi_cpu {
	u32 apic_id;		/* local APIC or x2APIC ID */
	u32 uid;		/* ACPI processor UID */
};

typedef void (*acpi_cpu_fn)(const struct acpi_cpu *cpu, void *data);

/*
 * Calls fn (if not NULL) for each present processor of this MADT, in table
 * order, and returns how many there are: ENABLED entries only, hot-plug
 * slots left out (madt.c has the rule). Stops with a warning at the first
 * malformed entry. madt->length must be readable; no checksum is checked.
 */
unsigned int acpi_madt_for_each_cpu(const struct acpi_table_header *madt,
				    acpi_cpu_fn fn, void *data);

/* The same over the firmware's MADT; 0 if there is none. */
unsigned int acpi_for_each_cpu(acpi_cpu_fn fn, void *data);

/* Present processors in the firmware's MADT; 0 if none found. */
unsigned int acpi_count_cpus(void);

/*
 * The FADT's IA-PC boot architecture flags and its flags; false (and both
 * 0) without ACPI or a FADT long enough to hold them.
 */
bool acpi_fadt_flags(u16 *boot_arch, u32 *flags);

#endif
