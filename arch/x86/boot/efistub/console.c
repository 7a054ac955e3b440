// SPDX-License-Identifier: GPL-2.0
/*
 * Messages through the firmware's ConOut (UEFI 12.4 OutputString takes
 * UCS-2): the only console the stub has before ExitBootServices. OVMF
 * mirrors it on the serial port, where the runner reads it.
 */
#include "efistub.h"

/* ASCII to UCS-2 in chunks, "\n" as "\r\n". */
void efi_puts(const char *s)
{
	struct efi_simple_text_output *out;
	u16 buf[64];
	unsigned int n = 0;

	if (!efi_st || !efi_st->con_out)
		return;
	out = (void *)(uintptr_t)efi_st->con_out;
	for (; *s; s++) {
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = (u8)*s;
		if (n >= ARRAY_SIZE(buf) - 2) {
			buf[n] = 0;
			out->output_string(out, buf);
			n = 0;
		}
	}
	buf[n] = 0;
	out->output_string(out, buf);
}

/* "EFI stub: <what> (status 0x...)"; returns status for the firmware. */
efi_status_t efi_fail(const char *what, efi_status_t status)
{
	static const char hex[] = "0123456789abcdef";
	char num[17];
	int i;

	for (i = 15; i >= 0; i--)
		num[15 - i] = hex[(status >> (4 * i)) & 0xf];
	num[16] = '\0';
	efi_puts("EFI stub: ");
	efi_puts(what);
	efi_puts(" (status 0x");
	efi_puts(num);
	efi_puts(")\n");
	return status;
}
