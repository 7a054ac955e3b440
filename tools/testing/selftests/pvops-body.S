/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test implementation of the probe op with an inline body, so that
 * re-patching selftests (repatch.c) can switch sites to the inline kind.
 * Called with %rdi pointing at an array of u64 counters: it counts itself
 * in [1] and returns 1 in %al (the caller has zeroed %rax). The body is
 * exactly a site's length, position-independent, and does the same inline
 * as called.
 */
#include <asm/pv/site.h>

PV_FUNC pvtest_probe_body
	incq	8(%rdi)
	movb	$1, %al
1:	ret
	.size	pvtest_probe_body, . - pvtest_probe_body
	PV_INLINE_BODY pvtest_probe_body, 1b, PV_CLOBBERS_RAX
