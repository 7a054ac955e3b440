/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UEFI boot-time interfaces the EFI stub calls, x64 only. No Debian
 * package ships a header usable in a freestanding build, so the layouts
 * follow the UEFI 2.10 specification: EFI_BOOT_SERVICES 4.4 (the order of
 * its function pointers), memory allocation and map 7.2, ExitBootServices
 * 7.4, EFI_LOADED_IMAGE_PROTOCOL 9.1, device path nodes 10.3,
 * EFI_LOAD_FILE2_PROTOCOL 13.2, EFI_SIMPLE_TEXT_OUTPUT_PROTOCOL 12.4,
 * status codes appendix D. The system table itself is the kernel's
 * struct efi_system_table (proteus/efi.h). Calls use the Microsoft x64
 * convention (2.3.4.2): hence __efiapi on every function pointer.
 */
#ifndef EFISTUB_EFI_API_H
#define EFISTUB_EFI_API_H

#include <proteus/efi.h>

#define __efiapi	__attribute__((ms_abi))

typedef u64 efi_status_t;
typedef void *efi_handle_t;

#define EFI_ERROR_BIT		(1ULL << 63)
#define EFI_SUCCESS		0
#define EFI_LOAD_ERROR		(EFI_ERROR_BIT | 1)
#define EFI_INVALID_PARAMETER	(EFI_ERROR_BIT | 2)
#define EFI_BUFFER_TOO_SMALL	(EFI_ERROR_BIT | 5)
#define EFI_NOT_FOUND		(EFI_ERROR_BIT | 14)

/* EFI_ALLOCATE_TYPE */
#define EFI_ALLOCATE_MAX_ADDRESS	1
#define EFI_ALLOCATE_ADDRESS		2

/* EFI_MEMORY_TYPE (7.2, table 7-5) */
enum efi_memory_type {
	EFI_RESERVED_MEMORY,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
};

#define EFI_PAGE_SIZE		4096

/* EFI_MEMORY_DESCRIPTOR; walk with the DescriptorSize GetMemoryMap gives. */
struct efi_memory_desc {
	u32 type;
	u32 pad;
	u64 phys_start;
	u64 virt_start;
	u64 nr_pages;
	u64 attribute;
};

struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl;
	void *restore_tpl;
	efi_status_t (__efiapi *allocate_pages)(u32 type, u32 mem_type,
						u64 pages, u64 *addr);
	efi_status_t (__efiapi *free_pages)(u64 addr, u64 pages);
	efi_status_t (__efiapi *get_memory_map)(u64 *map_size,
						struct efi_memory_desc *map,
						u64 *map_key, u64 *desc_size,
						u32 *desc_version);
	efi_status_t (__efiapi *allocate_pool)(u32 mem_type, u64 size,
					       void **buf);
	efi_status_t (__efiapi *free_pool)(void *buf);
	void *create_event;
	void *set_timer;
	void *wait_for_event;
	void *signal_event;
	void *close_event;
	void *check_event;
	void *install_protocol_interface;
	void *reinstall_protocol_interface;
	void *uninstall_protocol_interface;
	efi_status_t (__efiapi *handle_protocol)(efi_handle_t handle,
						 const struct efi_guid *guid,
						 void **interface);
	void *reserved;
	void *register_protocol_notify;
	void *locate_handle;
	efi_status_t (__efiapi *locate_device_path)(const struct efi_guid *guid,
						    const void **path,
						    efi_handle_t *device);
	void *install_configuration_table;
	void *load_image;
	void *start_image;
	efi_status_t (__efiapi *exit)(efi_handle_t image, efi_status_t status,
				      u64 data_size, u16 *data);
	void *unload_image;
	efi_status_t (__efiapi *exit_boot_services)(efi_handle_t image,
						    u64 map_key);
};

struct efi_simple_text_output {
	void *reset;
	efi_status_t (__efiapi *output_string)(struct efi_simple_text_output *self,
					       const u16 *string);
};

/* A device path node's header (10.2); a path ends with an end node. */
struct efi_device_path {
	u8 type;
	u8 subtype;
	u16 length;		/* bytes, this header included */
} __packed;

#define EFI_DEV_MEDIA		4
#define EFI_DEV_MEDIA_VENDOR	3
#define EFI_DEV_END		0x7f
#define EFI_DEV_END_ENTIRE	0xff

struct efi_load_file2 {
	efi_status_t (__efiapi *load_file)(struct efi_load_file2 *self,
					   const void *path, u8 boot_policy,
					   u64 *size, void *buf);
};

struct efi_loaded_image {
	u32 revision;
	efi_handle_t parent;
	struct efi_system_table *system_table;
	efi_handle_t device;
	void *file_path;
	void *reserved;
	u32 load_options_size;		/* bytes */
	void *load_options;
	void *image_base;
	u64 image_size;
	u32 image_code_type;
	u32 image_data_type;
	void *unload;
};

#endif
