// SPDX-License-Identifier: GPL-2.0
/*
 * The common kernel start: every entry path arrives here with boot_info
 * filled and exceptions handled. Order matters: backend before consoles
 * (it knows which exist), memory before anything that allocates, the TSC
 * before "ready", selftests last.
 */
#include <asm/apic.h>
#include <asm/hypervisor.h>
#include <asm/i8259.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <proteus/bench.h>
#include <proteus/bootinfo.h>
#include <proteus/cmdline.h>
#include <proteus/console.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/pci.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>

static char cmdline_work[CMDLINE_MAX];

static void parse_cmdline(void)
{
	if (boot_info.cmdline_truncated)
		pr_warn("cmdline: %u bytes given, only the first %u kept\n",
			boot_info.cmdline_len, CMDLINE_MAX - 1);
	strlcpy(cmdline_work, boot_info.cmdline, sizeof(cmdline_work));
	cmdline_parse_kernel(cmdline_work);
}

void start_kernel(void)
{
	const struct pv_backend *b;
	unsigned int cpus;
	int status;

	parse_cmdline();
	hypervisor_detect();
	b = pv_select_backend();
	if (boot_info.console_hints & CONSOLE_HINT_UART)
		serial8250_init();
	pr_info("proteus: backend %s, command line: %s\n", b->name, boot_info.cmdline);
	mm_init();
	percpu_init_boot_cpu();
	pv_init.cpu_init(0);
	tss_init();
	tsc_init();
	/*
	 * Interrupts: vectors 32-255, the 8259s out of the way, this CPU's
	 * local APIC, the IOAPICs.
	 */
	irq_init();
	i8259_init();
	pv_init.apic_init();
	ioapic_init();
	pv_init.power_init();
	pv_patch_all(b->name);
	pv_seal_ops();
	pv_init.late_init();
	cpus = pv_init.smp_boot();
	pci_init();
	virtio_init();
	printk("proteus: boot=%s hypervisor=%s cpus=%u mem=%lluMiB\n",
	       boot_path_name(boot_info.path), hypervisor_name(), cpus,
	       (unsigned long long)(mm_total_ram() >> 20));
	printk("proteus: ready in %llu us\n",
	       (unsigned long long)(tsc_to_ns(rdtsc() - boot_info.entry_tsc) / 1000));
	status = selftests_run();
	benchmarks_run();
	machine_power_off(status);
}
