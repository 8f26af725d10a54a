#!/bin/sh
# First-boot identity for an instant-on-edge SD card (see instant-on-edge-firstboot.service).
# - hostname: instant-on-XXXXXX from the machine-id, so every card differs and the name is stable;
# - admin password: 4 groups of 4 characters from /dev/urandom (no look-alike characters), set for the
#   local `admin` console account and handed to the appliance as INSTANT_ON_ADMIN_PASSWORD in
#   /etc/instant-on-edge/first-boot.env (root-only; systemd reads it for instant-on-edge.service, whose
#   first start creates the web admin account with it);
# - both are printed on the console and added to the login banner (/etc/issue.d).
set -eu
marker=/var/lib/instant-on-edge-firstboot

# An image carries no machine-id; systemd makes one at first boot (hex), so read it, not the image's.
suffix="$(head -c 6 /etc/machine-id 2>/dev/null | tr -dc '0-9a-f' || true)"
[ "${#suffix}" -eq 6 ] || suffix="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
host="instant-on-$suffix"
echo "$host" > /etc/hostname
hostname "$host" 2>/dev/null || true
if grep -q '^127\.0\.1\.1' /etc/hosts; then
  sed -i "s/^127\.0\.1\.1.*/127.0.1.1\t$host/" /etc/hosts
else
  printf '127.0.1.1\t%s\n' "$host" >> /etc/hosts
fi

alphabet='abcdefghjkmnpqrstuvwxyz23456789'
password="$(tr -dc "$alphabet" < /dev/urandom | head -c 16 | sed 's/.\{4\}/&-/g; s/-$//')"

id admin >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --comment 'appliance admin' admin
echo "admin:$password" | chpasswd

mkdir -p /etc/instant-on-edge
(umask 077 && printf 'INSTANT_ON_ADMIN_PASSWORD=%s\n' "$password" > /etc/instant-on-edge/first-boot.env)

mkdir -p /etc/issue.d
cat > /etc/issue.d/instant-on-edge.issue <<ISSUE

  instant-on-edge appliance "$host"
  Admin page: https://$host/ (or https://\4/) - sign in as "admin".
  First-boot admin password: $password
  Change it on the admin page after signing in.

ISSUE

msg="instant-on-edge first boot: hostname $host, admin password $password"
echo "$msg"
mkdir -p "$marker"
touch "$marker/done"
