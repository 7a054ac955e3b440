# SPDX-License-Identifier: GPL-2.0
# Attach gdb to the QEMU that 'make debug' started (paused, gdb stub on :1234).
# From the top of the tree:
#
#     gdb -x tools/gdb/proteus.gdb
#
# Then e.g. 'hbreak SYMBOL' and 'continue'. The bzImage starts in 16-bit real
# mode setup code, then 32-bit, then long mode: vmlinux's symbols and source
# lines only mean something from the 64-bit kernel on. QEMU's x86_64 stub
# always sends 64-bit registers, so gdb stays in i386:x86-64 throughout
# (switching to i8086 makes gdb reject QEMU's register packet); in the
# 16/32-bit code use 'x/8i $pc' with care, or 'info registers'.

set pagination off
set confirm off
set print pretty on
# build/vmlinux.debug is build/vmlinux with its DWARF (same addresses).
file build/vmlinux.debug
set architecture i386:x86-64
target remote :1234
echo proteus: attached. Set breakpoints (hbreak SYMBOL), then 'continue'.\n
