// SPDX-License-Identifier: GPL-2.0
/*
 * Validating ACPI structures as firmware left them (ACPI 6.4 5.2.5.3 for
 * the RSDP, 5.2.6 for the table header): pure functions over bytes, so
 * host tests run them over crafted tables. Every read stays within avail.
 */
#include <proteus/acpi.h>
#include <proteus/string.h>

bool acpi_checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

#define ACPI_RSDP_V1_LEN	20

const char *acpi_rsdp_problem(const void *p, u64 avail)
{
	const struct acpi_rsdp *r = p;

	if (avail < ACPI_RSDP_V1_LEN)
		return "truncated";
	if (memcmp(r->signature, "RSD PTR ", 8))
		return "bad signature";
	if (!acpi_checksum_ok(r, ACPI_RSDP_V1_LEN))
		return "bad checksum";
	if (r->revision < 2)
		return NULL;
	if (avail < sizeof(*r))
		return "truncated";
	if (r->length < sizeof(*r) || r->length > avail)
		return "bad length";
	if (!acpi_checksum_ok(r, r->length))
		return "bad extended checksum";
	return NULL;
}

const char *acpi_sdt_problem(const void *p, u64 avail)
{
	const struct acpi_table_header *h = p;

	if (avail < sizeof(*h))
		return "truncated";
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE_LEN)
		return "bad length";
	if (h->length > avail)
		return "truncated";
	if (!acpi_checksum_ok(h, h->length))
		return "bad checksum";
	return NULL;
}
