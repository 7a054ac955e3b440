// SPDX-License-Identifier: GPL-2.0
/*
 * 8250/16550 UART on COM1 as the console, 115200 8n1, through the port I/O
 * hooks. The scratch register probe keeps us off ports that answer with
 * all-ones (no UART, or a port the hypervisor keeps for itself, as Xen does
 * for COM1 under PVH dom0). With the FIFO on, one LSR poll per 16 bytes.
 * Before the machine stops, flush waits until the transmitter is empty,
 * FIFO and shift register both, so the last line is not cut off.
 */
#include <proteus/console.h>
#include <asm/pv/ops.h>

#define COM1		0x3f8
#define UART_THR	0
#define UART_IER	1
#define UART_DLL	0
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7
#define LSR_THRE	0x20	/* transmit FIFO empty */
#define LSR_TEMT	0x40	/* and the shift register too */
#define FIFO_DEPTH	16
#define THRE_SPINS	100000

static unsigned int fifo_room;
static bool uart_dead;
static bool uart_present;

static bool uart_probe(u16 base)
{
	outb(0x5a, base + UART_SCR);
	if (inb(base + UART_SCR) != 0x5a)
		return false;
	outb(0xa5, base + UART_SCR);
	return inb(base + UART_SCR) == 0xa5;
}

static void uart_putc(char c)
{
	unsigned int spins = 0;

	if (!fifo_room) {
		while (!(inb(COM1 + UART_LSR) & LSR_THRE)) {
			if (++spins == THRE_SPINS) {
				/* A stuck transmitter must not hang the kernel. */
				uart_dead = true;
				return;
			}
		}
		fifo_room = FIFO_DEPTH;
	}
	outb((u8)c, COM1 + UART_THR);
	fifo_room--;
}

static void uart_write(const char *s, size_t n)
{
	while (n-- && !uart_dead) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s++);
	}
}

/*
 * A full FIFO takes about 1.5 ms to send at 115200 baud; the poll bound
 * is far above that and still ends should the UART stop answering.
 */
static bool uart_flush(void)
{
	const u8 empty = LSR_THRE | LSR_TEMT;
	unsigned int spins;

	for (spins = 0; !uart_dead && spins < THRE_SPINS; spins++)
		if ((inb(COM1 + UART_LSR) & empty) == empty)
			return true;
	return false;
}

static struct console uart_console = {
	.name = "ttyS0",
	.write = uart_write,
	.flush = uart_flush,
};

bool serial8250_present(void)
{
	return uart_present;
}

void serial8250_init(void)
{
	if (!uart_probe(COM1))
		return;
	outb(0x00, COM1 + UART_IER);
	outb(0x80, COM1 + UART_LCR);	/* DLAB: divisor 1 = 115200 baud */
	outb(0x01, COM1 + UART_DLL);
	outb(0x00, COM1 + UART_DLM);
	outb(0x03, COM1 + UART_LCR);	/* 8n1 */
	outb(0xc7, COM1 + UART_FCR);	/* FIFO on and cleared */
	outb(0x03, COM1 + UART_MCR);	/* DTR, RTS */
	uart_present = true;
	register_console(&uart_console);
}
