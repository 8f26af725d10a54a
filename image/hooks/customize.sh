#!/bin/sh
# mmdebstrap --customize-hook: everything is installed. raspi-firmware writes cmdline.txt/config.txt and
# copies kernel + initrd to /boot/firmware from its kernel hook, but only when it knows the root partition
# and only when called as a maintainer script would be (DEB_MAINT_PARAMS=configure) — otherwise it
# silently does nothing.
set -eu
root="$1"
cat > "$root/etc/default/raspi-firmware" <<'CFG'
ROOTPART=LABEL=RASPIROOT
CONSOLES="serial0,115200 tty1"
CFG
for k in "$root"/lib/modules/*; do
  kver="$(basename "$k")"
  chroot "$root" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware "$kver"
done
ls "$root/boot/firmware" | grep -q '^vmlinuz' || { echo "raspi-firmware hook wrote no kernel" >&2; exit 1; }
