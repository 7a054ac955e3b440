// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV ops. The kernel runs in ring 3 of a 64-bit PV domain: privileged
 * instructions fault, so each op below says what Xen offers instead.
 */
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/ptrace.h>
#include <asm/pgtable.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <xen/callback.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include "clock.h"
#include "events.h"
#include "mmu-pv.h"
#include "pv-irq.h"
#include "xen.h"

#define MAX_VCPUS	4096

struct shared_info *xen_shared_info;
u8 xen_pv_shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE)
	__section(".bss.page_aligned");

extern const u64 exception_stubs[NR_EXCEPTIONS];
extern const u64 xen_exception_stubs[NR_EXCEPTIONS];
extern char xen_event_entry[], xen_failsafe_entry[], xen_pv_iret[];
extern void *pv_iret;

/*
 * There is no IDT to load: Xen keeps the real one and bounces exceptions
 * to the handlers in a trap table, which we derive from the IDT: each
 * exception gate that points at our entry stub gets the matching PV stub
 * (which first pops the rcx/r11 Xen pushed). Vector 2 (NMI) and 8 (#DF)
 * are not the guest's to take this way; device interrupts arrive as
 * events, not vectors. int3 and into need DPL 3 to be raised by the ring-3
 * kernel.
 */
static void xen_pv_load_idt(const struct desc_ptr *d)
{
	static struct trap_info traps[NR_EXCEPTIONS + 1];
	const struct idt_gate *idt = (const void *)(uintptr_t)d->address;
	unsigned int v, n = 0, nr = (d->size + 1) / sizeof(*idt);

	for (v = 0; v < NR_EXCEPTIONS && v < nr; v++) {
		if (v == X86_TRAP_NMI || v == X86_TRAP_DF ||
		    idt_gate_address(&idt[v]) != exception_stubs[v])
			continue;
		traps[n++] = (struct trap_info){
			.vector = (u8)v,
			.flags = (v == X86_TRAP_BP || v == X86_TRAP_OF) ? 3 : 0,
			.cs = FLAT_KERNEL_CS,
			.address = xen_exception_stubs[v],
		};
	}
	traps[n] = (struct trap_info){ 0 };
	if (xen_hypercall2(__HYPERVISOR_set_trap_table, (u64)(uintptr_t)traps, 0))
		pv_power_off(EXIT_PANIC);
}

/*
 * Failsafe (Xen could not restore our segments) and event upcalls are
 * callbacks. The event callback continues at the upcall's interrupt
 * vector once events.c has set it up (entry-pv.S); Xen masks events
 * while it runs, as an interrupt gate clears IF.
 */
void xen_pv_register_callbacks(void)
{
	struct callback_register cb = { .flags = CALLBACKF_mask_events };

	cb.type = CALLBACKTYPE_event;
	cb.address = (u64)(uintptr_t)xen_event_entry;
	xen_hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, (u64)(uintptr_t)&cb);
	cb.type = CALLBACKTYPE_failsafe;
	cb.address = (u64)(uintptr_t)xen_failsafe_entry;
	xen_hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, (u64)(uintptr_t)&cb);
}

void xen_pv_unexpected(const char *what) __noreturn;
void xen_pv_unexpected(const char *what)
{
	panic("xen-pv: unexpected %s callback", what);
}

/*
 * CPUID does not trap in a PV guest, so a plain cpuid shows the host.
 * Xen's forced-emulation prefix (ud2; "xen") makes it trap and answer
 * with the domain's CPUID policy, hypervisor leaves included.
 */
static void xen_pv_cpuid(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	__asm__ __volatile__(".byte 0x0f, 0x0b; .ascii \"xen\"; cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			     : "a"(leaf), "c"(subleaf));
}


/*
 * Interrupts are event upcalls: the irq flag ops (vcpu-info-pv.S) work on the
 * running vCPU's upcall mask byte. Unmasking with an event pending calls this to have
 * Xen deliver it: any hypercall returns through Xen's upcall check, and
 * xen_version is the cheapest.
 */
_Static_assert(__builtin_offsetof(struct shared_info, vcpu_info[0].evtchn_upcall_pending) ==
	       XEN_VCPU0_UPCALL_PENDING, "vcpu-info-pv.S: upcall_pending");
_Static_assert(__builtin_offsetof(struct shared_info, vcpu_info[0].evtchn_upcall_mask) ==
	       XEN_VCPU0_UPCALL_MASK, "vcpu-info-pv.S: upcall_mask");
_Static_assert(__builtin_offsetof(struct shared_info, vcpu_info[0].arch.cr2) ==
	       XEN_VCPU0_CR2, "vcpu-info-pv.S: arch.cr2");
_Static_assert(sizeof(struct vcpu_info) == 1 << XEN_VCPU_INFO_SHIFT,
	       "vcpu-info-pv.S: vcpu_info size");
_Static_assert(__builtin_offsetof(struct percpu, cpu) == XEN_PERCPU_CPU,
	       "vcpu-info-pv.S: the CPU number in struct percpu");

void xen_pv_force_upcall(void);
void xen_pv_force_upcall(void)
{
	xen_hypercall2(__HYPERVISOR_xen_version, 0, 0);
}
PV_CALLEE_SAVE_THUNK(xen_pv_force_upcall);

DECLARE_PV_CALLEE_SAVE(xen_pv_save_fl);
DECLARE_PV_CALLEE_SAVE(xen_pv_restore_fl);
DECLARE_PV_CALLEE_SAVE(xen_pv_irq_disable);
DECLARE_PV_CALLEE_SAVE(xen_pv_irq_enable);
DECLARE_PV_CALLEE_SAVE(xen_pv_read_cr2);

/* SCHEDOP_block unmasks events atomically and sleeps until one is pending. */
static void xen_pv_safe_halt(void)
{
	xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_block, 0);
}

/* With events masked nothing can wake us: give the CPU away instead. */
static void xen_pv_halt(void)
{
	xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
}

/* Xen knows our vCPUs; VCPUOP_is_up fails with -ENOENT past the last one. */
static unsigned int xen_pv_cpu_count(void)
{
	unsigned int n = 0;

	while (n < MAX_VCPUS &&
	       xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, n, 0) >= 0)
		n++;
	return n ? n : 1;
}

/*
 * The shared info page lives at a machine address Xen gave us; map it over
 * one of our own bss pages with update_va_mapping (PTEs hold machine
 * frames; the user bit because the PV kernel runs in ring 3).
 */
static void map_shared_info(void)
{
	u64 va = (u64)(uintptr_t)xen_pv_shared_info_page;
	u64 pte = xen_start_info->shared_info | _PAGE_PRESENT | _PAGE_RW | (1ULL << 2);

	if (xen_hypercall3(__HYPERVISOR_update_va_mapping, va, pte, UVMF_INVLPG))
		panic("xen-pv: cannot map shared_info");
	xen_shared_info = (struct shared_info *)xen_pv_shared_info_page;
	xen_vcpu[0] = &xen_shared_info->vcpu_info[0];
}

/*
 * No local APIC in a PV domain: interrupts are events. The boot vCPU
 * sets up the upcall; each vCPU binds its timer VIRQ and its IPI ports,
 * and the others ask for port I/O rights (the boot vCPU did at entry).
 * vcpu_info stays the one in shared_info (vcpu-info-pv.S indexes it by CPU).
 */
static void xen_pv_apic_init(void)
{
	if (smp_processor_id() == 0)
		xen_events_init_pv();
	else
		xen_pv_io_cpu_init();
	xen_timer_init();
	xen_smp_cpu_init(true);
}

void xen_pv_install_ops(void)
{
	pv_ops.sys.power_off = xen_power_off;
	pv_init.power_init = xen_power_init;
	pv_ops.cpu.load_idt = xen_pv_load_idt;
	pv_iret = xen_pv_iret;
	idt_setup();
	xen_pv_register_callbacks();
	xen_console_init();
	map_shared_info();
	xen_pv_io_cpu_init();
	xen_pv_io_install();
	xen_pv_pirq_install();
	pv_ops.cpu.cpuid = xen_pv_cpuid;
	pv_ops.cpu.read_cr2 = PV_CALLEE_SAVE(xen_pv_read_cr2);
	pv_ops.irq.save_fl = PV_CALLEE_SAVE(xen_pv_save_fl);
	pv_ops.irq.restore_fl = PV_CALLEE_SAVE(xen_pv_restore_fl);
	pv_ops.irq.irq_disable = PV_CALLEE_SAVE(xen_pv_irq_disable);
	pv_ops.irq.irq_enable = PV_CALLEE_SAVE(xen_pv_irq_enable);
	pv_ops.irq.safe_halt = xen_pv_safe_halt;
	pv_ops.irq.halt = xen_pv_halt;
	xen_pv_mmu_install();
	xen_pv_lazy_mmu_install();
	pv_init.cpu_count = xen_pv_cpu_count;
	pv_init.smp_boot = xen_pv_smp_boot;
	/*
	 * A PV kernel runs on Xen's GDT and has no task register of its own
	 * (its GDT would go through HYPERVISOR_set_gdt, with the Xen backend);
	 * the IST stacks are unused, as Xen's trap table has no IST.
	 */
	pv_ops.cpu.load_gdt = (void *)pv_nop;
	pv_ops.cpu.load_tr = (void *)pv_nop;
	pv_init.apic_init = xen_pv_apic_init;
	pv_ops.apic.eoi = pv_nop;
	pv_init.tsc_khz = xen_tsc_khz;
	pv_init.late_init = xen_late_init;
	pv_init.cpu_init = xen_time_cpu_init;
}
