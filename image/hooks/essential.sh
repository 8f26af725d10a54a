#!/bin/sh
# mmdebstrap --essential-hook: runs after the essential set, before the kernel and initramfs-tools arrive.
# Under qemu-user every program start costs ≈ 30 ms, so building the default (MODULES=most) initramfs
# takes ~20 min; a listed, small one takes ~2. The list covers the Pi 4/5 SD and USB boot paths and the
# virtio disk that image/boot-test.sh uses.
set -eu
root="$1"
mkdir -p "$root/boot/firmware" "$root/etc/initramfs-tools/conf.d" "$root/usr/share/initramfs-tools/modules.d"
echo 'MODULES=list' > "$root/etc/initramfs-tools/conf.d/instant-on-modules.conf"
cat > "$root/usr/share/initramfs-tools/modules.d/instant-on.conf" <<'LIST'
ext4
vfat
nls_cp437
nls_ascii
mmc_block
sdhci_iproc
sdhci_brcmstb
bcm2835
pcie_brcmstb
reset_raspberrypi
xhci_pci
xhci_plat_hcd
usb_storage
uas
nvme
virtio_blk
virtio_pci
LIST
cat > "$root/etc/fstab" <<'FSTAB'
LABEL=RASPIROOT  /               ext4  rw,noatime,errors=remount-ro  0 1
LABEL=RASPIFIRM  /boot/firmware  vfat  rw,noatime,nofail             0 2
FSTAB
