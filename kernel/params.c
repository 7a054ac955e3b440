// SPDX-License-Identifier: GPL-2.0
/*
 * The registered parameters live in the .kparams section, whose bounds the
 * linker script provides. Kept apart from lib/cmdline.c so that host unit
 * tests can link the parser without that section.
 */
#include <proteus/cmdline.h>

extern const struct kernel_param __start_kparams[], __stop_kparams[];

int cmdline_parse_kernel(char *buf)
{
	return cmdline_parse(buf, __start_kparams, __stop_kparams);
}
