// SPDX-License-Identifier: GPL-2.0
/*
 * The native backend: always usable, lowest priority. The ops table is
 * native from the start, so there is nothing to install.
 */
#include <asm/pv/ops.h>

static bool native_detect(void)
{
	return true;
}

PV_BACKEND(native_backend) = {
	.name = "native",
	.priority = 0,
	.detect = native_detect,
};
