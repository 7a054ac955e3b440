/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PE/COFF structures the bzImage's EFI header is made of, written by
 * mkbzimage and read back by the host test. No Debian header describes
 * PE32+ for a freestanding (or ELF host) build, so they follow Microsoft's
 * PE Format specification: MS-DOS stub and e_lfanew at 0x3c (section 2),
 * COFF file header (3.3), PE32+ optional header with its data directories
 * (3.4, 3.4.3), section table (4), base relocation block (6.6).
 * Every field is little-endian and naturally aligned.
 */
#ifndef BOOT_PE_H
#define BOOT_PE_H

#include <stdint.h>

#define PE_DOS_MAGIC		0x5a4d		/* "MZ" */
#define PE_LFANEW_OFFSET	0x3c
#define PE_SIGNATURE		0x00004550u	/* "PE\0\0" */
#define PE_MACHINE_X86_64	0x8664
#define PE_OPT_MAGIC_PE32PLUS	0x020b
#define PE_SUBSYSTEM_EFI_APP	10

/* COFF characteristics (3.3.2). */
#define PE_FILE_EXECUTABLE_IMAGE	0x0002
#define PE_FILE_LINE_NUMS_STRIPPED	0x0004
#define PE_FILE_LOCAL_SYMS_STRIPPED	0x0008
#define PE_FILE_LARGE_ADDRESS_AWARE	0x0020
#define PE_FILE_DEBUG_STRIPPED		0x0200

/* Section flags (4.1). */
#define PE_SCN_CNT_CODE			0x00000020
#define PE_SCN_CNT_INITIALIZED_DATA	0x00000040
#define PE_SCN_MEM_DISCARDABLE		0x02000000
#define PE_SCN_MEM_EXECUTE		0x20000000
#define PE_SCN_MEM_READ			0x40000000
#define PE_SCN_MEM_WRITE		0x80000000

/* Data directory slots (3.4.3): we need up to the base relocation table. */
#define PE_DIR_BASERELOC	5
#define PE_NR_DIRS		6

struct pe_coff_header {
	uint32_t signature;
	uint16_t machine;
	uint16_t nr_sections;
	uint32_t timestamp;
	uint32_t symtab;
	uint32_t nr_symbols;
	uint16_t opt_header_size;
	uint16_t characteristics;
};

struct pe_data_dir {
	uint32_t rva;
	uint32_t size;
};

struct pe32plus_opt_header {
	uint16_t magic;
	uint8_t linker_major, linker_minor;
	uint32_t code_size;
	uint32_t data_size;
	uint32_t bss_size;
	uint32_t entry_point;
	uint32_t code_base;
	uint64_t image_base;
	uint32_t section_align;
	uint32_t file_align;
	uint16_t os_major, os_minor;
	uint16_t image_major, image_minor;
	uint16_t subsys_major, subsys_minor;
	uint32_t win32_version;
	uint32_t image_size;
	uint32_t headers_size;
	uint32_t checksum;
	uint16_t subsystem;
	uint16_t dll_characteristics;
	uint64_t stack_reserve, stack_commit;
	uint64_t heap_reserve, heap_commit;
	uint32_t loader_flags;
	uint32_t nr_dirs;
	struct pe_data_dir dirs[PE_NR_DIRS];
};

struct pe_section {
	char name[8];
	uint32_t virtual_size;
	uint32_t rva;
	uint32_t raw_size;
	uint32_t raw_offset;
	uint32_t relocs;
	uint32_t line_numbers;
	uint16_t nr_relocs;
	uint16_t nr_line_numbers;
	uint32_t flags;
};

/* A base relocation block header; entries (u16 each) follow it (6.6.1). */
struct pe_reloc_block {
	uint32_t page_rva;
	uint32_t block_size;
};

/* Our sections: .reloc (one empty block) and .text (the pm part). */
#define PE_NR_SECTIONS		2

struct pe_header {
	struct pe_coff_header coff;
	struct pe32plus_opt_header opt;
	struct pe_section sections[PE_NR_SECTIONS];
};

#endif
