/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the boot-time patcher, runtime re-patching and selftests. */
#ifndef ARCH_X86_PARAVIRT_H
#define ARCH_X86_PARAVIRT_H

#include <asm/pv/patch.h>
#include <asm/pv/paravirt.h>

void **pv_op_slot(unsigned int op);
void pv_set_site_kind(unsigned int i, enum pv_site_kind k);
bool pv_site_bad(unsigned int i);

#endif
