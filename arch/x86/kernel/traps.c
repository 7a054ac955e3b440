// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions: the native IDT, and the common handler. A fault covered by
 * the exception table resumes at its fixup; anything else prints vector,
 * error code, registers and a symbolic backtrace, then panics.
 */
#include <asm/desc.h>
#include <asm/ptrace.h>
#include <asm/extable.h>
#include <asm/layout.h>
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <asm/percpu.h>
#include <proteus/cpumask.h>
#include <asm/pv/native.h>
#include <proteus/cmdline.h>
#include <proteus/kallsyms.h>
#include <proteus/panic.h>
#include <proteus/printk.h>

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit interrupt gate */

/*
 * no_softint: the platform cannot execute software interrupts (int3,
 * int $n). KVM's instruction emulator on hosts without VMX/SVM is one;
 * the runner says so on the command line since the guest cannot tell.
 */
bool no_softint;

static int set_no_softint(const char *val)
{
	return parse_bool(val, &no_softint);
}
KERNEL_PARAM("no_softint", set_no_softint);

extern const u64 exception_stubs[NR_EXCEPTIONS];

static struct idt_gate idt[NR_VECTORS] __aligned(16);

static const char *const exception_names[NR_EXCEPTIONS] = {
	[X86_TRAP_DE] = "divide error",
	[X86_TRAP_DB] = "debug",
	[X86_TRAP_NMI] = "NMI",
	[X86_TRAP_BP] = "breakpoint",
	[X86_TRAP_OF] = "overflow",
	[X86_TRAP_BR] = "bound range",
	[X86_TRAP_UD] = "invalid opcode",
	[X86_TRAP_NM] = "device not available",
	[X86_TRAP_DF] = "double fault",
	[X86_TRAP_TS] = "invalid TSS",
	[X86_TRAP_NP] = "segment not present",
	[X86_TRAP_SS] = "stack segment",
	[X86_TRAP_GP] = "general protection",
	[X86_TRAP_PF] = "page fault",
	[X86_TRAP_MF] = "x87 error",
	[X86_TRAP_AC] = "alignment check",
	[X86_TRAP_MC] = "machine check",
	[X86_TRAP_XF] = "SIMD error",
};

/*
 * Fill the IDT with ring-0 interrupt gates for the 32 exceptions and load
 * it through the load_idt op (Xen PV turns the gates into a trap table).
 */
/* Gates keep their IST stack when their handler changes. */
void idt_set_gate(unsigned int vector, u64 a)
{
	idt[vector] = (struct idt_gate){
		.offset_low = (u16)a,
		.selector = __KERNEL_CS,
		.ist = idt[vector].ist,
		.type_attr = GATE_INTERRUPT,
		.offset_mid = (u16)(a >> 16),
		.offset_high = (u32)(a >> 32),
	};
}

void idt_set_ist(unsigned int vector, int ist)
{
	idt[vector].ist = (u8)ist;
}

void idt_load(void)
{
	struct desc_ptr desc = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	load_idt(&desc);
}

void idt_setup(void)
{
	unsigned int v;

	for (v = 0; v < NR_EXCEPTIONS; v++)
		idt_set_gate(v, exception_stubs[v]);
	idt_load();
}

static const char *exception_name(u64 v)
{
	if (v < NR_EXCEPTIONS && exception_names[v])
		return exception_names[v];
	return "reserved";
}

static void print_symbol(const char *prefix, u64 addr)
{
	u64 off;
	const char *name = kallsyms_lookup(addr, &off);

	if (name)
		printk(KERN_EMERG "%s0x%016llx %s+%#llx\n", prefix,
		       (unsigned long long)addr, name, (unsigned long long)off);
	else
		printk(KERN_EMERG "%s0x%016llx\n", prefix, (unsigned long long)addr);
}

static void show_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n",
	       r->rax, r->rbx, r->rcx, r->rdx);
	printk(KERN_EMERG "RSI %016llx RDI %016llx RBP %016llx RSP %016llx\n",
	       r->rsi, r->rdi, r->rbp, r->rsp);
	printk(KERN_EMERG "R8  %016llx R9  %016llx R10 %016llx R11 %016llx\n",
	       r->r8, r->r9, r->r10, r->r11);
	printk(KERN_EMERG "R12 %016llx R13 %016llx R14 %016llx R15 %016llx\n",
	       r->r12, r->r13, r->r14, r->r15);
	printk(KERN_EMERG "CS %04llx SS %04llx RFLAGS %08llx\n",
	       r->cs, r->ss, r->rflags);
}

/* This CPU's stack; 0 until the boot CPU's per-CPU area (GS) is set up. */
static u64 this_cpu_stack_top(void)
{
	return cpu_online(0) ? this_cpu()->stack_top : 0;
}

/*
 * Walk the frame-pointer chain while it stays on this CPU's stack (the
 * boot stack until the per-CPU areas exist).
 */
static void show_backtrace(u64 rbp)
{
	extern char boot_stack_top[];
	u64 hi = this_cpu_stack_top(), lo;
	int depth;

	if (!hi)
		hi = (u64)(uintptr_t)boot_stack_top;
	lo = hi - BOOT_STACK_SIZE;
	printk(KERN_EMERG "Call trace:\n");
	for (depth = 0; depth < 16; depth++) {
		const u64 *frame = (const u64 *)(uintptr_t)rbp;

		if (rbp < lo || rbp + 16 > hi || (rbp & 7))
			break;
		print_symbol("  ", frame[1]);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

static void __noreturn die(struct pt_regs *regs, u64 cr2)
{
	printk(KERN_EMERG "\nexception %llu (%s) error_code %#llx on CPU %u\n",
	       regs->vector, exception_name(regs->vector), regs->error_code,
	       cpu_online(0) ? smp_processor_id() : 0);
	print_symbol("RIP: ", regs->rip);
	if (regs->vector == X86_TRAP_PF)
		printk(KERN_EMERG "CR2: 0x%016llx (%s, %s)\n", cr2,
		       regs->error_code & X86_PF_WRITE ? "write" :
		       regs->error_code & X86_PF_INSTR ? "fetch" : "read",
		       regs->error_code & X86_PF_PROT ? "protection" : "not present");
	show_regs(regs);
	show_backtrace(regs->rbp);
	panic("fatal exception %llu (%s) at %#llx", regs->vector,
	      exception_name(regs->vector), regs->rip);
}

void do_exception(struct pt_regs *regs);
void do_exception(struct pt_regs *regs)
{
	u64 cr2 = regs->vector == X86_TRAP_PF ? read_cr2() : 0;

	if (regs->vector == X86_TRAP_BP && pv_bp_emulate(regs))
		return;
	if (fixup_exception(regs, cr2))
		return;
	die(regs, cr2);
}
