// SPDX-License-Identifier: GPL-2.0
/*
 * Finding ACPI tables: the RSDP from boot_info (the boot protocol's, or the
 * legacy search the PC entry paths run while low memory is still mapped:
 * first KiB of the EBDA, then 0xE0000-0xFFFFF on 16-byte boundaries,
 * ACPI 6.4 section 5.2.5.1; else the EFI system table's configuration
 * tables), then the XSDT or RSDT. Every table read is bounded by its
 * length and checked by its checksum: firmware tables are input like any
 * other, and a bad one is named in a warning and ignored.
 */
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/efi.h>
#include <proteus/printk.h>
#include <proteus/string.h>

static const struct acpi_rsdp *rsdp_at(phys_addr_t pa)
{
	const struct acpi_rsdp *r = (const void *)(uintptr_t)pa;

	return acpi_rsdp_problem(r, 20) ? NULL : r;
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

/*
 * Bytes readable at pa through the direct map: the run of memory map
 * regions (of any type: firmware tables live in reserved and ACPI ones)
 * that covers pa, below 4 GiB where the boot map reaches.
 */
u64 acpi_phys_avail(u64 pa)
{
	const struct memmap *m = &boot_info.memmap;
	u64 end = pa;
	bool grew = true;
	u32 i;

	while (grew && end < (1ULL << 32)) {
		grew = false;
		for (i = 0; i < m->nr; i++)
			if (m->r[i].base <= end && end < m->r[i].base + m->r[i].size) {
				end = m->r[i].base + m->r[i].size;
				grew = true;
			}
	}
	if (end > (1ULL << 32))
		end = 1ULL << 32;
	return end - pa;
}

static const char *const source_names[] = {
	[ACPI_RSDP_NONE] = "none",
	[ACPI_RSDP_BOOTPARAMS] = "bootparams",
	[ACPI_RSDP_PVH] = "pvh",
	[ACPI_RSDP_BIOS_SCAN] = "bios-scan",
	[ACPI_RSDP_EFI] = "efi",
};

const char *acpi_rsdp_source_name(enum acpi_rsdp_source source)
{
	if ((unsigned int)source >= ARRAY_SIZE(source_names))
		return "unknown";
	return source_names[source];
}

static phys_addr_t rsdp_from_boot_info(void)
{
	phys_addr_t pa = boot_info.acpi_rsdp;
	const char *problem;

	if (!pa)
		return 0;
	problem = acpi_rsdp_problem((const void *)(uintptr_t)pa,
				    sizeof(struct acpi_rsdp));
	if (!problem)
		return pa;
	pr_warn("acpi: RSDP at %#llx from %s: %s; ignored\n",
		(unsigned long long)pa,
		acpi_rsdp_source_name(boot_info.acpi_rsdp_source), problem);
	return 0;
}

static phys_addr_t rsdp_from_efi(void)
{
	const char *why;
	u64 pa;

	if (!boot_info.efi_systab)
		return 0;
	pa = efi_find_acpi_rsdp(boot_info.efi_systab, acpi_phys_avail, &why);
	if (!pa)
		pr_warn("acpi: EFI system table at %#llx: %s; no RSDP from EFI\n",
			(unsigned long long)boot_info.efi_systab, why);
	return pa;
}

static struct {
	bool resolved;
	phys_addr_t pa;
	enum acpi_rsdp_source source;
} rsdp;

phys_addr_t acpi_rsdp_address(enum acpi_rsdp_source *source)
{
	if (!rsdp.resolved) {
		rsdp.resolved = true;
		rsdp.pa = rsdp_from_boot_info();
		rsdp.source = boot_info.acpi_rsdp_source;
		if (!rsdp.pa) {
			rsdp.pa = rsdp_from_efi();
			rsdp.source = ACPI_RSDP_EFI;
		}
		if (!rsdp.pa)
			rsdp.source = ACPI_RSDP_NONE;
		else
			pr_info("acpi: RSDP at %#llx from %s\n",
				(unsigned long long)rsdp.pa,
				acpi_rsdp_source_name(rsdp.source));
	}
	if (source)
		*source = rsdp.source;
	return rsdp.pa;
}

/* A table the root points to, checked; a bad one is named and ignored. */
const struct acpi_table_header *acpi_table_at(phys_addr_t pa, const char *what)
{
	const struct acpi_table_header *h = (const void *)(uintptr_t)pa;
	const char *problem;
	char sig[5] = "????";

	if (!pa || pa >= (1ULL << 32)) {
		pr_warn("acpi: %s at %#llx: not below 4 GiB; ignored\n",
			what, (unsigned long long)pa);
		return NULL;
	}
	problem = acpi_sdt_problem(h, ACPI_MAX_TABLE_LEN);
	if (!problem)
		return h;
	if (!what)
		memcpy(sig, h->signature, 4);
	pr_warn("acpi: %s table at %#llx: %s; ignored\n", what ? what : sig,
		(unsigned long long)pa, problem);
	return NULL;
}

#define ACPI_TABLES_MAX	64

/* The root's tables that passed their checks, found and warned about once. */
static struct {
	bool walked;
	u32 nr;
	const struct acpi_table_header *t[ACPI_TABLES_MAX];
} tables;

static void walk_root(void)
{
	const struct acpi_rsdp *r = (const void *)(uintptr_t)acpi_rsdp_address(NULL);
	const struct acpi_table_header *root;
	bool xsdt;
	u32 i, n, esize;

	if (!r)
		return;
	xsdt = r->revision >= 2 && r->xsdt_address;
	root = acpi_table_at(xsdt ? r->xsdt_address : r->rsdt_address,
			xsdt ? "XSDT" : "RSDT");
	if (!root)
		return;
	esize = xsdt ? 8 : 4;
	n = (root->length - sizeof(*root)) / esize;
	for (i = 0; i < n; i++) {
		const u8 *e = (const u8 *)(root + 1) + i * esize;
		const struct acpi_table_header *t;
		u64 pa = 0;

		memcpy(&pa, e, esize);
		t = acpi_table_at(pa, NULL);
		if (!t)
			continue;
		if (tables.nr == ACPI_TABLES_MAX) {
			pr_warn("acpi: more than %d tables; ignoring the rest\n",
				ACPI_TABLES_MAX);
			return;
		}
		tables.t[tables.nr++] = t;
	}
}

const struct acpi_table_header *acpi_find_table(const char sig[4])
{
	u32 i;

	if (!tables.walked) {
		tables.walked = true;
		walk_root();
	}
	for (i = 0; i < tables.nr; i++)
		if (!memcmp(tables.t[i]->signature, sig, 4))
			return tables.t[i];
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
