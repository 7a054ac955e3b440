// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC: natively, under KVM (whose APIC the host emulates, and
 * whose PV EOI falls back to lapic_eoi) and under Xen PVH (Xen emulates it).
 * x2APIC mode when the CPU has it: registers are MSRs 0x800 + offset/16,
 * the ICR is one 64-bit write and ids are 32 bits. Otherwise xAPIC mode:
 * registers in the 4 KiB page IA32_APIC_BASE points at, mapped uncached.
 * The mode is chosen on the first CPU and every CPU then uses it.
 *
 * The one-shot timer is the APIC timer on IRQ_VECTOR_TIMER: in TSC-deadline
 * mode when the CPU has it (the interrupt comes when the TSC reaches the
 * value written to IA32_TSC_DEADLINE), else in one-shot count-down mode,
 * whose rate is measured once against the TSC.
 */
#include <asm-generic/errno-base.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/msr-index.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/cpumask.h>
#include <proteus/kernel.h>
#include <proteus/memmap.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>

#define CPUID_1_EDX_APIC	(1U << 9)
#define CPUID_1_ECX_X2APIC	(1U << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)

/* Register offsets in the xAPIC page. */
#define APIC_ID			0x020
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ICR		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TIMER_INITIAL	0x380
#define APIC_TIMER_CURRENT	0x390
#define APIC_TIMER_DIVIDE	0x3e0

#define APIC_SVR_ENABLE		(1U << 8)
#define APIC_LVT_NMI		(4U << 8)
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_TSC_DEADLINE	(2U << 17)
#define APIC_ICR_PENDING	(1U << 12)
#define APIC_DIVIDE_BY_1	0xb
#define APIC_DIVIDE_BY_16	0x3

/* Calibration: enough counts, and a span long against one register read. */
#define CALIBRATE_MIN_COUNTS	4096
#define CALIBRATE_READS		64

static bool present;
static bool x2apic;
static bool use_tsc_deadline;
static volatile u32 *xapic;
/* One-shot mode: timer counts per millisecond at divide-by-1. */
static u64 timer_khz;

static u32 apic_read(u32 reg)
{
	if (x2apic)
		return (u32)native_rdmsr(APIC_BASE_MSR + reg / 16);
	return xapic[reg / 4];
}

static void apic_write(u32 reg, u32 val)
{
	if (x2apic)
		native_wrmsr(APIC_BASE_MSR + reg / 16, val);
	else
		xapic[reg / 4] = val;
}

u32 apic_id(void)
{
	return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

bool apic_x2apic(void)
{
	return x2apic;
}

/* A busy xAPIC ICR means the last IPI is still on its way (old hardware). */
static void xapic_wait_icr_idle(void)
{
	u64 end = tsc_deadline(NSEC_PER_MSEC);

	while (xapic[APIC_ICR / 4] & APIC_ICR_PENDING) {
		if (tsc_passed(end)) {
			pr_warn("apic: IPI not delivered after 1 ms\n");
			return;
		}
		cpu_relax();
	}
}

/*
 * x2APIC: one MSR write, but WRMSR to these MSRs is not serializing, so
 * fence first to make our earlier stores visible to the IPI's target.
 * xAPIC: destination then command; the command write sends, and no
 * interrupt handler may send in between.
 */
void apic_write_icr(u32 dest_apic_id, u32 low)
{
	u64 flags;

	if (!present)
		return;
	if (x2apic) {
		__asm__ __volatile__("mfence; lfence" ::: "memory");
		native_wrmsr(APIC_BASE_MSR + APIC_ICR / 16,
			     (u64)dest_apic_id << 32 | low);
		return;
	}
	flags = irq_save();
	xapic[APIC_ICR_HIGH / 4] = dest_apic_id << 24;
	xapic[APIC_ICR / 4] = low;
	xapic_wait_icr_idle();
	restore_flags(flags);
}

/*
 * Writing the EOI register retires the highest in-service interrupt and,
 * for a level-triggered one, tells the IOAPIC it came from (broadcast).
 */
void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* A fixed-vector IPI to one CPU, by its APIC id. */
void lapic_send_ipi(unsigned int cpu, unsigned int vector)
{
	apic_write_icr(cpu_apic_id(cpu), APIC_ICR_FIXED | vector);
}

/* Physical destination mode names one APIC per ICR write: one per CPU. */
void lapic_send_ipi_mask(const struct cpumask *cpus, unsigned int vector)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpus)
		lapic_send_ipi(cpu, vector);
}

/* The all-but-self shorthand reaches every other CPU in one write. */
void lapic_send_ipi_allbutself(unsigned int vector)
{
	apic_write_icr(0, APIC_ICR_ALLBUTSELF | APIC_ICR_FIXED | vector);
}

/*
 * TSC-deadline: the interrupt comes when the TSC reaches the deadline.
 * One-shot: the counter runs down from the initial count at 1/16 of the
 * calibrated rate (the divider is exact); beyond 2^32 counts it cannot
 * wait, so that is -ERANGE rather than an early interrupt. Without a
 * local APIC (a Xen PV domain) there is no timer: -ENODEV.
 */
int lapic_set_oneshot(u64 delta_ns)
{
	u64 ticks;

	if (!present)
		return -ENODEV;
	if (use_tsc_deadline) {
		native_wrmsr(MSR_IA32_TSC_DEADLINE, tsc_deadline(delta_ns));
		return 0;
	}
	ticks = (ns_to_cycles(delta_ns, timer_khz) + 15) / 16;
	if (ticks > 0xffffffffULL)
		return -ERANGE;
	apic_write(APIC_TIMER_INITIAL, (u32)MAX(ticks, 1));
	return 0;
}

/* The deadline MSR and the current count both read 0 once the timer fired. */
bool lapic_oneshot_pending(void)
{
	if (!present)
		return false;
	if (use_tsc_deadline)
		return native_rdmsr(MSR_IA32_TSC_DEADLINE) != 0;
	return apic_read(APIC_TIMER_CURRENT) != 0;
}

/*
 * The count rate, at divide-by-1 for the shortest window. The first count
 * is read before the first TSC read and the last after the last, so the
 * counts span at least the TSC window: the rate errs high and timers fire
 * late, never early. The error is up to two register reads over the
 * window: well under 1% where a read is an instruction, about 10% where
 * it is a trip to a hypervisor that is itself emulated (Xen on QEMU TCG).
 */
static void calibrate_timer(void)
{
	u64 t0, t1, read_cost;
	u32 c0, c1;

	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_1);
	apic_write(APIC_TIMER_INITIAL, ~0U);
	t0 = rdtsc();
	c0 = apic_read(APIC_TIMER_CURRENT);
	t1 = rdtsc();
	read_cost = t1 - t0;
	t0 = t1;
	do {
		t1 = rdtsc();
		c1 = apic_read(APIC_TIMER_CURRENT);
	} while ((c0 - c1 < CALIBRATE_MIN_COUNTS ||
		  t1 - t0 < CALIBRATE_READS * read_cost) && t1 - t0 < tsc_khz());
	apic_write(APIC_TIMER_INITIAL, 0);
	timer_khz = ((u64)(c0 - c1) + 1) * tsc_khz() / MAX(t1 - t0, 1);
}

/* First CPU: which mode, which timer; map the xAPIC page if needed. */
static bool apic_setup(void)
{
	struct cpuid_regs r;

	cpuid(1, &r);
	if (!(r.edx & CPUID_1_EDX_APIC)) {
		pr_warn("apic: this CPU has no local APIC: no interrupts\n");
		return false;
	}
	x2apic = r.ecx & CPUID_1_ECX_X2APIC;
	use_tsc_deadline = r.ecx & CPUID_1_ECX_TSC_DEADLINE;
	if (!x2apic) {
		xapic = map_mmio(native_rdmsr(MSR_IA32_APICBASE) &
				 MSR_IA32_APICBASE_BASE, PAGE_SIZE);
		if (!xapic) {
			pr_warn("apic: cannot map the xAPIC registers: no interrupts\n");
			return false;
		}
	}
	return true;
}

/* Hardware-enable; reaching x2APIC mode from disabled takes two steps. */
static void apic_enable(void)
{
	u64 base = native_rdmsr(MSR_IA32_APICBASE);

	if (!(base & MSR_IA32_APICBASE_ENABLE)) {
		base |= MSR_IA32_APICBASE_ENABLE;
		native_wrmsr(MSR_IA32_APICBASE, base);
	}
	if (x2apic && !(base & MSR_IA32_APICBASE_X2APIC))
		native_wrmsr(MSR_IA32_APICBASE, base | MSR_IA32_APICBASE_X2APIC);
}

/* The timer's mode, on IRQ_VECTOR_TIMER, idle until armed. */
static void timer_init(bool boot_cpu)
{
	if (use_tsc_deadline) {
		apic_write(APIC_LVT_TIMER, APIC_LVT_TSC_DEADLINE | IRQ_VECTOR_TIMER);
		return;
	}
	if (boot_cpu) {
		apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
		calibrate_timer();
	}
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_16);
	apic_write(APIC_LVT_TIMER, IRQ_VECTOR_TIMER);
}

/*
 * Every CPU: software-enable with the spurious vector (LVT masks cannot be
 * cleared before that), mask LINT0 (the 8259's ExtINT: devices come
 * through IOAPICs), accept all priorities, LINT1 delivers NMI, mask the
 * error interrupt, and set up the timer. The first call picks the mode.
 * TPR comes after LINT0: QEMU TCG re-evaluates its interrupt line on a TPR
 * write, and otherwise keeps an ExtINT the 8259 raised during boot, which
 * it delivers as vector -1 (a #GP) once interrupts are enabled.
 */
void lapic_init(void)
{
	static bool done_setup;
	bool boot_cpu = !done_setup;

	if (boot_cpu) {
		done_setup = true;
		present = apic_setup();
	}
	if (!present)
		return;
	apic_enable();
	apic_write(APIC_SVR, APIC_SVR_ENABLE | IRQ_VECTOR_SPURIOUS);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_LINT1, APIC_LVT_NMI);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	timer_init(boot_cpu);
	if (!boot_cpu)
		return;
	if (use_tsc_deadline)
		pr_info("apic: %s mode, id %u, timer TSC-deadline\n",
			x2apic ? "x2APIC" : "xAPIC", apic_id());
	else
		pr_info("apic: %s mode, id %u, timer one-shot at %llu kHz\n",
			x2apic ? "x2APIC" : "xAPIC", apic_id(),
			(unsigned long long)timer_khz);
}
