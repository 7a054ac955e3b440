/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Patchable pv call sites. Each site is emitted as the form that works
 * unpatched, a 6-byte indirect call through the ops table
 * (ff 15 disp32: call *pv_ops+off(%rip)), and a record in .pv_sites:
 * where it is, how long, which op, and which registers the caller lets it
 * clobber. The patcher (arch/x86/paravirt/patch.c) rewrites it once the
 * backend is known.
 *
 * Clobber classes, from widest to narrowest:
 *  NORMAL  the C ABI: rax, rcx, rdx, rsi, rdi, r8-r11, flags;
 *  RAX     callee-save ops: only rax (and flags) may change. Their
 *          table slots have their own type, struct pv_callee_save,
 *          which only PV_CALLEE_SAVE(fn) makes: fn is a C function
 *          wrapped by PV_CALLEE_SAVE_THUNK(fn), or an asm function
 *          started with PV_CALLEE_SAVE_FUNC;
 *  NONE    no register (a body class only: cli, invlpg, vmcall...).
 * Sites are NORMAL or RAX. An inline body may replace a site only if it
 * clobbers no more than the site's class allows; an implementation whose
 * body clobbers more is a bug the patcher refuses (a call would too).
 */
#ifndef ASM_PV_SITE_H
#define ASM_PV_SITE_H

#define PV_CLOBBERS_NORMAL	0
#define PV_CLOBBERS_RAX		1
#define PV_CLOBBERS_NONE	2

#define PV_SITE_LEN		6	/* ff 15 disp32 */

#ifdef __ASSEMBLY__
/* Start a global function in .text: an op implementation written in asm. */
.macro PV_FUNC name
	.text
	.globl	\name
	.type	\name, @function
\name:
.endm

/*
 * Start an asm op implementation that clobbers at most %rax, so it may
 * serve a callee-save op as it is: \name_callee_save, the symbol
 * PV_CALLEE_SAVE(name) refers to, is the function itself.
 */
.macro PV_CALLEE_SAVE_FUNC name
	PV_FUNC \name
	.globl	\name\()_callee_save
	.set	\name\()_callee_save, \name
.endm

/*
 * Record an inline body: the bytes from \fn up to \end replace a site.
 * \insns is how many instructions they are: a CPU stopped between two
 * of them cannot be moved anywhere else, so runtime re-patching with
 * other CPUs online calls a body of more than one instead of inlining it
 * (arch/x86/paravirt/repatch.c).
 */
.macro PV_INLINE_BODY fn, end, clobbers, insns
	.pushsection .pv_bodies, "a"
	.balign	16
	.quad	\fn
	.byte	\end - \fn
	.byte	\clobbers
	.byte	\insns
	.balign	16
	.popsection
.endm

#else

#include <proteus/types.h>

struct pv_site {
	u64 addr;
	u16 op;			/* index of the op in pv_ops, in pointers */
	u8 len;
	u8 clobbers;
	u32 reserved;
};

struct pv_body {
	u64 fn;			/* the implementation the body stands for */
	u8 len;
	u8 clobbers;
	u8 insns;		/* instructions in the body */
	u8 reserved[5];
};

/* The compiler must set up a frame before an asm that calls. */
register unsigned long pv_current_sp __asm__("rsp");
#define ASM_CALL_CONSTRAINT	"+r"(pv_current_sp)

#define __pv_str(x)	#x
#define pv_str(x)	__pv_str(x)

#define PV_OP_INDEX(op)	(__builtin_offsetof(struct pv_ops, op) / sizeof(void *))

#define PV_SITE(clobbers)						\
	"771:\n\t"							\
	"call *%c[pv_slot](%%rip)\n"					\
	"772:\n\t"							\
	".pushsection .pv_sites, \"a\"\n\t"				\
	".balign 16\n\t"						\
	".quad 771b\n\t"						\
	".short %c[pv_idx]\n\t"						\
	".byte 772b - 771b\n\t"						\
	".byte " pv_str(clobbers) "\n\t"					\
	".long 0\n\t"							\
	".popsection\n\t"

#define PV_SITE_INPUTS(op)						\
	[pv_slot] "i"(&pv_ops.op), [pv_idx] "i"(PV_OP_INDEX(op))

#define PV_ARG(a)	((u64)(uintptr_t)(a))
#define PV_NORMAL_CLOBBERS "rcx", "r8", "r9", "r10", "r11", "memory", "cc"

#define __PVOP_CALL(op, di, si, dx, ...) ({				\
	u64 __ret;							\
	__asm__ __volatile__(PV_SITE(PV_CLOBBERS_NORMAL)		\
			     : "=a"(__ret), di, si, dx, ASM_CALL_CONSTRAINT \
			     : PV_SITE_INPUTS(op)			\
			     : PV_NORMAL_CLOBBERS);			\
	__ret;								\
})

#define PVOP_CALL0(op) ({						\
	u64 __di, __si, __dx;						\
	__PVOP_CALL(op, "=D"(__di), "=S"(__si), "=d"(__dx));		\
})

#define PVOP_CALL1(op, a1) ({						\
	u64 __di = PV_ARG(a1), __si, __dx;				\
	__PVOP_CALL(op, "+D"(__di), "=S"(__si), "=d"(__dx));		\
})

#define PVOP_CALL2(op, a1, a2) ({					\
	u64 __di = PV_ARG(a1), __si = PV_ARG(a2), __dx;			\
	__PVOP_CALL(op, "+D"(__di), "+S"(__si), "=d"(__dx));		\
})

#define PVOP_CALL3(op, a1, a2, a3) ({					\
	u64 __di = PV_ARG(a1), __si = PV_ARG(a2), __dx = PV_ARG(a3);	\
	__PVOP_CALL(op, "+D"(__di), "+S"(__si), "+d"(__dx));		\
})

#define PVOP_VCALL0(op)			((void)PVOP_CALL0(op))
#define PVOP_VCALL1(op, a1)		((void)PVOP_CALL1(op, a1))
#define PVOP_VCALL2(op, a1, a2)		((void)PVOP_CALL2(op, a1, a2))
#define PVOP_VCALL3(op, a1, a2, a3)	((void)PVOP_CALL3(op, a1, a2, a3))

#define PVOP_CALLEE0(op) ({						\
	u64 __ret;							\
	__asm__ __volatile__(PV_SITE(PV_CLOBBERS_RAX)			\
			     : "=a"(__ret), ASM_CALL_CONSTRAINT		\
			     : PV_SITE_INPUTS(op)			\
			     : "memory", "cc");				\
	__ret;								\
})

#define PVOP_CALLEE1(op, a1) ({						\
	u64 __ret;							\
	__asm__ __volatile__(PV_SITE(PV_CLOBBERS_RAX)			\
			     : "=a"(__ret), ASM_CALL_CONSTRAINT		\
			     : "D"(PV_ARG(a1)), PV_SITE_INPUTS(op)	\
			     : "memory", "cc");				\
	__ret;								\
})

#define PVOP_VCALLEE0(op)	((void)PVOP_CALLEE0(op))
#define PVOP_VCALLEE1(op, a1)	((void)PVOP_CALLEE1(op, a1))

/*
 * The value of a callee-save op: an entry point that keeps every
 * register but %rax. Its own type, so that a plain C function (which may
 * clobber any caller-saved register) cannot be stored in such a slot,
 * nor such an entry in a slot whose sites let the C ABI's registers
 * change (a brace-elided static initializer of a function only warns
 * with GCC 12: the build's -Werror makes that an error too). One pointer
 * wide: the patcher sees pv_ops as an array of them.
 */
struct pv_callee_save_entry;

struct pv_callee_save {
	const struct pv_callee_save_entry *func;
};

/*
 * fn's callee-save entry point, fn_callee_save: the thunk, or the asm
 * function itself. C sees it as an object of incomplete type, so it can
 * only be the value of a callee-save op, never called.
 */
#define DECLARE_PV_CALLEE_SAVE(fn)					\
	extern const struct pv_callee_save_entry fn##_callee_save

#define PV_CALLEE_SAVE(fn)						\
	((struct pv_callee_save){ .func = &fn##_callee_save })

/*
 * Let a C function serve a callee-save op: fn_callee_save saves every
 * caller-saved register but %rax around a call to fn. Then
 * PV_CALLEE_SAVE(fn) is the op's value.
 */
#define PV_CALLEE_SAVE_THUNK(fn)					\
	DECLARE_PV_CALLEE_SAVE(fn);					\
	__asm__(".pushsection .text\n"					\
		".globl " #fn "_callee_save\n"				\
		".type " #fn "_callee_save, @function\n"		\
		#fn "_callee_save:\n\t"				\
		"pushq %rcx\n\tpushq %rdx\n\tpushq %rsi\n\tpushq %rdi\n\t" \
		"pushq %r8\n\tpushq %r9\n\tpushq %r10\n\tpushq %r11\n\t" \
		"call " #fn "\n\t"					\
		"popq %r11\n\tpopq %r10\n\tpopq %r9\n\tpopq %r8\n\t"	\
		"popq %rdi\n\tpopq %rsi\n\tpopq %rdx\n\tpopq %rcx\n\t"	\
		"ret\n"							\
		".size " #fn "_callee_save, . - " #fn "_callee_save\n"	\
		".popsection\n")

#endif /* __ASSEMBLY__ */
#endif
