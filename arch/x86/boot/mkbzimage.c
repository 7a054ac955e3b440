// SPDX-License-Identifier: GPL-2.0
/*
 * mkbzimage: build tool (runs on the host) that assembles a bzImage from
 *
 *   setup.bin     the real-mode part: boot sector, setup header, 16-bit setup
 *   loader32.bin  the 32-bit stub that starts the protected-mode part
 *   efistub.bin   the EFI stub (64-bit, position-independent)
 *   vmlinux       the kernel, an ELF64 carried verbatim as the payload
 *
 * Layout of the result (Linux x86 boot protocol, Documentation/arch/x86/
 * boot.rst), which is also a PE32+ EFI application:
 *
 *   file 0                      setup.bin padded to whole sectors: "MZ" and
 *                               e_lfanew in the boot sector, the setup
 *                               header, the PE headers (written here)
 *   then one sector             the PE .reloc section: one empty block
 *   file (setup_sects + 1)*512  protected-mode part, loaded at code32_start,
 *                               and the PE .text section:
 *       +0                      loader32 stub (ends in struct loader32_trailer)
 *       +efistub_offset         EFI stub (ends in struct efistub_trailer); the
 *                               handover entry and the PE entry point in it
 *       +payload_offset         vmlinux, byte for byte (what Xen's dom0 builder
 *                               and any other payload reader takes)
 *       ...                     zero padding to a whole 512-byte sector
 *
 * PE sections use FileAlignment = SectionAlignment = 512 with each
 * section's address equal to its file offset, so that the loaded image
 * mirrors the file and the stubs find the payload where they would in it.
 *
 * The tool fills the fields only it can know (setup_sects, syssize,
 * payload_offset/length, init_size, kernel_info_offset, handover_offset,
 * the PE headers), and refuses any kernel the stubs could not load: it runs
 * the same checks the stubs run at boot, so a bad kernel fails the build
 * and not the boot.
 *
 * It has a second job: "mkbzimage --offsets" prints the structure offsets the
 * two assembly files need, computed from <asm/bootparam.h> and <elf.h>, so
 * that no offset is ever typed in by hand.
 */
#include <asm/bootparam.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pe.h"

/*
 * The last 16 bytes of loader32.bin. The stub reads payload_offset and
 * payload_length from here rather than from boot_params: a 32-bit loader
 * may hand us a boot_params whose header copy is short or stale, while
 * these bytes travel with the stub itself.
 */
struct loader32_trailer {
	uint32_t magic;			/* LOADER32_MAGIC */
	uint32_t kernel_info;		/* offset of kernel_info ("LToP") in the stub */
	uint32_t payload_offset;	/* from the stub's start; filled in here */
	uint32_t payload_length;	/* bytes; filled in here */
};

/* The last 24 bytes of efistub.bin (struct efistub_trailer in efistub.h). */
struct efistub_trailer {
	uint32_t magic;			/* EFISTUB_MAGIC */
	int32_t pe_entry;		/* relative to this field */
	int32_t handover_entry;		/* relative to this field */
	uint32_t payload_offset;	/* from the EFI stub's start; filled here */
	uint32_t payload_length;	/* bytes; filled here */
	uint32_t pm_offset;		/* the EFI stub's offset in the pm part */
};

#define LOADER32_MAGIC		0x3233544cu	/* "LT32" in memory order */
#define EFISTUB_MAGIC		0x53494645u	/* "EFIS" */
#define KERNEL_INFO_MAGIC	0x506f544cu	/* "LToP" */
#define HDR_MAGIC		0x53726448u	/* "HdrS" */

/* Payload start in the pm part; 8 would do for the ELF's fields, a page
 * keeps it tidy for anyone who maps or dumps the image. */
#define PAYLOAD_ALIGN		4096u
/* A sane bound on program headers; the stub loops over them at boot. */
#define PHNUM_MAX		64u
/* PE FileAlignment = SectionAlignment: one sector. */
#define PE_ALIGN		512u
/* The 64-bit handover entry is at pm start + handover_offset + 0x200. */
#define HANDOVER_BIAS		0x200u
/* The real-mode setup must not reach the loader's heap/stack area. */
#define SETUP_MAX_SECTS		60u

#define FOUR_GIB		0x100000000ull

static const char *prog = "mkbzimage";

static void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Little-endian accessors: the host may be anything, the image is x86. */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put8(uint8_t *p, uint8_t v)
{
	p[0] = v;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint8_t *read_file(const char *path, size_t *sizep)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long size;

	if (!f)
		die("%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		die("%s: cannot get its size: %s", path, strerror(errno));
	/* One spare byte so that an empty file still gets a buffer. */
	buf = calloc(1, (size_t)size + 1);
	if (!buf)
		die("out of memory");
	if (fread(buf, 1, (size_t)size, f) != (size_t)size)
		die("%s: short read", path);
	fclose(f);
	*sizep = (size_t)size;
	return buf;
}

/* Offsets into the setup image and boot_params (they coincide). */
#define HDR(field)	offsetof(struct boot_params, hdr.field)
#define HDR_END		(offsetof(struct boot_params, hdr) + \
			 sizeof(struct setup_header))

struct kernel_layout {
	uint64_t lo, hi;	/* lowest and highest byte+1 the kernel occupies */
	uint64_t entry;
	unsigned int nr_load;
};

/*
 * Check vmlinux the way the stub will at boot (see loader32.S), and a bit
 * more strictly: what is only suspicious at boot is an error at build time.
 */
static void check_kernel(const char *path, const uint8_t *elf, size_t size,
			 uint32_t pm_addr, uint32_t pm_size,
			 struct kernel_layout *k)
{
	uint64_t phoff;
	unsigned int phnum, phentsize, i;
	int entry_ok = 0;

	if (size < sizeof(Elf64_Ehdr) || memcmp(elf, ELFMAG, SELFMAG))
		die("%s: not an ELF file", path);
	if (elf[EI_CLASS] != ELFCLASS64 || elf[EI_DATA] != ELFDATA2LSB)
		die("%s: not a little-endian ELF64", path);
	if (get16(elf + offsetof(Elf64_Ehdr, e_machine)) != EM_X86_64)
		die("%s: not an x86-64 ELF", path);
	if (get16(elf + offsetof(Elf64_Ehdr, e_type)) != ET_EXEC)
		die("%s: not an executable (ET_EXEC) ELF", path);

	phoff = get64(elf + offsetof(Elf64_Ehdr, e_phoff));
	phnum = get16(elf + offsetof(Elf64_Ehdr, e_phnum));
	phentsize = get16(elf + offsetof(Elf64_Ehdr, e_phentsize));
	if (phnum == 0 || phnum > PHNUM_MAX)
		die("%s: %u program headers (want 1..%u)", path, phnum, PHNUM_MAX);
	if (phentsize != sizeof(Elf64_Phdr))
		die("%s: program header size %u, want %zu", path, phentsize,
		    sizeof(Elf64_Phdr));
	if (phoff > size || (uint64_t)phnum * phentsize > size - phoff)
		die("%s: program headers lie outside the file", path);

	k->entry = get64(elf + offsetof(Elf64_Ehdr, e_entry));
	k->lo = UINT64_MAX;
	k->hi = 0;
	k->nr_load = 0;

	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = elf + phoff + (uint64_t)i * phentsize;
		uint64_t off, paddr, filesz, memsz;

		if (get32(ph + offsetof(Elf64_Phdr, p_type)) != PT_LOAD)
			continue;
		off = get64(ph + offsetof(Elf64_Phdr, p_offset));
		paddr = get64(ph + offsetof(Elf64_Phdr, p_paddr));
		filesz = get64(ph + offsetof(Elf64_Phdr, p_filesz));
		memsz = get64(ph + offsetof(Elf64_Phdr, p_memsz));

		if (filesz > memsz)
			die("%s: segment %u: p_filesz %#llx > p_memsz %#llx", path,
			    i, (unsigned long long)filesz,
			    (unsigned long long)memsz);
		if (off > size || filesz > size - off)
			die("%s: segment %u: file bytes %#llx+%#llx lie outside "
			    "the file", path, i, (unsigned long long)off,
			    (unsigned long long)filesz);
		if (memsz == 0)
			continue;
		if (paddr >= FOUR_GIB || memsz > FOUR_GIB - paddr)
			die("%s: segment %u: %#llx+%#llx reaches above 4 GiB",
			    path, i, (unsigned long long)paddr,
			    (unsigned long long)memsz);
		if (paddr < pm_addr)
			die("%s: segment %u: loads at %#llx, below the "
			    "protected-mode part at %#x (the kernel must load "
			    "from 2 MiB up)", path, i,
			    (unsigned long long)paddr, pm_addr);
		if (paddr < (uint64_t)pm_addr + pm_size)
			die("%s: segment %u at %#llx-%#llx overlaps the bzImage's "
			    "protected-mode part at %#x-%#x: the kernel must load "
			    "above it (kernel too big for this layout?)", path, i,
			    (unsigned long long)paddr,
			    (unsigned long long)(paddr + memsz), pm_addr,
			    pm_addr + pm_size);
		if (paddr < k->lo)
			k->lo = paddr;
		if (paddr + memsz > k->hi)
			k->hi = paddr + memsz;
		if (k->entry >= paddr && k->entry < paddr + filesz)
			entry_ok = 1;
		k->nr_load++;
	}
	if (!k->nr_load)
		die("%s: nothing to load (no PT_LOAD segment with memory)", path);
	if (!entry_ok)
		die("%s: entry point %#llx is not in any loaded segment's "
		    "file bytes", path, (unsigned long long)k->entry);
}

static void check_setup(const char *path, const uint8_t *s, size_t size)
{
	unsigned int jump_end;

	if (size < HDR_END)
		die("%s: %zu bytes, too short for a setup header", path, size);
	if (get16(s + HDR(boot_flag)) != 0xaa55)
		die("%s: no boot_flag 0xaa55 at %#zx", path, HDR(boot_flag));
	if (get32(s + HDR(header)) != HDR_MAGIC)
		die("%s: no \"HdrS\" at %#zx", path, HDR(header));
	/*
	 * Loaders find the end of the header from the jump at 0x200: it must
	 * be a short jump over all of struct setup_header as we know it.
	 */
	if (s[HDR(jump)] != 0xeb)
		die("%s: no short jump at %#zx", path, HDR(jump));
	jump_end = HDR(jump) + 2 + s[HDR(jump) + 1];
	if (s[HDR(jump) + 1] >= 0x80 || jump_end < HDR_END)
		die("%s: the jump at %#zx lands at %#x, inside the setup header "
		    "(which ends at %#zx)", path, HDR(jump), jump_end, HDR_END);
	if (get16(s + HDR(version)) < 0x020c)
		die("%s: boot protocol version %#x is below 2.12", path,
		    get16(s + HDR(version)));
	if (get32(s + HDR(code32_start)) != get64(s + HDR(pref_address)))
		die("%s: code32_start and pref_address differ", path);
}

static void check_stub(const char *path, const uint8_t *l, size_t size,
		       uint32_t *kernel_info)
{
	const uint8_t *t;

	if (size < sizeof(struct loader32_trailer))
		die("%s: too short", path);
	t = l + size - sizeof(struct loader32_trailer);
	if (get32(t + offsetof(struct loader32_trailer, magic)) != LOADER32_MAGIC)
		die("%s: no trailer at its end (is the linker script right?)",
		    path);
	*kernel_info = get32(t + offsetof(struct loader32_trailer, kernel_info));
	if (*kernel_info > size - 16 || get32(l + *kernel_info) != KERNEL_INFO_MAGIC)
		die("%s: kernel_info at %#x is not \"LToP\"", path, *kernel_info);
}

/* Where in efistub.bin its two entries are. */
struct efistub_entries {
	uint32_t pe, handover;
};

static void check_efistub(const char *path, const uint8_t *e, size_t size,
			  struct efistub_entries *ent)
{
	size_t t = size - sizeof(struct efistub_trailer);
	int64_t pe, handover;

	if (size < sizeof(struct efistub_trailer) ||
	    get32(e + t + offsetof(struct efistub_trailer, magic)) != EFISTUB_MAGIC)
		die("%s: no trailer at its end (is the linker script right?)",
		    path);
	pe = (int64_t)t + offsetof(struct efistub_trailer, pe_entry) +
	     (int32_t)get32(e + t + offsetof(struct efistub_trailer, pe_entry));
	handover = (int64_t)t +
		   offsetof(struct efistub_trailer, handover_entry) +
		   (int32_t)get32(e + t + offsetof(struct efistub_trailer,
						   handover_entry));
	if (pe < 0 || (size_t)pe >= t || handover < 0 || (size_t)handover >= t)
		die("%s: entry points %#llx/%#llx outside its code", path,
		    (long long)pe, (long long)handover);
	ent->pe = (uint32_t)pe;
	ent->handover = (uint32_t)handover;
}

/*
 * The PE/COFF headers, in the room setup.S leaves at e_lfanew. The struct
 * is written as the host lays it out: PE is little-endian, so is the host
 * this builds on (checked below).
 */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "mkbzimage writes the PE headers in host byte order: little-endian only"
#endif

/*
 * The .reloc section: one block of two IMAGE_REL_BASED_ABSOLUTE entries,
 * which are padding (PE 6.6.2): nothing needs relocating, the stub is
 * position-independent. It is there for firmware that will not load an
 * EFI application without a relocation directory.
 */
#define RELOC_BLOCK_SIZE	(sizeof(struct pe_reloc_block) + 2 * 2)

struct pe_layout {
	uint32_t headers_size;	/* setup.bin, whole sectors */
	uint32_t reloc_offset;	/* the .reloc sector */
	uint32_t pm_offset;	/* the protected-mode part, .text */
	uint32_t pm_size;	/* whole sectors */
	uint32_t entry;		/* file offset of efi_pe_entry */
};

static void set_section(struct pe_section *sec, const char *name,
			uint32_t offset, uint32_t size, uint32_t flags)
{
	strncpy(sec->name, name, sizeof(sec->name));
	sec->virtual_size = size;
	sec->rva = offset;
	sec->raw_size = size;
	sec->raw_offset = offset;
	sec->flags = flags;
}

static void fill_pe_header(struct pe_header *pe, const struct pe_layout *l)
{
	struct pe32plus_opt_header *o = &pe->opt;

	memset(pe, 0, sizeof(*pe));
	pe->coff.signature = PE_SIGNATURE;
	pe->coff.machine = PE_MACHINE_X86_64;
	pe->coff.nr_sections = PE_NR_SECTIONS;
	pe->coff.opt_header_size = sizeof(*o);
	pe->coff.characteristics = PE_FILE_EXECUTABLE_IMAGE |
				   PE_FILE_LINE_NUMS_STRIPPED |
				   PE_FILE_LOCAL_SYMS_STRIPPED |
				   PE_FILE_LARGE_ADDRESS_AWARE |
				   PE_FILE_DEBUG_STRIPPED;
	o->magic = PE_OPT_MAGIC_PE32PLUS;
	o->code_size = l->pm_size;
	o->data_size = PE_ALIGN;
	o->entry_point = l->entry;
	o->code_base = l->pm_offset;
	/* 0: no preferred address, the firmware picks one (we relocate nothing). */
	o->image_base = 0;
	o->section_align = PE_ALIGN;
	o->file_align = PE_ALIGN;
	o->image_size = l->pm_offset + l->pm_size;
	o->headers_size = l->headers_size;
	o->subsystem = PE_SUBSYSTEM_EFI_APP;
	o->nr_dirs = PE_NR_DIRS;
	o->dirs[PE_DIR_BASERELOC].rva = l->reloc_offset;
	o->dirs[PE_DIR_BASERELOC].size = RELOC_BLOCK_SIZE;
	set_section(&pe->sections[0], ".reloc", l->reloc_offset, PE_ALIGN,
		    PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_READ |
		    PE_SCN_MEM_DISCARDABLE);
	set_section(&pe->sections[1], ".text", l->pm_offset, l->pm_size,
		    PE_SCN_CNT_CODE | PE_SCN_MEM_EXECUTE | PE_SCN_MEM_READ |
		    PE_SCN_MEM_WRITE);
}

/*
 * What a PE loader relies on, checked on what was written: sections
 * aligned, inside the file and in order without overlap, the image the
 * size of the file, the entry point in .text, the headers before the
 * first section.
 */
static void check_pe_header(const struct pe_header *pe, uint32_t file_size)
{
	const struct pe32plus_opt_header *o = &pe->opt;
	uint32_t end = o->headers_size, i;
	int entry_ok = 0;

	if (o->headers_size % o->file_align || o->file_align != o->section_align)
		die("PE: headers size or alignments inconsistent");
	for (i = 0; i < pe->coff.nr_sections; i++) {
		const struct pe_section *sec = &pe->sections[i];

		if (sec->raw_offset % o->file_align || sec->raw_size % o->file_align)
			die("PE: section %.8s not aligned", sec->name);
		if (sec->rva != sec->raw_offset || sec->raw_offset < end)
			die("PE: section %.8s out of order or not mirrored",
			    sec->name);
		if (sec->raw_offset + sec->raw_size > file_size)
			die("PE: section %.8s beyond the file", sec->name);
		end = sec->raw_offset + sec->raw_size;
		if ((sec->flags & PE_SCN_MEM_EXECUTE) &&
		    o->entry_point - sec->rva < sec->virtual_size)
			entry_ok = 1;
	}
	if (end != file_size || o->image_size != file_size)
		die("PE: sections cover %#x bytes, image %#x, file %#x", end,
		    o->image_size, file_size);
	if (!entry_ok)
		die("PE: entry point %#x is not in an executable section",
		    o->entry_point);
}

static void write_image(const char *path, const uint8_t *setup,
			size_t setup_size, const uint8_t *pm, size_t pm_size)
{
	char tmp[4096];
	FILE *f;

	/* Never leave a half-written bzImage behind for make to trust. */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		die("%s: path too long", path);
	f = fopen(tmp, "wb");
	if (!f)
		die("%s: %s", tmp, strerror(errno));
	if (fwrite(setup, 1, setup_size, f) != setup_size ||
	    fwrite(pm, 1, pm_size, f) != pm_size || fclose(f))
		die("%s: write failed: %s", tmp, strerror(errno));
	if (rename(tmp, path))
		die("%s: %s", path, strerror(errno));
}

/* The PE headers' room in setup.bin: e_lfanew, aligned, zeroed, inside. */
static uint32_t check_pe_room(const char *path, const uint8_t *s, size_t size)
{
	uint32_t lfanew = get32(s + PE_LFANEW_OFFSET);
	size_t i;

	if (get16(s) != PE_DOS_MAGIC)
		die("%s: no \"MZ\" at offset 0", path);
	if (lfanew % 8 || lfanew < HDR_END || lfanew > size ||
	    size - lfanew < sizeof(struct pe_header))
		die("%s: e_lfanew %#x: no room for the PE headers there", path,
		    lfanew);
	for (i = 0; i < sizeof(struct pe_header); i++)
		if (s[lfanew + i])
			die("%s: the PE headers' room at %#x is not zeroed", path,
			    lfanew);
	return lfanew;
}

static int build(const char *setup_path, const char *stub_path,
		 const char *efistub_path, const char *kernel_path,
		 const char *out_path)
{
	uint8_t *setup_file, *stub, *efistub, *kernel, *setup, *pm, *t;
	size_t setup_file_size, stub_size, efistub_size, kernel_size, setup_size;
	uint32_t setup_sects, pm_addr, payload_offset, pm_size, kernel_info;
	uint32_t init_size, efistub_offset, lfanew, headers_size;
	uint64_t end;
	struct kernel_layout k;
	struct efistub_entries ent;
	struct pe_layout pl;
	struct pe_header pe;

	setup_file = read_file(setup_path, &setup_file_size);
	stub = read_file(stub_path, &stub_size);
	efistub = read_file(efistub_path, &efistub_size);
	kernel = read_file(kernel_path, &kernel_size);

	check_setup(setup_path, setup_file, setup_file_size);
	lfanew = check_pe_room(setup_path, setup_file, setup_file_size);
	check_stub(stub_path, stub, stub_size, &kernel_info);
	check_efistub(efistub_path, efistub, efistub_size, &ent);

	/*
	 * The real-mode part: the boot sector plus setup_sects sectors, the
	 * last of which is the PE .reloc section.
	 */
	headers_size = align_up((uint32_t)setup_file_size, PE_ALIGN);
	setup_size = headers_size + PE_ALIGN;
	setup_sects = (uint32_t)(setup_size / 512 - 1);
	if (setup_sects < 1 || setup_sects > SETUP_MAX_SECTS)
		die("%s: %u setup sectors (want 1..%u)", setup_path,
		    setup_sects, SETUP_MAX_SECTS);
	setup = calloc(1, setup_size);
	if (!setup)
		die("out of memory");
	memcpy(setup, setup_file, setup_file_size);

	/*
	 * The protected-mode part: the two stubs, the aligned payload, and
	 * padding to a whole PE sector.
	 */
	if (kernel_size > 0x40000000 || efistub_size > 0x100000)
		die("%s or %s: far too big", kernel_path, efistub_path);
	efistub_offset = align_up((uint32_t)stub_size, 16);
	payload_offset = align_up(efistub_offset + (uint32_t)efistub_size,
				  PAYLOAD_ALIGN);
	pm_size = align_up(payload_offset + (uint32_t)kernel_size, PE_ALIGN);
	if (efistub_offset + ent.handover < HANDOVER_BIAS)
		die("%s: the handover entry would be below pm start + 0x200",
		    efistub_path);
	pm_addr = get32(setup + HDR(code32_start));

	check_kernel(kernel_path, kernel, kernel_size, pm_addr, pm_size, &k);

	pm = calloc(1, pm_size);
	if (!pm)
		die("out of memory");
	memcpy(pm, stub, stub_size);
	memcpy(pm + efistub_offset, efistub, efistub_size);
	memcpy(pm + payload_offset, kernel, kernel_size);
	t = pm + stub_size - sizeof(struct loader32_trailer);
	put32(t + offsetof(struct loader32_trailer, payload_offset),
	      payload_offset);
	put32(t + offsetof(struct loader32_trailer, payload_length),
	      (uint32_t)kernel_size);
	t = pm + efistub_offset + efistub_size - sizeof(struct efistub_trailer);
	put32(t + offsetof(struct efistub_trailer, payload_offset),
	      payload_offset - efistub_offset);
	put32(t + offsetof(struct efistub_trailer, payload_length),
	      (uint32_t)kernel_size);
	put32(t + offsetof(struct efistub_trailer, pm_offset), efistub_offset);

	/*
	 * init_size: all the memory from the load address that must be free
	 * before the kernel can look at the memory map, i.e. up to the end of
	 * its highest segment (bss included) or of the image, whichever is
	 * further.
	 */
	end = k.hi > (uint64_t)pm_addr + pm_size ? k.hi : (uint64_t)pm_addr + pm_size;
	if (end - pm_addr > 0xfffff000u)
		die("%s: init_size would not fit in 32 bits", kernel_path);
	init_size = align_up((uint32_t)(end - pm_addr), 4096);

	put8(setup + HDR(setup_sects), (uint8_t)setup_sects);
	put32(setup + HDR(syssize), pm_size / 16);
	put32(setup + HDR(payload_offset), payload_offset);
	put32(setup + HDR(payload_length), (uint32_t)kernel_size);
	put32(setup + HDR(init_size), init_size);
	put32(setup + HDR(kernel_info_offset), kernel_info);
	put32(setup + HDR(handover_offset),
	      efistub_offset + ent.handover - HANDOVER_BIAS);
	put16(setup + HDR(xloadflags),
	      get16(setup + HDR(xloadflags)) | XLF_EFI_HANDOVER_64);

	pl = (struct pe_layout){
		.headers_size = headers_size,
		.reloc_offset = headers_size,
		.pm_offset = (uint32_t)setup_size,
		.pm_size = pm_size,
		.entry = (uint32_t)setup_size + efistub_offset + ent.pe,
	};
	fill_pe_header(&pe, &pl);
	check_pe_header(&pe, (uint32_t)setup_size + pm_size);
	memcpy(setup + lfanew, &pe, sizeof(pe));
	put32(setup + headers_size + offsetof(struct pe_reloc_block, block_size),
	      RELOC_BLOCK_SIZE);

	write_image(out_path, setup, setup_size, pm, pm_size);

	printf("  BZIMAGE %s: %zu bytes = setup %zu + stub %zu + efistub %zu + "
	       "vmlinux %zu; kernel %#llx-%#llx, init_size %#x\n", out_path,
	       setup_size + pm_size, setup_size, stub_size, efistub_size,
	       kernel_size, (unsigned long long)k.lo,
	       (unsigned long long)k.hi, init_size);

	free(setup_file);
	free(stub);
	free(efistub);
	free(kernel);
	free(setup);
	free(pm);
	return 0;
}

/* --offsets: everything the assembly needs, one #define each. */
#define DEF(name, value) \
	printf("#define %-28s %#llx\n", #name, (unsigned long long)(value))
#define DEF_HDR(field)	DEF(BP_hdr_##field, HDR(field))
#define DEF_EH(field)	DEF(EH_##field, offsetof(Elf64_Ehdr, field))
#define DEF_PH(field)	DEF(PH_##field, offsetof(Elf64_Phdr, field))

static int offsets(void)
{
	printf("/* Generated by mkbzimage --offsets from <asm/bootparam.h> and "
	       "<elf.h>: do not edit. */\n");
	printf("#ifndef BOOT_OFFSETS_H\n#define BOOT_OFFSETS_H\n\n");

	DEF(BP_SIZE, sizeof(struct boot_params));
	DEF(BP_ext_mem_k, offsetof(struct boot_params, screen_info.ext_mem_k));
	DEF(BP_alt_mem_k, offsetof(struct boot_params, alt_mem_k));
	DEF(BP_scratch, offsetof(struct boot_params, scratch));
	DEF(BP_e820_entries, offsetof(struct boot_params, e820_entries));
	DEF(BP_e820_table, offsetof(struct boot_params, e820_table));
	DEF(BP_hdr, offsetof(struct boot_params, hdr));
	DEF(BP_hdr_end, HDR_END);
	DEF(E820_ENTRY_SIZE, sizeof(struct boot_e820_entry));
	DEF(E820_MAX_ENTRIES, E820_MAX_ENTRIES_ZEROPAGE);
	DEF(E820_addr, offsetof(struct boot_e820_entry, addr));
	DEF(E820_size, offsetof(struct boot_e820_entry, size));
	DEF(E820_type, offsetof(struct boot_e820_entry, type));
	printf("\n");

	DEF_HDR(setup_sects);
	DEF_HDR(root_flags);
	DEF_HDR(syssize);
	DEF_HDR(ram_size);
	DEF_HDR(vid_mode);
	DEF_HDR(root_dev);
	DEF_HDR(boot_flag);
	DEF_HDR(jump);
	DEF_HDR(header);
	DEF_HDR(version);
	DEF_HDR(realmode_swtch);
	DEF_HDR(start_sys_seg);
	DEF_HDR(kernel_version);
	DEF_HDR(type_of_loader);
	DEF_HDR(loadflags);
	DEF_HDR(setup_move_size);
	DEF_HDR(code32_start);
	DEF_HDR(ramdisk_image);
	DEF_HDR(ramdisk_size);
	DEF_HDR(bootsect_kludge);
	DEF_HDR(heap_end_ptr);
	DEF_HDR(ext_loader_ver);
	DEF_HDR(ext_loader_type);
	DEF_HDR(cmd_line_ptr);
	DEF_HDR(initrd_addr_max);
	DEF_HDR(kernel_alignment);
	DEF_HDR(relocatable_kernel);
	DEF_HDR(min_alignment);
	DEF_HDR(xloadflags);
	DEF_HDR(cmdline_size);
	DEF_HDR(hardware_subarch);
	DEF_HDR(hardware_subarch_data);
	DEF_HDR(payload_offset);
	DEF_HDR(payload_length);
	DEF_HDR(setup_data);
	DEF_HDR(pref_address);
	DEF_HDR(init_size);
	DEF_HDR(handover_offset);
	DEF_HDR(kernel_info_offset);
	printf("\n");

	DEF(SD_next, offsetof(struct setup_data, next));
	DEF(SD_len, offsetof(struct setup_data, len));
	DEF(SD_data, offsetof(struct setup_data, data));
	printf("\n");

	DEF(ELF_MAGIC, get32((const uint8_t *)ELFMAG));
	DEF(ELF_EI_CLASS, EI_CLASS);
	DEF(ELF_EI_DATA, EI_DATA);
	DEF(ELF_CLASS64, ELFCLASS64);
	DEF(ELF_DATA2LSB, ELFDATA2LSB);
	DEF(ELF_EM_X86_64, EM_X86_64);
	DEF(ELF_PT_LOAD, PT_LOAD);
	DEF(ELF_PHNUM_MAX, PHNUM_MAX);
	DEF(EH_SIZE, sizeof(Elf64_Ehdr));
	DEF_EH(e_machine);
	DEF_EH(e_entry);
	DEF_EH(e_phoff);
	DEF_EH(e_phentsize);
	DEF_EH(e_phnum);
	DEF(PH_SIZE, sizeof(Elf64_Phdr));
	DEF_PH(p_type);
	DEF_PH(p_offset);
	DEF_PH(p_paddr);
	DEF_PH(p_filesz);
	DEF_PH(p_memsz);
	printf("\n");

	DEF(LOADER32_MAGIC, LOADER32_MAGIC);
	DEF(LOADER32_TRAILER_SIZE, sizeof(struct loader32_trailer));
	DEF(KERNEL_INFO_MAGIC, KERNEL_INFO_MAGIC);
	DEF(HDR_MAGIC, HDR_MAGIC);
	DEF(PE_LFANEW_OFFSET, PE_LFANEW_OFFSET);
	DEF(PE_HEADER_SIZE, sizeof(struct pe_header));

	printf("\n#endif\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--offsets"))
		return offsets();
	if (argc == 6)
		return build(argv[1], argv[2], argv[3], argv[4], argv[5]);
	fprintf(stderr, "usage: %s SETUP.bin LOADER32.bin EFISTUB.bin VMLINUX "
			"BZIMAGE\n"
			"       %s --offsets\n", prog, prog);
	return 2;
}
