/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test implementations of the probe op with inline bodies, so that
 * re-patching selftests (repatch.c) can switch sites to the inline kind.
 * Called with %rdi pointing at an array of u64 counters, they return 1 in
 * %rax (the caller has zeroed it); both are position-independent and do
 * the same inline as called.
 *
 * pvtest_probe_one is a single instruction of 5 bytes: it runs whole or
 * not at all, and leaves a 1-byte NOP before it in a site, as a direct
 * call does.
 * pvtest_probe_body is two, exactly a site's length, and counts itself in
 * [1]: a CPU can stop between them, so runtime re-patching with other CPUs
 * online calls it rather than inlining it.
 */
#include <asm/pv/site.h>

PV_FUNC pvtest_probe_one
	movl	$1, %eax
1:	ret
	.size	pvtest_probe_one, . - pvtest_probe_one
	PV_INLINE_BODY pvtest_probe_one, 1b, PV_CLOBBERS_RAX, 1

PV_FUNC pvtest_probe_body
	incq	8(%rdi)
	movb	$1, %al
1:	ret
	.size	pvtest_probe_body, . - pvtest_probe_body
	PV_INLINE_BODY pvtest_probe_body, 1b, PV_CLOBBERS_RAX, 2
