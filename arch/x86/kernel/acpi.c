// SPDX-License-Identifier: GPL-2.0
/*
 * Finding ACPI tables: the RSDP from boot_info (the boot protocol's, or the
 * legacy search the PC entry paths run while low memory is still mapped:
 * first KiB of the EBDA, then 0xE0000-0xFFFFF on 16-byte boundaries,
 * ACPI 6.4 section 5.2.5.1), then the XSDT or RSDT. Every
 * table read is bounded by its length and checked by its checksum: firmware
 * tables are input like any other.
 */
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/printk.h>
#include <proteus/string.h>

#define ACPI_MAX_TABLE_LEN	(1U << 20)

static bool checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static const struct acpi_rsdp *rsdp_at(phys_addr_t pa)
{
	const struct acpi_rsdp *r = (const void *)(uintptr_t)pa;

	if (memcmp(r->signature, "RSD PTR ", 8) || !checksum_ok(r, 20))
		return NULL;
	return r;
}

/* One 8-byte compare per 16-byte step keeps the legacy search cheap. */
static phys_addr_t rsdp_scan(phys_addr_t start, u32 len)
{
	u64 sig;
	phys_addr_t pa;

	memcpy(&sig, "RSD PTR ", 8);
	for (pa = start; pa + sizeof(struct acpi_rsdp) <= start + len; pa += 16)
		if (*(const volatile u64 *)(uintptr_t)pa == sig && rsdp_at(pa))
			return pa;
	return 0;
}

phys_addr_t acpi_find_rsdp_legacy(void)
{
	const volatile u16 *ebda_seg = (const volatile u16 *)0x40e;
	phys_addr_t ebda, pa = 0;

	OPTIMIZER_HIDE_VAR(ebda_seg);
	ebda = (phys_addr_t)*ebda_seg << 4;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		pa = rsdp_scan(ebda, 1024);
	if (!pa)
		pa = rsdp_scan(0xe0000, 0x20000);
	return pa;
}

static const struct acpi_rsdp *find_rsdp(void)
{
	static const struct acpi_rsdp *cached;

	if (cached || !boot_info.acpi_rsdp)
		return cached;
	cached = rsdp_at(boot_info.acpi_rsdp);
	if (!cached)
		pr_warn("acpi: no valid RSDP at %#llx\n",
			(unsigned long long)boot_info.acpi_rsdp);
	return cached;
}

static const struct acpi_table_header *table_at(phys_addr_t pa)
{
	const struct acpi_table_header *h = (const void *)(uintptr_t)pa;

	if (!pa || pa >= (1ULL << 32))
		return NULL;
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_LEN ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

const struct acpi_table_header *acpi_find_table(const char sig[4])
{
	const struct acpi_rsdp *rsdp = find_rsdp();
	const struct acpi_table_header *root;
	bool xsdt;
	u32 i, n, esize;

	if (!rsdp)
		return NULL;
	xsdt = rsdp->revision >= 2 && rsdp->xsdt_address;
	root = table_at(xsdt ? rsdp->xsdt_address : rsdp->rsdt_address);
	if (!root)
		return NULL;
	esize = xsdt ? 8 : 4;
	n = (root->length - sizeof(*root)) / esize;
	for (i = 0; i < n; i++) {
		const u8 *e = (const u8 *)(root + 1) + i * esize;
		const struct acpi_table_header *t;
		u64 pa = 0;

		memcpy(&pa, e, esize);
		t = table_at(pa);
		if (t && !memcmp(t->signature, sig, 4))
			return t;
	}
	return NULL;
}

unsigned int acpi_for_each_cpu(acpi_cpu_fn fn, void *data)
{
	const struct acpi_table_header *t = acpi_find_table("APIC");

	return t ? acpi_madt_for_each_cpu(t, fn, data) : 0;
}

unsigned int acpi_count_cpus(void)
{
	return acpi_for_each_cpu(NULL, NULL);
}
