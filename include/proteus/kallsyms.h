/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROTEUS_KALLSYMS_H
#define PROTEUS_KALLSYMS_H

#include <proteus/types.h>

/* Name of the text symbol containing addr, and the offset into it. */
const char *kallsyms_lookup(u64 addr, u64 *offset);

#endif
