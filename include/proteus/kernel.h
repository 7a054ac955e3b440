/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROTEUS_KERNEL_H
#define PROTEUS_KERNEL_H

#include <proteus/types.h>
#include <proteus/compiler.h>

/* Common C entry once boot_info is filled and exceptions are handled. */
void start_kernel(void) __noreturn;

/* TSC: calibrated frequency and conversions. */
void tsc_init(void);
u64 tsc_khz(void);
u64 tsc_to_ns(u64 ticks);

/* Run the selected selftests; returns the guest exit status. */
int selftests_run(void);

#endif
