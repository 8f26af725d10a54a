#!/bin/sh
# Prints the path of an arm64 glibc sysroot for `qemu-aarch64-static -L` (testing the arm64 binary on x64).
# Uses the installed Debian cross packages when present, else unpacks the same .debs into DIR without
# installing anything (apt-get download needs no root; dpkg-deb -x neither).
#   scripts/binary/arm64-sysroot.sh [DIR]     (default build/arm64-sysroot)
set -eu
if [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] && [ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ]; then
  echo /usr/aarch64-linux-gnu
  exit 0
fi
dir="${1:-build/arm64-sysroot}"
if [ ! -e "$dir/usr/aarch64-linux-gnu/lib/libstdc++.so.6" ]; then
  mkdir -p "$dir/debs"
  (cd "$dir/debs" && apt-get download -q libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross >&2)
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir"; done
fi
echo "$(cd "$dir/usr/aarch64-linux-gnu" && pwd)"
