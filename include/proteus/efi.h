/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little of UEFI the kernel reads: the 64-bit EFI system table and its
 * configuration tables, to find the ACPI RSDP a UEFI loader did not pass
 * in boot_params (the Linux boot protocol hands over only the system
 * table's address, in efi_info). No Debian uapi header carries these
 * layouts; they follow the UEFI 2.10 specification: EFI_TABLE_HEADER 4.2,
 * EFI_SYSTEM_TABLE 4.3 (pointers and UINTN are 8 bytes on x64),
 * EFI_CONFIGURATION_TABLE 4.6, EFI_GUID appendix A.
 */
#ifndef PROTEUS_EFI_H
#define PROTEUS_EFI_H

#include <proteus/types.h>
#include <proteus/compiler.h>

/* "IBI SYST" read as a little-endian u64 (UEFI 4.3). */
#define EFI_SYSTEM_TABLE_SIGNATURE	0x5453595320494249ULL

/* x64 firmware starts at UEFI 2.0: revision major in the high half. */
#define EFI_MIN_REVISION_MAJOR		2

/* More configuration tables than any firmware carries: a corrupt count. */
#define EFI_CONFIG_TABLES_MAX		1024

struct efi_guid {
	u32 data1;
	u16 data2;
	u16 data3;
	u8 data4[8];
} __packed;

struct efi_table_header {
	u64 signature;
	u32 revision;
	u32 header_size;
	u32 crc32;
	u32 reserved;
} __packed;

struct efi_system_table {
	struct efi_table_header hdr;
	u64 firmware_vendor;
	u32 firmware_revision;
	u32 pad;
	u64 console_in_handle;
	u64 con_in;
	u64 console_out_handle;
	u64 con_out;
	u64 standard_error_handle;
	u64 std_err;
	u64 runtime_services;
	u64 boot_services;
	u64 nr_tables;			/* NumberOfTableEntries */
	u64 tables;			/* ConfigurationTable */
} __packed;

struct efi_config_table {
	struct efi_guid vendor_guid;
	u64 vendor_table;
} __packed;

/* ACPI_20_TABLE_GUID and ACPI_TABLE_GUID (UEFI 4.6.1). */
extern const struct efi_guid efi_acpi_20_table_guid;
extern const struct efi_guid efi_acpi_table_guid;

/* Bytes readable from physical address pa (0: none), for bounding reads. */
typedef u64 (*phys_avail_fn)(u64 pa);

/*
 * The RSDP the configuration tables of the system table at systab point
 * to: the ACPI 2.0 table's if it holds a valid RSDP, else the ACPI 1.0
 * table's. Every address is checked with avail before it is read, and the
 * RSDP is validated (acpi_rsdp_problem()). Returns its address, or 0 with
 * *why saying what was wrong.
 */
u64 efi_find_acpi_rsdp(u64 systab, phys_avail_fn avail, const char **why);

#endif
