# SPDX-License-Identifier: GPL-2.0
# Host unit tests, included by the top-level Makefile. "make unit" builds
# each test binary under $(BUILD)/unit/ from its test file and the kernel
# sources it exercises, runs them all, and ends with one line
# "N passed, N failed" over all of them; it fails if any check failed or
# any binary died (a sanitizer report, a crash) without saying so.
# It needs nothing of the kernel build.

UNIT_DIR	:= tools/testing/unit
UNIT_OUT	:= $(BUILD)/unit

UNIT_CFLAGS	:= -std=gnu11 -Wall -Wextra -Werror -g -Iinclude \
		   -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer

# Kernel sources see only the freestanding headers, as in the kernel build;
# their snprintf/vsnprintf are renamed so as not to clash with libc's.
UNIT_KFLAGS	:= -ffreestanding -Wmissing-prototypes -Wstrict-prototypes \
		   -Dsnprintf=ksnprintf -Dvsnprintf=kvsnprintf

# test name, and the kernel sources linked into its binary
define unit_test
UNIT_BINS += $(UNIT_OUT)/test_$(1)
$(UNIT_OUT)/test_$(1): $(UNIT_OUT)/test_$(1).o \
		       $(patsubst %.c,$(UNIT_OUT)/k/%.o,$(2))
	@echo "  HOSTLD  $$@"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $$^ -o $$@
endef

UNIT_BINS :=
$(eval $(call unit_test,vsprintf,lib/vsprintf.c))
$(eval $(call unit_test,cmdline,lib/cmdline.c lib/vsprintf.c))
$(eval $(call unit_test,memmap,mm/memmap.c lib/vsprintf.c))

$(UNIT_OUT)/k/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_KFLAGS) -MMD -MP -c $< -o $@

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
