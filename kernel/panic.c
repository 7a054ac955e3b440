// SPDX-License-Identifier: GPL-2.0
/*
 * Stopping the machine. Every stop prints one line the runner reads,
 * "proteus: poweroff status=N", waits until the consoles have sent it (a
 * UART still shifting out the line when the machine stops loses it), then
 * asks the backend to power off.
 */
#include <proteus/console.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <asm/pv/ops.h>

void machine_power_off(int status)
{
	printk("proteus: poweroff status=%d\n", status);
	console_flush();
	pv_power_off(status);
}

void panic(const char *fmt, ...)
{
	static bool in_panic;
	va_list ap;

	irq_disable();
	if (in_panic)
		pv_power_off(EXIT_PANIC);
	in_panic = true;
	printk(KERN_EMERG "Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "\n");
	machine_power_off(EXIT_PANIC);
}
