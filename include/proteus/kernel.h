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
/* False when tsc_khz() is the 1 GHz stand-in: nothing measured the TSC. */
bool tsc_calibrated(void);
u64 tsc_to_ns(u64 ticks);

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/*
 * A clock running at khz (1 to 2^44 kHz): its cycles in ns nanoseconds,
 * rounded up; the nanoseconds of that many cycles, rounded down. Exact
 * over the whole 64-bit range; a result past 2^64 saturates to ~0.
 */
u64 ns_to_cycles(u64 ns, u64 khz);
u64 cycles_to_ns(u64 cycles, u64 khz);
/* The TSC value ns from now; whether the TSC has reached a deadline. */
u64 tsc_deadline(u64 ns);
bool tsc_passed(u64 deadline);
/* Spin for ns. */
void tsc_delay(u64 ns);

/* Run the selected selftests; returns the guest exit status. */
int selftests_run(void);

#endif
