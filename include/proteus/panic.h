/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROTEUS_PANIC_H
#define PROTEUS_PANIC_H

#include <proteus/compiler.h>

/* Guest exit statuses the runner understands. */
#define EXIT_OK		0
#define EXIT_TESTS_FAILED 1
#define EXIT_PANIC	2

__printf(1, 2) void panic(const char *fmt, ...) __noreturn;
void machine_power_off(int status) __noreturn;

#endif
