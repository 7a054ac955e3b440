// SPDX-License-Identifier: GPL-2.0
/*
 * Native power off, each way tried in turn until one stops the machine:
 *
 * 1. QEMU's isa-debug-exit (port 0x501): the emulator exits with status
 *    (value << 1) | 1, which is how the runner learns the guest's status.
 *    Where there is no such device the write does nothing.
 * 2. ACPI S5 (soft off): the \_S5 SLP_TYP values with SLP_EN written to
 *    the PM1a and PM1b control registers (ACPI 6.4 4.8.3.2.1, 16.1.7), or
 *    on hardware-reduced ACPI to the sleep control register (4.8.3.7).
 * 3. A reset, for a machine that would not power off: the FADT's reset
 *    register, then the 8042 keyboard controller's pulse-reset command.
 *    QEMU run with -no-reboot exits on a reset too.
 * 4. Halt with interrupts off, after saying so.
 *
 * What the firmware says is decoded once at boot and reported in one line;
 * at power-off (a panic, maybe) only registers are written.
 */
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/console.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/string.h>

#define ISA_DEBUG_EXIT_PORT	0x501
#define I8042_STATUS_PORT	0x64
#define I8042_INPUT_FULL	(1 << 1)
#define I8042_PULSE_RESET	0xfe
/* How long each way gets before the next is tried. */
#define POWER_WAIT_NS		(500 * NSEC_PER_MSEC)

static const struct acpi_power *acpi;

/* A byte-wide ACPI register (a GAS in I/O or memory space), mapped at boot. */
struct acpi_reg {
	const struct acpi_gas *gas;	/* NULL: not usable */
	volatile u8 *mmio;
};

static struct acpi_reg reset_reg, sleep_ctl;

static void reg_init(struct acpi_reg *r, const struct acpi_gas *g, const char *what)
{
	if (g->space_id == ACPI_GAS_MEMORY) {
		r->mmio = map_mmio(g->address, 1);
		if (!r->mmio) {
			pr_warn("power: cannot map the %s at %#llx\n", what,
				(unsigned long long)g->address);
			return;
		}
	}
	r->gas = g;
}

static void reg_write(const struct acpi_reg *r, u8 val)
{
	if (r->mmio)
		*r->mmio = val;
	else
		outb(val, (u16)r->gas->address);
}

static int reg_name(char *buf, size_t size, const struct acpi_reg *r)
{
	return snprintf(buf, size, "%s:%#llx", r->mmio ? "mem" : "io",
			(unsigned long long)r->gas->address);
}

static void describe_s5(char *buf, size_t size)
{
	int n;

	if (acpi->pm1a_cnt) {
		n = snprintf(buf, size, "acpi-s5 pm1a=%#x", acpi->pm1a_cnt);
		if (acpi->pm1b_cnt)
			n += snprintf(buf + n, size - n, " pm1b=%#x", acpi->pm1b_cnt);
		snprintf(buf + n, size - n, " slp_typ=%u/%u sci_en=%u", acpi->slp_typa,
			 acpi->slp_typb, inw(acpi->pm1a_cnt) & ACPI_PM1_SCI_EN);
	} else if (sleep_ctl.gas) {
		n = snprintf(buf, size, "acpi-s5 sleep-ctl ");
		n += reg_name(buf + n, size - n, &sleep_ctl);
		snprintf(buf + n, size - n, " slp_typ=%u", acpi->slp_typa);
	}
}

void native_power_init(void)
{
	char s5[96] = "no acpi-s5", reset[64] = "";
	int n;

	acpi = acpi_power_init();
	if (!acpi) {
		pr_info("power: off via isa-debug-exit, no acpi-s5; reset via 8042; then halt\n");
		return;
	}
	if (acpi->sleep_ctl.address)
		reg_init(&sleep_ctl, &acpi->sleep_ctl, "sleep control register");
	if (acpi->reset_ok)
		reg_init(&reset_reg, &acpi->reset_reg, "reset register");
	describe_s5(s5, sizeof(s5));
	if (reset_reg.gas) {
		n = snprintf(reset, sizeof(reset), "reset-reg ");
		n += reg_name(reset + n, sizeof(reset) - n, &reset_reg);
		snprintf(reset + n, sizeof(reset) - n, "=%#04x, ", acpi->reset_value);
	}
	pr_info("power: off via isa-debug-exit, %s; reset via %s8042; then halt\n",
		s5, reset);
}

/*
 * With SCI_EN clear the chipset is in legacy mode, its power management
 * owned by the firmware's SMM code. Like Linux at boot, ask the firmware
 * to hand it over (ACPI_ENABLE to SMI_CMD, ACPI 6.4 4.8.2.1.1) and wait
 * for SCI_EN; where the firmware does not answer, write SLP_EN anyway.
 */
static void acpi_enable_mode(void)
{
	u64 end;

	if ((inw(acpi->pm1a_cnt) & ACPI_PM1_SCI_EN) || !acpi->smi_cmd)
		return;
	outb(acpi->acpi_enable, acpi->smi_cmd);
	end = tsc_deadline(POWER_WAIT_NS);
	while (!(inw(acpi->pm1a_cnt) & ACPI_PM1_SCI_EN) && !tsc_passed(end))
		cpu_relax();
}

/* SLP_TYP first, then SLP_EN with it, as ACPICA writes them. */
static void pm1_sleep(u16 port, u8 typ)
{
	u16 v = inw(port) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);

	v |= (u16)typ << ACPI_PM1_SLP_TYP_SHIFT;
	outw(v, port);
	outw(v | ACPI_PM1_SLP_EN, port);
}

static void acpi_s5(void)
{
	if (!acpi)
		return;
	if (acpi->pm1a_cnt) {
		acpi_enable_mode();
		/* PM1a last: where the blocks are split it may stop the machine. */
		if (acpi->pm1b_cnt)
			pm1_sleep(acpi->pm1b_cnt, acpi->slp_typb);
		pm1_sleep(acpi->pm1a_cnt, acpi->slp_typa);
	} else if (sleep_ctl.gas) {
		reg_write(&sleep_ctl, (u8)(acpi->slp_typa << ACPI_SLEEP_TYP_SHIFT) |
				      ACPI_SLEEP_EN);
	} else {
		return;
	}
	tsc_delay(POWER_WAIT_NS);
	pr_emerg("power: ACPI S5 did not power off; resetting\n");
	console_flush();
}

static void acpi_reset(void)
{
	if (!reset_reg.gas)
		return;
	reg_write(&reset_reg, acpi->reset_value);
	tsc_delay(POWER_WAIT_NS);
}

static void i8042_reset(void)
{
	u64 end = tsc_deadline(POWER_WAIT_NS);

	while ((inb(I8042_STATUS_PORT) & I8042_INPUT_FULL) && !tsc_passed(end))
		cpu_relax();
	outb(I8042_PULSE_RESET, I8042_STATUS_PORT);
	tsc_delay(POWER_WAIT_NS);
}

void native_power_off(int status)
{
	outb((u8)status, ISA_DEBUG_EXIT_PORT);
	acpi_s5();
	acpi_reset();
	i8042_reset();
	pr_emerg("proteus: no way to power off or reset; halted\n");
	for (;;) {
		irq_disable();
		halt();
	}
}
