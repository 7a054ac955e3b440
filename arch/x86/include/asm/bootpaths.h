/* SPDX-License-Identifier: GPL-2.0 */
/* Boot path numbers shared by the entry assembly and enum boot_path. */
#ifndef ASM_BOOTPATHS_H
#define ASM_BOOTPATHS_H

#define BOOT_PATH_LINUX16	0
#define BOOT_PATH_LINUX32	1
#define BOOT_PATH_PVH		2
#define BOOT_PATH_XEN_PV	3
#define BOOT_PATH_EFI		4

#endif
