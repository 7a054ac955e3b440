# SPDX-License-Identifier: GPL-2.0
"""Boots through real firmware and bootloaders: a GRUB rescue ISO, a FAT
boot disk per boot, OVMF's flash.

The GRUB ISO (grub-mkrescue: i386-pc and x86_64-efi, whichever this host
has) holds no kernel. Its grub.cfg finds the boot disk, a small FAT image
the runner writes for every boot with mtools (the kernel image, the boot
module if any, and proteus-boot.cfg, which holds the GRUB commands and
this boot's kernel command line), and sources that file. So the ISO is built once
(grub-mkrescue takes about 0.3 s, the boot disk about 10 ms), and each
boot still gets its own command line (hosttime= changes every boot).

The ESP disk (uefi-esp) is a FAT image holding the kernel image alone as
\\EFI\\BOOT\\BOOTX64.EFI, which OVMF's boot manager starts by itself: no
GRUB, no command line."""

import os
import re
import shutil
import subprocess

FIRMWARE_DIR = "build/firmware"
GRUB_ISO = FIRMWARE_DIR + "/grub.iso"
GRUB_PLATFORMS = ("i386-pc", "x86_64-efi")
GRUB_LIB = "/usr/lib/grub"
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
BOOT_CFG = "proteus-boot.cfg"
BOOT_DISK_MIN = 4 << 20

# The ISO's own grub.cfg. The serial console carries GRUB's lines into
# the log; no menu, so nothing waits. When the boot disk is missing or
# its commands fail, GRUB says so and resets: with -no-reboot QEMU exits,
# rather than GRUB waiting at its prompt until the runner's timeout.
GRUB_CFG = """\
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
echo "grub: looking for /%(cfg)s"
if search --no-floppy --file /%(cfg)s --set=root; then
	source /%(cfg)s
fi
echo "grub: could not boot the kernel from /%(cfg)s (see above); resetting"
reboot
""" % {"cfg": BOOT_CFG}


def tools_problem(*commands):
    for cmd in commands:
        if shutil.which(cmd) is None:
            return "%s missing (run: make deps)" % cmd
    return None


def grub_problem(platform, package):
    if not os.path.isdir(os.path.join(GRUB_LIB, platform)):
        return "%s/%s missing (package %s)" % (GRUB_LIB, platform, package)
    return tools_problem("grub-mkrescue", "xorriso", "mformat", "mcopy")


def grub_bios_problem():
    return grub_problem("i386-pc", "grub-pc-bin")


def grub_efi_problem():
    return grub_problem("x86_64-efi", "grub-efi-amd64-bin")


def mtools_problem():
    return tools_problem("mformat", "mmd", "mcopy")


def ovmf_problem():
    for path in (OVMF_CODE, OVMF_VARS):
        if not os.path.exists(path):
            return "%s missing (package ovmf)" % path
    return None


def replace_atomically(root, rel, write):
    """write(path) into a temporary file, then rename it to root/rel: a
    QEMU another run started keeps the file it opened."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.tmp.%d" % (path, os.getpid())
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return rel


def run_tool(cmd):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if out.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s"
                           % (cmd[0], out.returncode, out.stdout.strip()[-500:]))


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def grub_stamp():
    """What the ISO is made of: its grub.cfg, and the GRUB platforms
    present with their module lists' times (a GRUB upgrade rebuilds it)."""
    platforms = []
    for p in GRUB_PLATFORMS:
        moddep = os.path.join(GRUB_LIB, p, "moddep.lst")
        if os.path.exists(moddep):
            platforms.append("%s@%d" % (p, os.path.getmtime(moddep)))
    return "# platforms: %s\n%s" % (" ".join(platforms), GRUB_CFG)


def grub_iso(root):
    """build/firmware/grub.iso, (re)built unless its stamp matches."""
    stamp_path = os.path.join(root, GRUB_ISO + ".stamp")
    stamp = grub_stamp()
    try:
        with open(stamp_path) as f:
            if f.read() == stamp and os.path.exists(os.path.join(root, GRUB_ISO)):
                return GRUB_ISO
    except OSError:
        pass
    tree = os.path.join(root, FIRMWARE_DIR, "iso-tree.%d" % os.getpid())
    try:
        os.makedirs(os.path.join(tree, "boot", "grub"))
        with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
            f.write(GRUB_CFG)
        replace_atomically(root, GRUB_ISO,
                           lambda tmp: run_tool(["grub-mkrescue", "-o", tmp, tree]))
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    replace_atomically(root, GRUB_ISO + ".stamp", lambda tmp: write_text(tmp, stamp))
    return GRUB_ISO


def kernel_words(cmdline):
    """cmdline split as the kernel splits it (lib/cmdline.c): at spaces,
    tabs and newlines outside double quotes, the quotes dropped."""
    words, word, quoted, started = [], [], False, False
    for c in cmdline + " ":
        if c == '"':
            quoted, started = not quoted, True
        elif c in " \t\n" and not quoted:
            if started:
                words.append("".join(word))
            word, started = [], False
        else:
            word.append(c)
            started = True
    return words


def grub_words(cmdline):
    """cmdline as words of GRUB's script language, each in single quotes.
    GRUB hands them to the kernel joined by spaces, a word holding a space
    in double quotes (which the kernel drops again), and ', " and \\ with
    a backslash before them, which the kernel would keep: a word with a '
    or \\ cannot go through GRUB unchanged, and is refused."""
    words = kernel_words(cmdline)
    for w in words:
        if "'" in w or "\\" in w:
            raise ValueError("kernel argument %r cannot go through GRUB: GRUB puts a "
                             "backslash before ' and \\, which the kernel keeps" % w)
    return " ".join("'%s'" % w for w in words)


def chainloader_words(cmdline):
    """cmdline as words of GRUB's script language for chainloader, which
    joins them with spaces into the image's LoadOptions as they are, no
    quoting: a word holding a space gets the kernel's double quotes back
    (key="value"). A ' cannot stand inside GRUB's single quotes, and is
    refused; a \\ goes through unchanged."""
    words = []
    for w in kernel_words(cmdline):
        if "'" in w:
            raise ValueError("kernel argument %r cannot go through GRUB's chainloader: "
                             "a ' cannot stand inside GRUB's single quotes" % w)
        if re.search(r"\s", w):
            key, eq, value = w.partition("=")
            w = '%s="%s"' % (key, value) if eq else '"%s"' % w
        words.append("'%s'" % w)
    return " ".join(words)


# The GRUB command that loads a boot module, by the one that loaded the
# kernel. GRUB 2.06's chainloader offers a chainloaded image no initrd.
GRUB_INITRD = {"linux16": "initrd16", "linux": "initrd", "linuxefi": "initrdefi",
               "chainloader": None}


def boot_cfg(command, cmdline, module):
    if module and not GRUB_INITRD[command]:
        raise ValueError("GRUB's %s cannot pass a boot module" % command)
    words = chainloader_words(cmdline) if command == "chainloader" else grub_words(cmdline)
    lines = ['echo "grub: %s /kernel"' % command, "%s /kernel %s" % (command, words)]
    if module:
        lines.append("%s /module" % GRUB_INITRD[command])
    return "\n".join(lines + ["boot", ""])


def boot_disk(root, name, image, command, cmdline, module=None):
    """build/firmware/<name>-boot.img: a FAT image holding image as
    /kernel, module (if any) as /module, and proteus-boot.cfg, which loads
    them with GRUB's command (linux16, linux or linuxefi) and cmdline."""
    files = [(image, "kernel")] + ([(module, "module")] if module else [])
    size = sum(os.path.getsize(os.path.join(root, f)) for f, _ in files) + (1 << 20)
    size = max(BOOT_DISK_MIN, (size + (1 << 20) - 1) & ~((1 << 20) - 1))
    cfg = boot_cfg(command, cmdline, module)

    def write(tmp):
        write_text(tmp + ".cfg", cfg)
        try:
            fat_image(tmp, size, [(os.path.join(root, path), as_name)
                                  for path, as_name in files] + [(tmp + ".cfg", BOOT_CFG)])
        finally:
            os.remove(tmp + ".cfg")
    return replace_atomically(root, "%s/%s-boot.img" % (FIRMWARE_DIR, name), write)


def fat_image(tmp, size, files, dirs=()):
    """tmp: a FAT file system of size bytes (no partition table) made
    with mtools, holding dirs and files, (host path, path on the disk)."""
    with open(tmp, "wb") as f:
        f.truncate(size)
    run_tool(["mformat", "-i", tmp, "-v", "PROTEUS", "::"])
    for d in dirs:
        run_tool(["mmd", "-i", tmp, "::/" + d])
    for path, as_name in files:
        run_tool(["mcopy", "-i", tmp, path, "::/" + as_name])


# UEFI 2.10 section 3.5.1.1: the file a boot manager starts from removable
# media that carries no boot option of its own, on x64.
ESP_BOOT_FILE = "EFI/BOOT/BOOTX64.EFI"


def esp_disk(root, name, image):
    """build/firmware/<name>-esp.img: a FAT disk holding image as
    \\EFI\\BOOT\\BOOTX64.EFI and nothing else, as a user who copies the
    bzImage onto an EFI system partition has it."""
    size = os.path.getsize(os.path.join(root, image)) + (1 << 20)
    size = max(BOOT_DISK_MIN, (size + (1 << 20) - 1) & ~((1 << 20) - 1))
    return replace_atomically(
        root, "%s/%s-esp.img" % (FIRMWARE_DIR, name),
        lambda tmp: fat_image(tmp, size, [(os.path.join(root, image), ESP_BOOT_FILE)],
                              ("EFI", "EFI/BOOT")))


def esp_args(root, env):
    """QEMU arguments that let OVMF's boot manager find env's image on a
    disk by the default boot path: no -kernel, no command line."""
    return ["-drive", "file=%s,format=raw" % esp_disk(root, env["name"], env["image"])]


def ovmf_vars(root, name):
    """A fresh copy of OVMF's variable store for one boot: OVMF writes its
    boot options there, and every boot starts from the same state."""
    return replace_atomically(root, "%s/%s-vars.fd" % (FIRMWARE_DIR, name),
                              lambda tmp: shutil.copyfile(OVMF_VARS, tmp))


def firmware_args(root, env):
    """QEMU arguments for env's firmware: OVMF's code and variables as
    two flash chips, or nothing (SeaBIOS, or env's -bios)."""
    if env.get("firmware") != "ovmf":
        return []
    return ["-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
            "-drive", "if=pflash,format=raw,file=" + ovmf_vars(root, env["name"])]


def grub_args(root, env, cmdline, module):
    """QEMU arguments that boot env's image (and module, or None) through
    the GRUB ISO."""
    disk = boot_disk(root, env["name"], env["image"], env["grub"], cmdline, module)
    return ["-drive", "file=%s,format=raw,media=cdrom,readonly=on" % grub_iso(root),
            "-drive", "file=%s,format=raw" % disk, "-boot", "d"]
