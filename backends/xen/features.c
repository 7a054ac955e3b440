// SPDX-License-Identifier: GPL-2.0
/*
 * What Xen says about itself, asked once at boot and printed as
 *   xen: mode=<pv|pvh> version=<major>.<minor> features=<names>
 * XENVER_version packs the version as major << 16 | minor;
 * XENVER_get_features gives submap 0 of the feature bits (xen/features.h,
 * the only submap Xen 4.17 defines).
 */
#include <proteus/printk.h>
#include <xen/features.h>
#include <xen/version.h>
#include "xen.h"

struct xen_info xen_info;

static const char *const feature_names[] = {
	[XENFEAT_writable_page_tables] = "writable_page_tables",
	[XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
	[XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
	[XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
	[XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
	[XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
	[XENFEAT_highmem_assist] = "highmem_assist",
	[XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
	[XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
	[XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
	[XENFEAT_hvm_pirqs] = "hvm_pirqs",
	[XENFEAT_dom0] = "dom0",
	[XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
	[XENFEAT_ARM_SMCCC_supported] = "ARM_SMCCC_supported",
	[XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
	[XENFEAT_not_direct_mapped] = "not_direct_mapped",
	[XENFEAT_direct_mapped] = "direct_mapped",
};

long xen_query_version(void)
{
	return xen_hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
}

long xen_query_features(u32 *submap)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	long rc = xen_hypercall2(__HYPERVISOR_xen_version, XENVER_get_features,
				 (u64)(uintptr_t)&fi);

	*submap = fi.submap;
	return rc;
}

/* The set bits by name, '|'-separated as in the FEATURES note; unknown ones as bitN. */
static void format_features(char *buf, size_t size, u32 submap)
{
	size_t n = 0;
	unsigned int bit;

	buf[0] = '\0';
	for (bit = 0; bit < 32 && n < size; bit++) {
		if (!(submap & (1U << bit)))
			continue;
		if (bit < ARRAY_SIZE(feature_names) && feature_names[bit])
			n += snprintf(buf + n, size - n, "%s%s", n ? "|" : "",
				      feature_names[bit]);
		else
			n += snprintf(buf + n, size - n, "%sbit%u", n ? "|" : "", bit);
	}
}

void xen_report(void)
{
	char names[320];
	long version = xen_query_version();

	if (version < 0 || xen_query_features(&xen_info.features) < 0)
		pr_err("xen: XENVER_version/get_features failed (%ld)\n", version);
	/* The mode as Xen sees it: only an HVM-type (PVH) guest is translated. */
	xen_info.pvh = xen_info.features & (1U << XENFEAT_auto_translated_physmap);
	xen_info.up = true;
	xen_info.major = (u32)version >> 16;
	xen_info.minor = (u32)version & 0xffff;
	format_features(names, sizeof(names), xen_info.features);
	pr_info("xen: mode=%s version=%u.%u features=%s\n",
		xen_info.pvh ? "pvh" : "pv", xen_info.major, xen_info.minor,
		names[0] ? names : "none");
}
