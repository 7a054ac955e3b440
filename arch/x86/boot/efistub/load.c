// SPDX-License-Identifier: GPL-2.0
/*
 * The payload (build/vmlinux, an ELF64 executable) to its physical
 * addresses, as loader32 does it but with the memory taken from the
 * firmware first: AllocatePages(AllocateAddress) over the kernel's whole
 * range, so that neither the firmware's data nor this image is
 * overwritten. Only a handover loader's allocation for us (init_size bytes
 * from the protected-mode part's start, which by our header's definition
 * reaches the kernel's end) is ours already and taken out of the request. mkbzimage ran the same
 * checks at build time; here they guard against a damaged image.
 */
#include <linux/elf.h>
#include <proteus/string.h>
#include "efistub.h"

#define FOUR_GIB	0x100000000ULL
#define PHNUM_MAX	64

struct kernel_range {
	u64 lo, hi;
};

static const char *check_segments(const u8 *elf, u32 size,
				  struct kernel_range *r)
{
	const Elf64_Ehdr *eh = (const void *)elf;
	const Elf64_Phdr *ph;
	bool entry_ok = false;
	unsigned int i;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return "the payload is not an ELF file";
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
		return "the payload is not an x86-64 ELF64";
	if (eh->e_phentsize != sizeof(*ph) || !eh->e_phnum ||
	    eh->e_phnum > PHNUM_MAX || eh->e_phoff > size ||
	    (u64)eh->e_phnum * sizeof(*ph) > size - eh->e_phoff)
		return "bad program header table in the payload";
	ph = (const void *)(elf + eh->e_phoff);
	r->lo = ~0ULL;
	r->hi = 0;
	for (i = 0; i < eh->e_phnum; i++, ph++) {
		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_offset > size ||
		    ph->p_filesz > size - ph->p_offset)
			return "a kernel segment's bytes lie outside the payload";
		if (ph->p_paddr < 0x100000 || ph->p_paddr >= FOUR_GIB ||
		    ph->p_memsz > FOUR_GIB - ph->p_paddr)
			return "a kernel segment is not between 1 MiB and 4 GiB";
		r->lo = MIN(r->lo, ph->p_paddr);
		r->hi = MAX(r->hi, ph->p_paddr + ph->p_memsz);
		if (eh->e_entry - ph->p_paddr < ph->p_filesz)
			entry_ok = true;
	}
	if (!entry_ok)
		return "the entry point is not in a loaded segment";
	return NULL;
}

static void copy_segments(const u8 *elf)
{
	const Elf64_Ehdr *eh = (const void *)elf;
	const Elf64_Phdr *ph = (const void *)(elf + eh->e_phoff);
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++, ph++) {
		u8 *dst = (u8 *)(uintptr_t)ph->p_paddr;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		memcpy(dst, elf + ph->p_offset, ph->p_filesz);
		memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	}
}

/* Pages [lo, hi) at exactly that address; an empty range is no request. */
static efi_status_t allocate_at(u64 lo, u64 hi)
{
	efi_status_t status;

	if (lo >= hi)
		return EFI_SUCCESS;
	status = efi_bs->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_DATA,
					(hi - lo) / EFI_PAGE_SIZE, &lo);
	if (status)
		return efi_fail("the kernel's memory (its fixed physical "
				"address) is not free", status);
	return EFI_SUCCESS;
}

efi_status_t efi_load_kernel(const u8 *elf, u32 size, u64 own_lo, u64 own_hi,
			     u32 *entry)
{
	struct kernel_range r;
	const char *problem = check_segments(elf, size, &r);
	u64 lo, hi;
	efi_status_t status;

	if (problem)
		return efi_fail(problem, EFI_LOAD_ERROR);
	lo = ALIGN_DOWN(r.lo, EFI_PAGE_SIZE);
	hi = ALIGN_UP(r.hi, EFI_PAGE_SIZE);
	own_lo = ALIGN_UP(own_lo, EFI_PAGE_SIZE);
	own_hi = ALIGN_DOWN(own_hi, EFI_PAGE_SIZE);
	if (own_lo >= hi || own_hi <= lo || own_lo >= own_hi) {
		status = allocate_at(lo, hi);
	} else {
		status = allocate_at(lo, own_lo);
		if (!status)
			status = allocate_at(own_hi, hi);
	}
	if (status)
		return status;
	copy_segments(elf);
	*entry = (u32)((const Elf64_Ehdr *)elf)->e_entry;
	return EFI_SUCCESS;
}
