#!/bin/sh
# Debian packages that image/build.sh and image/boot-test.sh need on a Debian 12/13 x64 build machine.
# ipxe-qemu is named because --no-install-recommends would leave out the efi-virtio.rom qemu loads for
# virtio-net-pci ("failed to find romfile"); test/unit/system/tools.test.ts checks the lists are complete.
# binfmt_misc is supported but not mounted at boot on these machines, so registering qemu-aarch64 is part
# of the set-up (build.sh repeats it, because a reboot loses it).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  mmdebstrap qemu-user-static binfmt-support qemu-system-arm dosfstools mtools e2fsprogs fdisk \
  xz-utils bind9-dnsutils arch-test ipxe-qemu git
update-binfmts --enable qemu-aarch64
