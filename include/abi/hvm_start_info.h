/* SPDX-License-Identifier: MIT */
/*
 * PVH start info. Debian's libxen-dev does not ship xen/hvm/start_info.h,
 * so this is written from the public interface description (Xen's
 * docs/misc/pvh.pandoc, "start of day" and the start_info layout, version 1).
 * All addresses are guest-physical; the structure is little-endian and
 * naturally aligned.
 */
#ifndef ABI_HVM_START_INFO_H
#define ABI_HVM_START_INFO_H

#define HVM_START_MAGIC_VALUE	0x336ec578

#ifndef __ASSEMBLY__
#include <proteus/types.h>

struct hvm_start_info {
	u32 magic;
	u32 version;		/* 0, or 1 with the memory map fields */
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;	/* struct hvm_modlist_entry[nr_modules] */
	u64 cmdline_paddr;	/* NUL-terminated */
	u64 rsdp_paddr;
	u64 memmap_paddr;	/* version >= 1 */
	u32 memmap_entries;	/* version >= 1 */
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
};

/* Types are the e820 ones (enum mem_type). */
struct hvm_memmap_table_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
};

#endif /* __ASSEMBLY__ */
#endif
