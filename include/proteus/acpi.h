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

/* The FADT ("FACP") up to its Flags field (ACPI 6.4 table 5.9). */
struct acpi_fadt {
	struct acpi_table_header header;
	u8 fields_36_to_108[73];	/* FIRMWARE_CTRL .. CENTURY */
	u16 iapc_boot_arch;		/* offset 109 */
	u8 reserved;
	u32 flags;			/* offset 112 */
} __packed;

/* IA-PC boot architecture flags (ACPI 6.4 table 5.11). */
#define ACPI_FADT_LEGACY_DEVICES	(1 << 0)
#define ACPI_FADT_8042			(1 << 1)
#define ACPI_FADT_NO_CMOS_RTC		(1 << 5)

/* FADT flags (table 5.10): no fixed hardware, no legacy PC devices implied. */
#define ACPI_FADT_HW_REDUCED		(1 << 20)

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
