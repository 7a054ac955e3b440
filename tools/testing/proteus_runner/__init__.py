# SPDX-License-Identifier: GPL-2.0
"""What tools/testing/run and tools/perf-exits share: booting QEMU (or Xen
under QEMU), reading what the guest says, and judging a boot.

  qemu     command lines, host requirements, running QEMU, console logs
  console  the console and TAP parser (Console), and replaying a recorded log
  verdict  a boot's verdict and its reasons, and the counts over many boots
  stress   CPU hogs on every host core (tools/testing/run --stress)

The environments themselves (ENVIRONMENTS, ENV_DEFAULTS, host_kernel_args)
stay in tools/testing/run; 'tools/testing/run --list --json' prints them."""
