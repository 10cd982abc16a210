#!/usr/bin/env bash
# Puts Debian's pure-ftpd next to vsftpd for the lab's second FTP server. Every Debian FTP server Provides and
# Conflicts with "ftp-server", so apt cannot install pure-ftpd while vsftpd is installed (it would remove vsftpd and
# its "ftp" user). The lab needs only the two binaries, started by the tests with their own options, so the package
# is fetched with apt-get download and unpacked under $PURE_FTPD_ROOT (not registered with dpkg, no service, no
# inetd entry); its libraries come from ordinary apt-get install.
# Usage (root): lab/install-pure-ftpd.sh    Result: $PURE_FTPD_ROOT/usr/sbin/pure-ftpd and .../usr/bin/pure-pw
set -euo pipefail
root=${PURE_FTPD_ROOT:-/opt/router-lab/pure-ftpd}
if [ -x "$root/usr/sbin/pure-ftpd" ] && [ -x "$root/usr/bin/pure-pw" ]; then exit 0; fi

export DEBIAN_FRONTEND=noninteractive
libraries=(libc6 libcap2 libcrypt1 libpam0g libsodium23 libssl3)
missing=()
for p in "${libraries[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
chmod 755 "$download" # apt-get download runs as _apt where it can
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; fi
(cd "$download" && apt-get download -qq pure-ftpd)
mkdir -p "$root"
dpkg-deb -x "$download"/pure-ftpd_*.deb "$root"
"$root/usr/sbin/pure-ftpd" --help 2>&1 | head -1
