// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the other CPUs of a PC (Intel SDM vol. 3A, "Multiple-Processor
 * Management", MP initialization) and the native spinlock wait.
 *
 * The ACPI MADT lists the processors by local APIC ID; each enabled one
 * other than us becomes CPU 1, 2, ... in table order. All APs start
 * together, with the SDM's sequence and delays: INIT to each, 10 ms, a
 * start-up IPI (SIPI) to each, up to 200 us for each to show up, a second
 * SIPI to those that did not. The delays are paid once however many CPUs
 * there are; the 10 ms dominates (10 million instructions under
 * qemu-icount). Then each AP has a bounded time to come online; one that
 * does not is reported and left out, never waited for forever, and is
 * parked if it turns up later.
 *
 * An AP enters at the trampoline (trampoline.S), takes one of the stacks
 * handed out here, finds its CPU number by its APIC ID, loads its own GDT
 * and TSS and the shared IDT, sets its GS base, brings up its local APIC
 * and idles with interrupts on, serving IPIs. It runs only code that the
 * boot-time patcher has already patched.
 */
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/layout.h>
#include <asm/msr-index.h>
#include <asm/percpu.h>
#include <asm/pv/init.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>

#define LOW_MEM			0x100000ULL
#define INIT_DELAY_US		10000
#define SIPI_DELAY_US		200
/*
 * Generous: a loaded host with more vCPUs than cores, running them in
 * KVM's instruction emulator, can keep an AP off its CPU for seconds.
 * Only a CPU that never comes costs the whole wait.
 */
#define ONLINE_TIMEOUT_US	10000000
#define AP_STACK_ORDER		2
#define LOCK_WAIT_LAPS		1024

_Static_assert((PAGE_SIZE << AP_STACK_ORDER) == BOOT_STACK_SIZE,
	       "an AP's stack is as big as the boot CPU's");

enum ap_state {
	AP_NOT_STARTED,
	AP_STARTING,		/* INIT and SIPI on their way */
	AP_ARRIVED,		/* running its C code */
	AP_ONLINE,		/* ready for IPIs */
	AP_ABANDONED,		/* too late: parks itself if it ever arrives */
};

/* Read by trampoline.S, some with paging off: 32-bit values, below 4 GiB. */
u32 smp_ap_cr0, smp_ap_cr3, smp_ap_efer, smp_ap_nr_stacks, smp_ap_next_stack;
u64 smp_ap_stacks[MAX_CPUS];

extern const u8 smp_trampoline[], smp_trampoline_gdtr[], smp_trampoline_end[];
extern const struct desc_ptr boot_gdt_desc;

static unsigned int nr_cpus;	/* the boot CPU and the APs we start */
static u64 bsp_cr4;

void ap_start(u64 stack_top) __noreturn;

/* A processor the MADT lists; the boot CPU is already CPU 0. */
static void add_cpu(const struct acpi_cpu *c, void *unused)
{
	u32 apic_id = c->apic_id;
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpus; cpu++)
		if (per_cpu(cpu)->apic_id == apic_id)
			return;		/* the boot CPU, or listed twice */
	if (nr_cpus == MAX_CPUS) {
		pr_warn("smp: more than %u CPUs; APIC ID %#x left out\n",
			MAX_CPUS, apic_id);
		return;
	}
	if (apic_id > 0xfe && !apic_x2apic()) {
		pr_warn("smp: APIC ID %#x needs x2APIC mode; left out\n", apic_id);
		return;
	}
	per_cpu(nr_cpus)->cpu = nr_cpus;
	per_cpu(nr_cpus)->apic_id = apic_id;
	nr_cpus++;
}

/* The boot CPU and the processors the MADT lists as present (madt.c). */
static void madt_enumerate(void)
{
	nr_cpus = 1;
	acpi_for_each_cpu(add_cpu, NULL);
}

static bool boot_data_at(u64 pa)
{
	u32 i;

	for (i = 0; i < boot_info.nr_reserved; i++) {
		const struct mem_region *r = &boot_info.reserved[i];

		if (pa < r->base + r->size && r->base < pa + PAGE_SIZE)
			return true;
	}
	return false;
}

static bool low_page_free(u64 pa)
{
	const struct memmap *m = &boot_info.memmap;
	u32 i;

	if (boot_data_at(pa))
		return false;
	for (i = 0; i < m->nr; i++)
		if (m->r[i].type == MEM_USABLE && m->r[i].base <= pa &&
		    pa + PAGE_SIZE <= m->r[i].base + m->r[i].size)
			return true;
	return false;
}

/*
 * The lowest usable page below 1 MiB past page 0 (the real-mode IVT and
 * BIOS data) that holds no boot data: 0x1000 on QEMU. The page allocator
 * never hands out low memory, so the page is ours to overwrite.
 */
static u64 trampoline_page(void)
{
	u64 pa;

	for (pa = PAGE_SIZE; pa < LOW_MEM; pa += PAGE_SIZE)
		if (low_page_free(pa))
			return pa;
	return 0;
}

/*
 * Copy the trampoline, and after it the boot GDT, which it loads: its own
 * copy, in writable memory, where the CPU may set accessed bits.
 */
static u64 trampoline_setup(void)
{
	u64 pa = trampoline_page(), len = smp_trampoline_end - smp_trampoline;
	u64 gdt = pa + ALIGN_UP(len, 8);
	u8 *page = phys_to_virt(pa);
	struct {
		u16 limit;
		u32 base;
	} __packed gdtr = { boot_gdt_desc.size, (u32)gdt };

	if (!pa) {
		pr_warn("smp: no free page below 1 MiB for the AP trampoline\n");
		return 0;
	}
	memcpy(page, smp_trampoline, len);
	memcpy(phys_to_virt(gdt), (const void *)(uintptr_t)boot_gdt_desc.address,
	       boot_gdt_desc.size + 1);
	memcpy(page + (smp_trampoline_gdtr - smp_trampoline), &gdtr, sizeof(gdtr));
	return pa;
}

static int ap_state(unsigned int cpu)
{
	return __atomic_load_n(&per_cpu(cpu)->boot_state, __ATOMIC_ACQUIRE);
}

static bool ap_advance(struct percpu *p, int from, int to)
{
	return __atomic_compare_exchange_n(&p->boot_state, &from, to, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Its kernel stack, its interrupt stacks and GDT; stacks go in slot order. */
static bool prepare_ap(struct percpu *p)
{
	phys_addr_t stack = alloc_pages(AP_STACK_ORDER);

	if (!stack || tss_setup(p)) {
		pr_warn("smp: out of memory for CPU %u's stacks; not starting it\n",
			p->cpu);
		if (stack)
			free_pages(stack, AP_STACK_ORDER);
		return false;
	}
	smp_ap_stacks[smp_ap_nr_stacks++] = stack + BOOT_STACK_SIZE;
	p->boot_state = AP_STARTING;
	return true;
}

static bool not_started(int state)
{
	return state == AP_STARTING;
}

static void send_to_starting(u32 icr_low)
{
	unsigned int cpu;

	for (cpu = 1; cpu < nr_cpus; cpu++)
		if (not_started(ap_state(cpu)))
			apic_write_icr(per_cpu(cpu)->apic_id, icr_low);
}

static bool not_online(int state)
{
	return state == AP_STARTING || state == AP_ARRIVED;
}

/* Wait up to us for no AP to be waiting(); true if none is. */
static bool wait_aps(bool (*waiting)(int state), u64 us)
{
	u64 end = tsc_deadline(us * NSEC_PER_USEC);
	unsigned int cpu;

	do {
		for (cpu = 1; cpu < nr_cpus && !waiting(ap_state(cpu)); cpu++)
			;
		if (cpu == nr_cpus)
			return true;
		cpu_relax();
	} while (!tsc_passed(end));
	return false;
}

/* A start-up IPI's vector is the number of the 4 KiB page to start at. */
static void start_aps(u64 trampoline)
{
	u32 vector = (u32)(trampoline >> PAGE_SHIFT);

	send_to_starting(APIC_ICR_INIT | APIC_ICR_ASSERT);
	tsc_delay(INIT_DELAY_US * NSEC_PER_USEC);
	send_to_starting(APIC_ICR_STARTUP | vector);
	if (!wait_aps(not_started, SIPI_DELAY_US))
		send_to_starting(APIC_ICR_STARTUP | vector);
	wait_aps(not_online, ONLINE_TIMEOUT_US);
}

/* Late APs are abandoned; one that got online in the meantime counts. */
static void finish_ap(unsigned int cpu)
{
	struct percpu *p = per_cpu(cpu);
	int s;

	do
		s = ap_state(cpu);
	while (not_online(s) && !ap_advance(p, s, AP_ABANDONED));
	if (s == AP_ONLINE)
		cpumask_set_cpu(cpu, &cpu_online_bits);
	else if (not_online(s))
		pr_warn("smp: CPU %u (APIC ID %#x) %s within %u ms; going on without it\n",
			cpu, p->apic_id,
			s == AP_STARTING ? "did not start" : "did not come online",
			ONLINE_TIMEOUT_US / 1000);
}

static void call_function_ipi(struct pt_regs *regs)
{
	smp_call_function_irq(regs);
}

/* What the trampoline loads: the boot CPU's control registers. */
static bool ap_context(void)
{
	u64 cr3 = read_cr3();

	if (cr3 >> 32) {
		pr_warn("smp: page tables at %#llx, beyond 32-bit code; one CPU\n",
			(unsigned long long)cr3);
		return false;
	}
	smp_ap_cr0 = (u32)read_cr0();
	smp_ap_cr3 = (u32)cr3;
	smp_ap_efer = (u32)(rdmsr(MSR_EFER) & ~EFER_LMA);
	bsp_cr4 = read_cr4();
	return true;
}

unsigned int native_smp_boot(void)
{
	u64 t0 = rdtsc(), trampoline;
	unsigned int cpu;

	madt_enumerate();
	if (nr_cpus == 1 || !ap_context())
		return nr_cpus_online();
	trampoline = trampoline_setup();
	if (!trampoline)
		return nr_cpus_online();
	if (irq_register_vector(IRQ_VECTOR_IPI_CALL, call_function_ipi)) {
		pr_warn("smp: IPI vector %#x taken; one CPU\n",
			IRQ_VECTOR_IPI_CALL);
		return nr_cpus_online();
	}
	for (cpu = 1; cpu < nr_cpus; cpu++)
		prepare_ap(per_cpu(cpu));
	start_aps(trampoline);
	for (cpu = 1; cpu < nr_cpus; cpu++)
		finish_ap(cpu);
	pr_info("smp: %u of %u CPUs online in %llu us (trampoline at %#llx)\n",
		nr_cpus_online(), nr_cpus,
		(unsigned long long)(tsc_to_ns(rdtsc() - t0) / 1000),
		(unsigned long long)trampoline);
	return nr_cpus_online();
}

static struct percpu *cpu_of_apic_id(u32 apic_id)
{
	unsigned int cpu;

	for (cpu = 1; cpu < nr_cpus; cpu++)
		if (per_cpu(cpu)->apic_id == apic_id)
			return per_cpu(cpu);
	return NULL;
}

/* Interrupts off: only NMI, SMI or INIT end the halt; then halt again. */
static void __noreturn ap_park(void)
{
	for (;;) {
		irq_disable();
		halt();
	}
}

/* An AP, on its own stack, with the kernel's page tables and boot GDT. */
void ap_start(u64 stack_top)
{
	struct percpu *p = cpu_of_apic_id(cpu_initial_apic_id());

	if (!p || !ap_advance(p, AP_STARTING, AP_ARRIVED))
		ap_park();
	p->stack_top = stack_top;
	percpu_init_ap(p);
	pv_init.cpu_init(p->cpu);
	tss_load(p);
	idt_load();
	write_cr4(bsp_cr4);
	pv_init.apic_init();
	if (!ap_advance(p, AP_ARRIVED, AP_ONLINE))
		ap_park();
	for (;;)
		safe_halt();
}

/* Natively a waiter just spins; the caller re-checks, so stop now and then. */
void native_lock_wait(u8 *ptr, u8 val)
{
	unsigned int laps;

	for (laps = 0; laps < LOCK_WAIT_LAPS; laps++) {
		if (__atomic_load_n(ptr, __ATOMIC_ACQUIRE) != val)
			return;
		cpu_relax();
	}
}

