# SPDX-License-Identifier: GPL-2.0
# The bzImage: real-mode setup + loader32 stub + EFI stub + build/vmlinux
# as payload.
# Included by the top-level Makefile; everything goes under $(BUILD)/boot/.

BOOT_SRC	:= arch/x86/boot
BOOT_OUT	:= $(BUILD)/boot
MKBZIMAGE	:= $(BOOT_OUT)/mkbzimage
BOOT_OFFSETS	:= $(BOOT_OUT)/boot-offsets.h

# Both stubs are 16/32-bit code: assembled for i386, linked on their own at
# address 0, then flattened. The offsets header is generated, so it is found
# through -I$(BOOT_OUT).
BOOT_AFLAGS	:= -m32 -D__ASSEMBLY__ -Wa,--noexecstack -Wall -Werror -I$(BOOT_OUT)
BOOT_LDFLAGS	:= -m elf_i386 -nostdlib -static --build-id=none -z noexecstack \
		   --no-warn-rwx-segments

HOST_CFLAGS	:= -std=gnu11 -O2 -Wall -Wextra -Werror

$(MKBZIMAGE): $(BOOT_SRC)/mkbzimage.c $(BOOT_SRC)/pe.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $<

# Structure offsets for the assembly, from the ABI headers (no hand-typed
# numbers); rewritten only when they change, so the stubs rebuild only then.
$(BOOT_OFFSETS): $(MKBZIMAGE)
	$(Q)$(MKBZIMAGE) --offsets > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BOOT_OUT)/%.o: $(BOOT_SRC)/%.S $(BOOT_OFFSETS) | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCPPFLAGS) $(BOOT_AFLAGS) -MMD -MP -c $< -o $@

$(BOOT_OUT)/%.elf: $(BOOT_OUT)/%.o $(BOOT_SRC)/%.ld
	$(Q)$(LD) $(BOOT_LDFLAGS) -T $(BOOT_SRC)/$*.ld -o $@ $<

$(BOOT_OUT)/%.bin: $(BOOT_OUT)/%.elf
	$(Q)$(OBJCOPY) -O binary -j .text $< $@

# The EFI stub: 64-bit C, position-independent (the firmware loads the
# image anywhere), with the string and RSDP-lookup code it shares with the
# kernel compiled again for it.
EFISTUB_SRC	:= $(BOOT_SRC)/efistub
EFISTUB_OUT	:= $(BOOT_OUT)/efistub
EFISTUB_CFLAGS	:= $(filter-out -fno-pic -fno-pie -mcmodel=small,$(KCFLAGS)) \
		   -fpie -fvisibility=hidden
EFISTUB_OBJS	:= $(patsubst %,$(EFISTUB_OUT)/%.o,main console e820 initrd load head) \
		   $(patsubst %,$(EFISTUB_OUT)/k/%.o,lib/string \
		   arch/x86/kernel/efi-tables arch/x86/kernel/acpi-check)

$(EFISTUB_OUT)/%.o: $(EFISTUB_SRC)/%.c | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCPPFLAGS) $(EFISTUB_CFLAGS) -MMD -MP -c $< -o $@

$(EFISTUB_OUT)/%.o: $(EFISTUB_SRC)/%.S | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCPPFLAGS) $(EFISTUB_CFLAGS) $(KAFLAGS) -MMD -MP -c $< -o $@

$(EFISTUB_OUT)/k/%.o: %.c | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	@echo "  CC      $< (efistub)"
	$(Q)$(CC) $(KCPPFLAGS) $(EFISTUB_CFLAGS) -MMD -MP -c $< -o $@

$(BOOT_OUT)/efistub.elf: $(EFISTUB_OBJS) $(EFISTUB_SRC)/efistub.ld
	$(Q)$(LD) -pie --no-dynamic-linker -nostdlib --build-id=none \
		-z noexecstack --no-warn-rwx-segments -T $(EFISTUB_SRC)/efistub.ld -o $@ $(EFISTUB_OBJS)

$(BUILD)/bzImage: $(MKBZIMAGE) $(BOOT_OUT)/setup.bin $(BOOT_OUT)/loader32.bin \
		  $(BOOT_OUT)/efistub.bin $(BUILD)/vmlinux
	$(Q)$(MKBZIMAGE) $(BOOT_OUT)/setup.bin $(BOOT_OUT)/loader32.bin \
		$(BOOT_OUT)/efistub.bin $(BUILD)/vmlinux $@

# Keep the intermediates: they are what one reads when a boot goes wrong.
.SECONDARY: $(BOOT_OUT)/setup.o $(BOOT_OUT)/setup.elf $(BOOT_OUT)/loader32.o \
	    $(BOOT_OUT)/loader32.elf $(BOOT_OUT)/efistub.elf $(EFISTUB_OBJS)

-include $(BOOT_OUT)/setup.d $(BOOT_OUT)/loader32.d $(EFISTUB_OBJS:.o=.d)
