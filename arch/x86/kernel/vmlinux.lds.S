/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel layout: loaded and linked at 2 MiB, virtual == physical, so the
 * same addresses work for the 32-bit entries (paging off), the identity
 * mapped 64-bit kernel and Xen PV (VIRT_BASE 0: va == pseudo-physical).
 * Sections that need different page permissions are 4 KiB aligned:
 * text (RX), rodata (R, NX), data and bss (RW, NX), kallsyms (R, NX).
 */
#include <asm/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(startup_32_bp)

PHDRS {
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
	syms PT_LOAD FLAGS(4);
	note PT_NOTE FLAGS(4);
}

SECTIONS
{
	. = KERNEL_LOAD_ADDR;
	_text = .;
	.text : {
		*(.head.text)
		*(.text .text.*)
	} :text
	. = ALIGN(4096);
	_etext = .;

	_rodata = .;
	.rodata : {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__start_kparams = .;
		KEEP(*(.kparams))
		__stop_kparams = .;
		. = ALIGN(8);
		__start_selftests = .;
		KEEP(*(.selftests))
		__stop_selftests = .;
		. = ALIGN(8);
		__start_benchmarks = .;
		KEEP(*(.benchmarks))
		__stop_benchmarks = .;
		. = ALIGN(8);
		__start_pv_backends = .;
		KEEP(*(.pv_backends))
		__stop_pv_backends = .;
		. = ALIGN(16);
		__start_pv_sites = .;
		KEEP(*(.pv_sites))
		__stop_pv_sites = .;
		__start_pv_bodies = .;
		KEEP(*(.pv_bodies))
		__stop_pv_bodies = .;
		. = ALIGN(8);
		__start_extable = .;
		KEEP(*(.extable))
		__stop_extable = .;
	} :rodata
	.note.Xen : {
		__xen_notes_start = .;
		KEEP(*(.note.Xen))
		__xen_notes_end = .;
	} :rodata :note
	. = ALIGN(4096);
	_erodata = .;

	_data = .;
	.data : {
		/* The ops table has pages of its own: it is sealed read-only. */
		__pv_ops_start = .;
		*(.data.pv_ops)
		. = ALIGN(4096);
		__pv_ops_end = .;
		*(.data .data.*)
	} :data
	. = ALIGN(4096);
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss.page_aligned)
		*(.bss .bss.* COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	} :data
	_edata = .;

	/* Filled by the second link (scripts/kallsyms.sh): keep it last. */
	.kallsyms : { *(.kallsyms) } :syms
	. = ALIGN(4096);
	_end = .;

	/DISCARD/ : { *(.comment) *(.eh_frame) *(.note.GNU-stack) *(.note.gnu.*) }
}
