// SPDX-License-Identifier: GPL-2.0
/*
 * The initrd (our boot module) of a stub started as an EFI application.
 * The loader that started us offers it, if it has one, through
 * EFI_LOAD_FILE2_PROTOCOL on a device path made of one vendor media node
 * with the GUID Linux chose for it (LINUX_EFI_INITRD_MEDIA_GUID, see
 * Documentation/arch/x86/boot.rst's EFI stub notes): OVMF does for
 * QEMU's -initrd, systemd-boot and GRUB 2.12 do for theirs. LoadFile
 * takes what LocateDevicePath left of the path (the end node); a sizing
 * call first, then the bytes, into pages below 4 GiB (ramdisk_image is
 * 32-bit).
 */
#include "efistub.h"

#define BELOW_4G	0xffffffffULL

static const struct efi_guid load_file2_guid = {
	0x4006c0c1, 0xfcb3, 0x403e,
	{ 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d }
};

static const struct {
	struct efi_device_path vendor;
	struct efi_guid guid;
	struct efi_device_path end;
} __packed initrd_path = {
	{ EFI_DEV_MEDIA, EFI_DEV_MEDIA_VENDOR,
	  sizeof(struct efi_device_path) + sizeof(struct efi_guid) },
	{ 0x5568e427, 0x68fc, 0x4f3d,
	  { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } },
	{ EFI_DEV_END, EFI_DEV_END_ENTIRE, sizeof(struct efi_device_path) },
};

efi_status_t efi_load_initrd(struct boot_params *bp)
{
	const void *path = &initrd_path;
	struct efi_load_file2 *lf2;
	efi_handle_t dev;
	efi_status_t status;
	u64 size = 0, addr = BELOW_4G;

	status = efi_bs->locate_device_path(&load_file2_guid, &path, &dev);
	if (status == EFI_NOT_FOUND)
		return EFI_SUCCESS;
	if (status)
		return efi_fail("cannot look for an initrd", status);
	status = efi_bs->handle_protocol(dev, &load_file2_guid, (void **)&lf2);
	if (status)
		return efi_fail("the initrd's LoadFile2 protocol is missing", status);
	status = lf2->load_file(lf2, path, 0, &size, NULL);
	if (status != EFI_BUFFER_TOO_SMALL)
		return efi_fail("cannot size the initrd", status);
	if (!size || size > BELOW_4G)
		return efi_fail("the initrd's size is 0 or over 4 GiB", EFI_LOAD_ERROR);
	status = efi_bs->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, EFI_LOADER_DATA,
					ALIGN_UP(size, EFI_PAGE_SIZE) / EFI_PAGE_SIZE,
					&addr);
	if (status)
		return efi_fail("cannot allocate the initrd", status);
	status = lf2->load_file(lf2, path, 0, &size, (void *)(uintptr_t)addr);
	if (status)
		return efi_fail("cannot read the initrd", status);
	bp->hdr.ramdisk_image = (u32)addr;
	bp->hdr.ramdisk_size = (u32)size;
	return EFI_SUCCESS;
}
