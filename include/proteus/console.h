/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROTEUS_CONSOLE_H
#define PROTEUS_CONSOLE_H

#include <proteus/types.h>

struct console {
	const char *name;
	void (*write)(const char *s, size_t n);
	struct console *next;
};

/* Add a console; it first receives everything logged so far. */
void register_console(struct console *c);

void serial8250_init(void);

#endif
