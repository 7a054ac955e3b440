# SPDX-License-Identifier: GPL-2.0
# Host unit tests, included by the top-level Makefile. "make unit" builds
# each test binary under $(BUILD)/unit/ from its test file and the kernel
# sources it exercises, runs them all, and ends with one line
# "N passed, N failed" over all of them; it fails if any check failed or
# any binary died (a sanitizer report, a crash) without saying so.
# It needs nothing of the kernel build but for test_bzimage_pe.

UNIT_DIR	:= tools/testing/unit
UNIT_OUT	:= $(BUILD)/unit

UNIT_CFLAGS	:= -std=gnu11 -Wall -Wextra -Werror -g -Iinclude \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer

# Kernel sources see only the freestanding headers, as in the kernel build;
# their snprintf/vsnprintf are renamed so as not to clash with libc's.
UNIT_KFLAGS	:= -ffreestanding -Wmissing-prototypes -Wstrict-prototypes \
		   -Dsnprintf=ksnprintf -Dvsnprintf=kvsnprintf

# test name, and the kernel sources (.c, or .S) linked into its binary
define unit_test
UNIT_BINS += $(UNIT_OUT)/test_$(1)
$(UNIT_OUT)/test_$(1): $(UNIT_OUT)/test_$(1).o \
		       $(patsubst %.S,$(UNIT_OUT)/k/%.S.o,$(patsubst %.c,$(UNIT_OUT)/k/%.o,$(2)))
	@echo "  HOSTLD  $$@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $$^ -o $$@
endef

UNIT_BINS :=
$(eval $(call unit_test,vsprintf,lib/vsprintf.c))
$(eval $(call unit_test,cmdline,lib/cmdline.c lib/vsprintf.c))
$(eval $(call unit_test,memmap,mm/memmap.c lib/vsprintf.c))
$(eval $(call unit_test,kvm_ipi,backends/kvm/ipi-pack.c lib/vsprintf.c))
$(eval $(call unit_test,patcher,arch/x86/paravirt/insn.c lib/vsprintf.c \
	backends/native/inline.S backends/xen/hypercall-insn.S \
	arch/x86/paravirt/hypercall-insn.S))
$(eval $(call unit_test,pvclock,arch/x86/kernel/pvclock.c lib/vsprintf.c))
$(eval $(call unit_test,madt,arch/x86/kernel/madt.c lib/vsprintf.c))
$(eval $(call unit_test,acpi,arch/x86/kernel/acpi-check.c \
	arch/x86/kernel/efi-tables.c lib/vsprintf.c))
$(eval $(call unit_test,acpi_sleep,arch/x86/kernel/acpi-sleep.c lib/vsprintf.c))
$(eval $(call unit_test,cycles,lib/cycles.c lib/vsprintf.c))
$(eval $(call unit_test,rtc,backends/native/rtc-decode.c lib/vsprintf.c))
$(eval $(call unit_test,selftest_select,kernel/selftest-select.c lib/cmdline.c \
	lib/string.c lib/vsprintf.c))
$(eval $(call unit_test,page_alloc,mm/page_alloc.c mm/memmap.c lib/vsprintf.c))
$(eval $(call unit_test,efi_e820,arch/x86/boot/efistub/e820.c lib/vsprintf.c))
$(eval $(call unit_test,virtqueue,drivers/virtio/virtio_ring.c \
	drivers/virtio/virtio_ring_packed.c lib/string.c lib/vsprintf.c))
$(eval $(call unit_test,virtqueue_packed,drivers/virtio/virtio_ring.c \
	drivers/virtio/virtio_ring_packed.c lib/string.c lib/vsprintf.c))
$(eval $(call unit_test,virtio_features,drivers/virtio/features.c lib/vsprintf.c))
$(eval $(call unit_test,virtio_balloon,drivers/virtio/balloon-target.c lib/vsprintf.c))
# libc's memcpy (not lib/string.c's asm), so ASan sees every copy.
$(eval $(call unit_test,net,net/wire.c net/dhcp-wire.c net/checksum.c drivers/virtio/virtio_net_rx.c \
	lib/vsprintf.c))
$(eval $(call unit_test,virtio_config,drivers/virtio/config.c \
	drivers/virtio/virtio_blk_config.c lib/string.c lib/vsprintf.c))
$(eval $(call unit_test,virtio_console_ctrl,drivers/virtio/console_ctrl.c lib/vsprintf.c))
$(eval $(call unit_test,virtio_mmio_param,drivers/virtio/mmio-param.c lib/cmdline.c \
	lib/string.c lib/vsprintf.c))

# Callee-save ops are a type: a script, not a binary, that compiles right
# and wrong assignments to the ops table with the kernel's own compiler
# and flags and expects the wrong ones refused (test_callee_save.sh).
UNIT_BINS += $(UNIT_OUT)/test_callee_save
$(UNIT_OUT)/test_callee_save: $(UNIT_DIR)/test_callee_save.sh Makefile | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)printf '#!/bin/sh\ncd %s && exec %s %s\n' '$(CURDIR)' '$<' \
		'$(CC) $(KCPPFLAGS) $(KCFLAGS)' > $@
	$(Q)chmod +x $@

# The bzImage's PE/COFF face, read back with objdump (test_bzimage_pe.sh):
# the one unit test that needs the kernel build, for the image it checks.
UNIT_BINS += $(UNIT_OUT)/test_bzimage_pe
$(UNIT_OUT)/test_bzimage_pe: $(UNIT_DIR)/test_bzimage_pe.sh $(BUILD)/bzImage $(BUILD)/vmlinux
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)printf '#!/bin/sh\ncd %s && exec %s %s %s\n' '$(CURDIR)' '$<' \
		'$(BUILD)/bzImage' '$(BUILD)/vmlinux' > $@
	$(Q)chmod +x $@

# The patcher's headers live under arch/x86/include. The test sees them
# after the system's (-idirafter), so libc's own <asm/...> stay libc's;
# -MMD counts such headers as system ones, hence the explicit dependency.
$(UNIT_OUT)/k/arch/x86/paravirt/insn.o: UNIT_KFLAGS += -Iarch/x86/include
$(UNIT_OUT)/test_patcher.o: UNIT_CFLAGS += -idirafter arch/x86/include
$(UNIT_OUT)/test_patcher.o: $(wildcard arch/x86/include/asm/pv/*.h)

# pvclock.c likewise (asm/pvclock.h, asm/processor.h for rdtsc); its
# xen/xen.h is the system's libxen-dev one, at the kernel build's Xen
# interface version (vcpu_time_info has flags only past 4.6). Its test
# runs threads ("private": not for the objects it shares with other tests).
$(UNIT_OUT)/k/arch/x86/kernel/pvclock.o: UNIT_KFLAGS += -Iarch/x86/include \
	$(filter -D__XEN_INTERFACE_VERSION__=%,$(KCPPFLAGS))
$(UNIT_OUT)/test_pvclock.o: UNIT_CFLAGS += -idirafter arch/x86/include
$(UNIT_OUT)/test_pvclock.o: arch/x86/include/asm/pvclock.h
$(UNIT_OUT)/test_pvclock: private UNIT_CFLAGS += -pthread

# page_alloc.c reads boot_info, whose header includes asm/bootpaths.h.
$(UNIT_OUT)/k/mm/page_alloc.o: UNIT_KFLAGS += -Iarch/x86/include
$(UNIT_OUT)/test_page_alloc.o: UNIT_CFLAGS += -idirafter arch/x86/include

$(UNIT_OUT)/k/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_KFLAGS) -MMD -MP -c $< -o $@

# Kernel assembly (inline bodies) is only read by the tests, never run.
# ld makes __start_/__stop_ symbols only for sections named like C
# identifiers, so .pv_bodies becomes pv_bodies, the tests' view of what
# the kernel's linker script brackets; writable ("data"), as its records
# hold addresses the PIE's loader relocates (no text relocations).
$(UNIT_OUT)/k/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  HOSTAS  $<"
	$(Q)$(HOSTCC) -Iinclude -Iarch/x86/include -D__ASSEMBLY__ \
		-Wa,--noexecstack -MMD -MP -MF $(@:.o=.d) -MT $@ -c $< -o $@.tmp
	$(Q)$(OBJCOPY) --rename-section .pv_bodies=pv_bodies,alloc,load,data,contents \
		$@.tmp $@
	$(Q)rm -f $@.tmp

$(UNIT_OUT)/test_%.o: $(UNIT_DIR)/test_%.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -MMD -MP -c $< -o $@

# Each binary's TAP goes to the terminal and to a .tap file, whose "ok" and
# "not ok" lines are summed; a binary that exits non-zero without a failed
# check counts as one failure.
unit: $(UNIT_BINS)
	$(Q)passed=0; failed=0; \
	for t in $(UNIT_BINS); do \
		echo "# $$t"; \
		$$t > $$t.tap 2>&1; rc=$$?; \
		cat $$t.tap; \
		p=$$(grep -c '^ok ' $$t.tap); \
		f=$$(grep -c '^not ok ' $$t.tap); \
		if [ $$rc -ne 0 ] && [ $$f -eq 0 ]; then \
			echo "# $$t exited with status $$rc"; \
			f=1; \
		fi; \
		passed=$$((passed + p)); failed=$$((failed + f)); \
	done; \
	echo "$$passed passed, $$failed failed"; \
	[ $$failed -eq 0 ]

-include $(wildcard $(UNIT_OUT)/*.d $(UNIT_OUT)/k/*/*.d)
-include $(wildcard $(UNIT_OUT)/k/*/*/*.d $(UNIT_OUT)/k/*/*/*/*.d)
