/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF notes that tell Xen and QEMU how to start build/vmlinux (also read
 * by Xen from the bzImage payload): PVH through PHYS32_ENTRY (32-bit,
 * paging off), Xen PV through ENTRY (64-bit, paging on). VIRT_BASE and
 * PADDR_OFFSET are 0 because the kernel is linked virtual == physical.
 * Format: xen/elfnote.h; the "Xen" name and 4-byte alignment as the ELF
 * note format requires.
 */
#include <xen/elfnote.h>
#include <xen/features.h>

.macro	xen_note_head type
	.balign	4
	.long	2f - 1f			/* namesz */
	.long	4f - 3f			/* descsz */
	.long	\type
1:	.asciz	"Xen"
2:	.balign	4
3:
.endm

.macro	xen_note_str type, str
	xen_note_head \type
	.asciz	"\str"
4:
.endm

.macro	xen_note_val type, kind, value
	xen_note_head \type
	\kind	\value
4:
.endm

	.section .note.Xen, "a", @note
	xen_note_str XEN_ELFNOTE_GUEST_OS, "Proteus"
	xen_note_str XEN_ELFNOTE_GUEST_VERSION, "0.1"
	xen_note_str XEN_ELFNOTE_XEN_VERSION, "xen-3.0"
	xen_note_str XEN_ELFNOTE_LOADER, "generic"
	xen_note_val XEN_ELFNOTE_VIRT_BASE, .quad, 0
	xen_note_val XEN_ELFNOTE_PADDR_OFFSET, .quad, 0
	xen_note_val XEN_ELFNOTE_ENTRY, .quad, xen_pv_start
	xen_note_str XEN_ELFNOTE_FEATURES, "!writable_page_tables"
	xen_note_val XEN_ELFNOTE_SUPPORTED_FEATURES, .long, (1 << XENFEAT_dom0)
	xen_note_val XEN_ELFNOTE_PHYS32_ENTRY, .long, startup_32_pvh
