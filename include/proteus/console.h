/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROTEUS_CONSOLE_H
#define PROTEUS_CONSOLE_H

#include <proteus/types.h>

/*
 * @flush, optional: wait, for a bounded time, until everything written has
 * left the device; false if it did not (or the device stopped answering).
 */
struct console {
	const char *name;
	void (*write)(const char *s, size_t n);
	bool (*flush)(void);
	struct console *next;
};

/* Add a console; it first receives everything logged so far. */
void register_console(struct console *c);

/* Drain every console that can be drained; false if one could not be. */
bool console_flush(void);

void serial8250_init(void);
/* Whether COM1 answered the probe and is a console. */
bool serial8250_present(void);

#endif
