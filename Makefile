# SPDX-License-Identifier: GPL-2.0
# Proteus top-level Makefile: out-of-tree build under build/.

BUILD		:= build
CC		:= gcc
LD		:= ld
OBJCOPY		:= objcopy
NM		:= nm
HOSTCC		:= gcc
PYTHON		:= python3
# Debian's interpreter, the one python3-pytest installs for (python3 on
# PATH may be another, such as a pyenv shim without pytest).
HOST_PYTHON	:= $(firstword $(wildcard /usr/bin/python3) python3)

V ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif

# The only ABI headers the kernel may see: Debian's linux-libc-dev and
# libxen-dev folders, linked one by one (never all of /usr/include);
# video/ only because asm/bootparam.h includes video/edid.h.
ABI		:= $(BUILD)/abi
ABI_LINKS	:= $(ABI)/linux $(ABI)/asm $(ABI)/asm-generic $(ABI)/video $(ABI)/xen
ABI_SRC_linux	:= /usr/include/linux
ABI_SRC_asm	:= /usr/include/x86_64-linux-gnu/asm
ABI_SRC_asm-generic := /usr/include/asm-generic
ABI_SRC_video	:= /usr/include/video
ABI_SRC_xen	:= /usr/include/xen

KCPPFLAGS	:= -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
		   -Iinclude -Iarch/x86/include -isystem $(ABI) \
		   -D__XEN_INTERFACE_VERSION__=0x00040e00 -D__KERNEL__
KCFLAGS		:= -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
		   -Wmissing-prototypes -Wstrict-prototypes \
		   -ffreestanding -fno-builtin -fno-common -fno-pic -fno-pie \
		   -fno-stack-protector -fno-omit-frame-pointer \
		   -fno-asynchronous-unwind-tables -fno-strict-aliasing \
		   -fcf-protection=none -mno-red-zone -mgeneral-regs-only \
		   -mcmodel=small -march=x86-64 -mtune=generic
KAFLAGS		:= -D__ASSEMBLY__ -Wa,--noexecstack
KLDFLAGS	:= -nostdlib -static -no-pie -z max-page-size=0x1000 \
		   -z noexecstack --build-id=none --no-warn-rwx-segments

# Kernel sources: every .c and .S in these folders.
KDIRS		:= arch/x86/kernel arch/x86/mm arch/x86/paravirt \
		   backends/native backends/kvm backends/xen \
		   drivers/serial drivers/pci drivers/virtio kernel mm lib net tools/testing/selftests
KSRCS		:= $(filter-out %.lds.S,$(foreach d,$(KDIRS),$(wildcard $(d)/*.c $(d)/*.S)))
KOBJS		:= $(patsubst %,$(BUILD)/obj/%.o,$(basename $(KSRCS)))
LDS		:= arch/x86/kernel/vmlinux.lds

.PHONY: all check run debug bench perf-exits unit pytest mutants clean sizes deps
.DEFAULT_GOAL := all

all: $(BUILD)/vmlinux $(BUILD)/bzImage sizes

$(ABI)/%:
	$(Q)mkdir -p $(ABI)
	$(Q)test -d $(ABI_SRC_$*) || { echo "missing $(ABI_SRC_$*): run 'make deps' (or apt-get install linux-libc-dev libxen-dev)"; exit 1; }
	$(Q)ln -sfn $(ABI_SRC_$*) $@

$(BUILD)/obj/%.o: %.c | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.S | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) $(KAFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/vmlinux.lds: $(LDS).S | $(ABI_LINKS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCPPFLAGS) -D__ASSEMBLY__ -E -P -x c $< -o $@

# Symbol names for backtraces, in two links: the table sits in its own
# section after everything else, so filling it moves no other symbol.
$(BUILD)/kallsyms0.S: scripts/kallsyms.sh
	@mkdir -p $(BUILD)
	$(Q)sh scripts/kallsyms.sh /dev/null > $@

$(BUILD)/vmlinux.1: $(KOBJS) $(BUILD)/obj/kallsyms0.o $(BUILD)/vmlinux.lds
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -T $(BUILD)/vmlinux.lds -o $@ $(KOBJS) $(BUILD)/obj/kallsyms0.o

$(BUILD)/kallsyms.S: $(BUILD)/vmlinux.1 scripts/kallsyms.sh
	$(Q)$(NM) -n --defined-only $< > $(BUILD)/vmlinux.1.syms
	$(Q)sh scripts/kallsyms.sh $(BUILD)/vmlinux.1.syms > $@

$(BUILD)/obj/%.o: $(BUILD)/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KCPPFLAGS) $(KCFLAGS) $(KAFLAGS) -c $< -o $@

# build/vmlinux.debug keeps the DWARF for gdb; build/vmlinux (and so the
# bzImage payload) keeps the symbol table but not the debug sections.
$(BUILD)/vmlinux.debug: $(KOBJS) $(BUILD)/obj/kallsyms.o $(BUILD)/vmlinux.lds
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -T $(BUILD)/vmlinux.lds -o $@.tmp $(KOBJS) $(BUILD)/obj/kallsyms.o
	$(Q)sh scripts/check-kallsyms.sh $(BUILD)/vmlinux.1 $@.tmp
	$(Q)mv $@.tmp $@

$(BUILD)/vmlinux: $(BUILD)/vmlinux.debug
	$(Q)$(OBJCOPY) --strip-debug $< $@

include arch/x86/boot/build.mk

sizes: $(BUILD)/vmlinux $(BUILD)/bzImage
	@printf '  SIZE    %-16s %8d bytes\n' vmlinux $$(stat -c %s $(BUILD)/vmlinux) bzImage $$(stat -c %s $(BUILD)/bzImage)

include tools/testing/unit/build.mk

deps:
	$(Q)sh tools/testing/deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory pytest
	$(Q)$(PYTHON) tools/testing/run

# Host tests of the runner's machinery (tools/testing/proteus_runner) over
# recorded console logs; no build needed. The last line is pytest's
# 'N passed' or 'N failed, N passed'; the status is non-zero on a failure;
# build/pytest.xml is the JUnit report.
pytest:
	$(Q)$(HOST_PYTHON) -c 'import pytest' 2>/dev/null || \
		{ echo "pytest: $(HOST_PYTHON) has no pytest: run 'make deps' (Debian package python3-pytest)"; exit 1; }
	$(Q)mkdir -p $(BUILD)
	$(Q)PYTHONDONTWRITEBYTECODE=1 $(HOST_PYTHON) -m pytest -q -p no:cacheprovider \
		--junitxml=$(BUILD)/pytest.xml tools/testing/tests

# Benchmarks print numbers, never verdicts. Under icount a TSC tick is one
# instruction, the hypervisor's included: one table, op by op, of what the
# patched site costs natively, as a Xen PV dom0 and as a Xen PVH dom0, and
# what each was patched to (tools/testing/bench-table). Any environments
# work: make bench BENCH_ENVS="qemu-icount qemu-kvm-nopv".
#
# Then bench=virtio-blk and bench=virtio-net (proteus_runner/bench_virtio.py),
# one table each, environment by environment, in VIRTIO_BENCH_ENVS: each
# boot runs the one selftest of the path it measures (blk.async,
# net.udp_burst) and the benchmark, about 5 s of guest time. Reported,
# not asserted.
BENCH_ENVS := qemu-icount xen-pv-icount xen-pvh-icount
VIRTIO_BENCH_ENVS := qemu-tcg qemu-kvm xen-pv xen-pvh

bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) tools/testing/run $(BENCH_ENVS) -- bench=pvops selftest=none >/dev/null || true
	$(Q)$(PYTHON) tools/testing/bench-table $(BENCH_ENVS)
	$(Q)$(PYTHON) tools/testing/run $(VIRTIO_BENCH_ENVS) -- bench=virtio-blk selftest=blk.async \
		>/dev/null || true
	$(Q)$(PYTHON) tools/testing/bench-table --virtio-blk $(VIRTIO_BENCH_ENVS)
	$(Q)$(PYTHON) tools/testing/run $(VIRTIO_BENCH_ENVS) -- bench=virtio-net selftest=net.udp_burst \
		>/dev/null || true
	$(Q)$(PYTHON) tools/testing/bench-table --virtio-net $(VIRTIO_BENCH_ENVS)

# VM exits per operation, KVM paravirt backend against the native one:
# counted by perf over KVM tracepoints on the host (root and /dev/kvm).
# all: $(BUILD)/bzImage to boot, $(BUILD)/vmlinux to name a KVM error's IP.
perf-exits: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) tools/perf-exits

# Planted bugs (tools/testing/mutants/*.patch), each applied alone to a
# scratch copy of HEAD, built and booted where it should be caught; fails
# on a survivor. Slow (see README), so not part of check.
mutants:
	$(Q)$(PYTHON) tools/testing/mutants/run-mutants $(MUTANTS)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) tools/testing/run --interactive

debug: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) tools/testing/run --debug

clean:
	rm -rf $(BUILD)

-include $(KOBJS:.o=.d)
