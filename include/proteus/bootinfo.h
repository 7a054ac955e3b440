/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one normalized description of how we were booted. Each entry path
 * (linux16, linux32, efi, pvh, xen-pv) fills it exactly once from its protocol's
 * structures; nothing after that reads a protocol structure.
 */
#ifndef PROTEUS_BOOTINFO_H
#define PROTEUS_BOOTINFO_H

#include <proteus/types.h>
#include <proteus/memmap.h>
#include <proteus/acpi.h>
#include <asm/bootpaths.h>

#define CMDLINE_MAX	2048	/* bytes kept, including the NUL */
#define BOOT_MODULES_MAX 8

enum boot_path {
	BOOT_LINUX16 = BOOT_PATH_LINUX16,	/* real-mode setup, Linux protocol */
	BOOT_LINUX32 = BOOT_PATH_LINUX32,	/* 32-bit Linux protocol */
	BOOT_PVH = BOOT_PATH_PVH,		/* PVH, hvm_start_info */
	BOOT_XEN_PV = BOOT_PATH_XEN_PV,		/* Xen PV, start_info */
	BOOT_EFI = BOOT_PATH_EFI,		/* EFI stub, Linux protocol */
};

/* What the protocol says about where the console is. */
enum console_hint {
	CONSOLE_HINT_UART = 1 << 0,	/* a PC: COM1 may exist */
	CONSOLE_HINT_XEN = 1 << 1,	/* a Xen domain: console_io may work */
};

struct boot_module {
	phys_addr_t base;
	u64 size;
};

struct boot_info {
	enum boot_path path;
	u64 entry_tsc;			/* TSC at the path's first instruction */
	char cmdline[CMDLINE_MAX];
	u32 cmdline_len;		/* as given, may exceed CMDLINE_MAX - 1 */
	bool cmdline_truncated;
	struct memmap memmap;		/* raw, sanitized later by mm */
	u32 nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
	phys_addr_t acpi_rsdp;		/* 0 when the protocol gives none */
	enum acpi_rsdp_source acpi_rsdp_source;
	phys_addr_t efi_systab;		/* 64-bit EFI system table, or 0 */
	u32 console_hints;
	/* Ranges the protocol's own data occupies, kept out of the allocator. */
	u32 nr_reserved;
	struct mem_region reserved[8];
	/*
	 * Highest address the boot page tables map (Xen PV: Xen's initial
	 * mapping); 0 when paging setup maps all RAM itself.
	 */
	u64 direct_map_limit;
};

extern struct boot_info boot_info;

const char *boot_path_name(enum boot_path p);

/* Helpers for the protocol readers. */
void bootinfo_set_cmdline(const char *src, u64 len);
void bootinfo_add_module(phys_addr_t base, u64 size);
void bootinfo_reserve(phys_addr_t base, u64 size);
/*
 * Boot data the kernel has freed: drop the range bootinfo_reserve() was
 * given with exactly this @base and @size. Whether there was one.
 */
bool bootinfo_release(phys_addr_t base, u64 size);

#endif
