// SPDX-License-Identifier: GPL-2.0
/*
 * Consoles drain before the machine stops: after a line is printed,
 * console_flush() returns only once the UART's transmitter (FIFO and
 * shift register) is empty, as its line status register shows.
 */
#include <asm/hypervisor.h>
#include <asm/pv/ops.h>
#include <proteus/console.h>
#include <proteus/selftest.h>

#define COM1_LSR	(0x3f8 + 5)
#define LSR_EMPTY	0x60	/* THRE and TEMT */

SELFTEST(console, uart_drained_by_flush)
{
	if (!serial8250_present() && hypervisor.type == HYPERVISOR_XEN)
		return skip("Xen keeps COM1 for its own console; ours is HYPERVISOR_console_io");
	if (!serial8250_present())
		return skip("no 8250 UART console here");
	printk("# console: this line must be sent before flush returns\n");
	EXPECT(console_flush());
	EXPECT_EQ(inb(COM1_LSR) & LSR_EMPTY, LSR_EMPTY);
	return TEST_PASS;
}
