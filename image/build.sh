#!/bin/bash
# Builds the instant-on-edge SD-card image for a Raspberry Pi 4 (Pi 5 with --pi5) from Debian packages only:
# arm64 Debian trixie, the arm64 appliance binary as an enabled systemd service, a first-boot identity step.
# Recipe and timings: ../shared/notes/pi-image.md. Needs root and image/install-build-deps.sh.
#
#   image/build.sh [--binary dist/instant-on-edge-linux-arm64] [--work build/image] [--out dist] [--pi5]
#                  [--stage rootfs|all] [--no-xz]
#
# Stages: (1) rootfs   mmdebstrap under qemu-user → a cached tarball keyed by the recipe (≈ 12 min);
#         (2) overlay  unpack, add binary/units/config, enable units with `systemctl --root` (no emulation);
#         (3) assemble MBR image from a FAT and an ext4 file system made without loop devices (≈ 10 s);
#         (4) xz + sha256.
# Output: <out>/instant-on-edge-pi-arm64.img(.xz, .xz.sha256); the raw .img is kept for image/boot-test.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
binary="$repo/dist/instant-on-edge-linux-arm64"
work="$repo/build/image"
out="$repo/dist"
pi5=0
xz=1
stage=all
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$(realpath "$2")"; shift 2 ;;
    --work) work="$(realpath -m "$2")"; shift 2 ;;
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --pi5) pi5=1; shift ;;
    --no-xz) xz=0; shift ;;
    --stage) stage="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "build.sh needs root (mmdebstrap --mode=root, file ownership in the image)" >&2; exit 1; }
mkdir -p "$work" "$out"
t0=$(date +%s)
step() { echo "[build.sh +$(( $(date +%s) - t0 ))s] $*"; }

# binfmt_misc is not mounted at boot on these machines; registering qemu-aarch64 mounts it.
update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || { echo "qemu-aarch64 binfmt not registered" >&2; exit 1; }

suite=trixie
mirror=http://deb.debian.org/debian
packages=(systemd-sysv login passwd udev dbus kmod iproute2 systemd-timesyncd ca-certificates e2fsprogs
  dosfstools initramfs-tools zstd raspi-firmware firmware-brcm80211)
sources=("deb $mirror $suite main non-free-firmware")
if [ "$pi5" = 1 ]; then
  # Stock trixie 6.12 lacks SDHCI_BRCMSTB and RP1 for the Pi 5; backports has them (not tried on hardware).
  sources+=("deb $mirror $suite-backports main non-free-firmware")
  packages+=(linux-image-arm64/$suite-backports)
else
  packages+=(linux-image-arm64)
fi

# --- 1. rootfs (cached by recipe) ----------------------------------------------------------------------
recipe="$( { printf '%s\n' "${packages[@]}" "${sources[@]}"; cat "$here/hooks/essential.sh" "$here/hooks/customize.sh"; } \
  | sha256sum | cut -c1-16)"
base="$work/rootfs-base-$recipe.tar"
if [ ! -s "$base" ]; then
  step "rootfs: mmdebstrap $suite arm64 (recipe $recipe) — about 12 minutes under emulation"
  sources_file="$work/sources.list"
  printf '%s\n' "${sources[@]}" > "$sources_file"
  mmdebstrap --mode=root --arch=arm64 --variant=apt --components=main,non-free-firmware \
    --include="$(IFS=,; echo "${packages[*]}")" \
    --essential-hook="$here/hooks/essential.sh" \
    --customize-hook="$here/hooks/customize.sh" \
    --format=tar "$suite" "$work/partial.tar" - < "$sources_file"
  mv "$work/partial.tar" "$base"
else
  step "rootfs: cached $base"
fi
[ "$stage" = rootfs ] && { step "done (rootfs only)"; exit 0; }

# --- 2. overlay ---------------------------------------------------------------------------------------
[ -x "$binary" ] || { echo "arm64 binary missing: $binary (npm run build:binary)" >&2; exit 1; }
root="$work/rootfs"
rm -rf "$root" "$work/firmware"
mkdir -p "$root" "$work/firmware"
step "overlay: unpack rootfs, add the appliance"
tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' -xf "$base"
cp -a "$here/rootfs-overlay/." "$root/"
install -D -m 0755 "$binary" "$root/usr/local/bin/instant-on-edge"
install -D -m 0755 "$here/firstboot.sh" "$root/usr/local/lib/instant-on-edge/firstboot.sh"
install -D -m 0644 "$here/instant-on-edge.service" "$root/usr/lib/systemd/system/instant-on-edge.service"
install -D -m 0644 "$here/instant-on-edge-firstboot.service" \
  "$root/usr/lib/systemd/system/instant-on-edge-firstboot.service"
# Every card gets its own machine-id (and so hostname) at first boot.
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
systemctl --root="$root" enable instant-on-edge.service instant-on-edge-firstboot.service \
  systemd-networkd.service systemd-timesyncd.service >/dev/null 2>&1
[ -L "$root/etc/systemd/system/multi-user.target.wants/instant-on-edge.service" ] \
  || { echo "instant-on-edge.service was not enabled" >&2; exit 1; }
echo "$(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown) $(date -u +%FT%TZ)" \
  > "$root/etc/instant-on-edge/image-version"

# --- 3. assemble (no loop devices, no mounts) -----------------------------------------------------------
step "assemble: FAT + ext4 + MBR"
mv "$root/boot/firmware/"* "$work/firmware/"
img="$out/instant-on-edge-pi-arm64.img"
rm -f "$img" "$work/boot.vfat" "$work/root.ext4"
truncate -s 2048M "$img"
sfdisk --quiet "$img" <<'PARTS'
label: dos
start=8192, size=1040384, type=c, bootable
start=1048576, type=83
PARTS
# 1040384 sectors of 512 B = 520192 KiB for the firmware partition; the rest (1536 MiB) is the root.
mkfs.vfat -F 32 -n RASPIFIRM -C "$work/boot.vfat" 520192 >/dev/null
mcopy -s -i "$work/boot.vfat" "$work/firmware/"* ::
mke2fs -q -t ext4 -L RASPIROOT -d "$root" "$work/root.ext4" 1536M
dd if="$work/boot.vfat" of="$img" bs=1M seek=4 conv=notrunc,sparse status=none
dd if="$work/root.ext4" of="$img" bs=1M seek=512 conv=notrunc,sparse status=none
rm -f "$work/boot.vfat" "$work/root.ext4"

# --- 4. compress + checksum --------------------------------------------------------------------------
[ "$xz" = 1 ] || { step "done: $img (not compressed: --no-xz)"; exit 0; }
step "compress: xz (≈ 5 min on 2 cores)"
xz -T0 -6 -k -f "$img"
(cd "$out" && sha256sum "$(basename "$img").xz" > "$(basename "$img").xz.sha256")
step "done: $img.xz ($(du -h --apparent-size "$img.xz" | cut -f1)), $(cat "$img.xz.sha256" | cut -c1-16)…"
