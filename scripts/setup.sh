#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine of this kind: the real peers the tests
# talk to (snmpd, dig, openssl, testssl.sh, chromium, mosquitto), pdftotext (poppler-utils) to read report PDFs back,
# and the npm dependencies pinned in package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# Operations tests (issue 16): promtool (in Debian's prometheus package), rsyslogd with the OpenSSL stream driver.
# The binary tests also need: systemd (systemd-analyze, systemd-notify), qemu-user-static and the arm64 cross
# libraries (the arm64 binary runs under emulation), binutils-aarch64-linux-gnu (strip), xz-utils.
DEBS=(snmpd snmp bind9-dnsutils openssl testssl.sh chromium mosquitto mosquitto-clients socat python3 systemd qemu-user-static poppler-utils
  binutils-aarch64-linux-gnu xz-utils curl libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross
  prometheus rsyslog rsyslog-openssl)
# git: the binary build stamps the commit it was built from (scripts/build-binary.ts).
DEBS+=(git)
# The DNS page's snippets are checked by the real tools (test/system/dns-snippets.test.ts): named-checkzone, dnsmasq --test, dhcpd -t.
DEBS+=(bind9-utils dnsmasq-base isc-dhcp-server)
missing=()
for p in "${DEBS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  # The packaged daemons must not grab ports or run as services here: tests start their own instances.
  echo 'exit 101' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
echo "setup: done"
