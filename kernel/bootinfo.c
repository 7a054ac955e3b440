// SPDX-License-Identifier: GPL-2.0
/* The normalized boot information and the helpers protocol readers share. */
#include <proteus/bootinfo.h>
#include <proteus/string.h>
#include <proteus/printk.h>

struct boot_info boot_info;

const char *boot_path_name(enum boot_path p)
{
	switch (p) {
	case BOOT_LINUX16:
		return "linux16";
	case BOOT_LINUX32:
		return "linux32";
	case BOOT_PVH:
		return "pvh";
	case BOOT_XEN_PV:
		return "xen-pv";
	case BOOT_EFI:
		return "efi";
	}
	return "unknown";
}

/*
 * Keep at most CMDLINE_MAX - 1 bytes. len is what the protocol says the
 * line holds (it stops at the first NUL too); the excess is only counted,
 * and start_kernel() warns about it once a console exists.
 */
void bootinfo_set_cmdline(const char *src, u64 len)
{
	u64 n;

	if (!src) {
		boot_info.cmdline[0] = '\0';
		return;
	}
	n = strnlen(src, len);
	boot_info.cmdline_len = n > 0xffffffffULL ? 0xffffffffU : (u32)n;
	boot_info.cmdline_truncated = n > CMDLINE_MAX - 1;
	if (n > CMDLINE_MAX - 1)
		n = CMDLINE_MAX - 1;
	memcpy(boot_info.cmdline, src, n);
	boot_info.cmdline[n] = '\0';
}

void bootinfo_add_module(phys_addr_t base, u64 size)
{
	if (!size)
		return;
	if (boot_info.nr_modules == BOOT_MODULES_MAX) {
		pr_warn("boot: more than %d modules, ignoring the one at %#llx\n",
			BOOT_MODULES_MAX, (unsigned long long)base);
		return;
	}
	boot_info.modules[boot_info.nr_modules++] = (struct boot_module){ base, size };
	bootinfo_reserve(base, size);
}

void bootinfo_reserve(phys_addr_t base, u64 size)
{
	if (!size)
		return;
	if (boot_info.nr_reserved == ARRAY_SIZE(boot_info.reserved)) {
		pr_warn("boot: too many boot data ranges, cannot protect %#llx\n",
			(unsigned long long)base);
		return;
	}
	boot_info.reserved[boot_info.nr_reserved++] =
		(struct mem_region){ base, size, MEM_RESERVED };
}

bool bootinfo_release(phys_addr_t base, u64 size)
{
	u32 i;

	for (i = 0; i < boot_info.nr_reserved; i++) {
		if (boot_info.reserved[i].base != base || boot_info.reserved[i].size != size)
			continue;
		boot_info.reserved[i] = boot_info.reserved[--boot_info.nr_reserved];
		return true;
	}
	return false;
}
