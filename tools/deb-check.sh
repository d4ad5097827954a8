#!/bin/sh
# SPDX-License-Identifier: ISC
# Installs a ballast .deb for real, in a throwaway mount namespace: /etc,
# /usr and /var are overlays whose changes vanish when it ends, so the
# machine (its users, its dpkg database) is left as it was.  Checks what
# an administrator would: the users, the files, the conffiles, that the
# installed balancer started as root runs as ballast and serves, that
# purge removes it; then, outside, that nothing leaked.  Needs root.
# Usage: tools/deb-check.sh PACKAGE.deb
set -u
deb=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ "$(id -u)" = 0 ] || { echo "deb-check: run as root" >&2; exit 1; }
fails=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fails=$((fails + 1)); }
check() { d=$1; shift; if "$@"; then ok "$d"; else notok "$d"; fi; }

if [ "${DEB_CHECK_INSIDE:-}" != 1 ]; then
	OV=$(mktemp -d /tmp/ballast-deb.XXXXXX)
	trap 'rm -rf "$OV"' EXIT
	DEB_CHECK_INSIDE=1 OV=$OV unshare -m --propagation private "$0" "$deb"
	rc=$?
	check "outside the namespace no ballast user was created" \
	    sh -c '! getent passwd ballast >/dev/null'
	check "and no package installed" sh -c '! dpkg -s ballast >/dev/null 2>&1'
	[ "$rc" -eq 0 ] && [ "$fails" -eq 0 ]
	exit $?
fi

# --- inside: overlays, then the package ---------------------------------
for d in etc usr var; do
	mkdir -p "$OV/$d.up" "$OV/$d.work"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$OV/$d.up,workdir=$OV/$d.work" "/$d" ||
	    { echo "deb-check: cannot overlay /$d" >&2; exit 1; }
done
check "dpkg -i installs the package" sh -c "dpkg -i '$deb' > '$OV/dpkg.log' 2>&1" ||
    cat "$OV/dpkg.log"
pw=$(getent passwd ballast)
check "postinst created the system user ballast ($pw)" \
    sh -c "echo '$pw' | grep -q '^ballast:x:[0-9]*:[0-9]*:.*:/var/lib/ballast:/usr/sbin/nologin$'"
check "and ballast-collector" sh -c 'getent passwd ballast-collector >/dev/null'
check "/var/lib/ballast belongs to ballast, mode 0750" \
    [ "$(stat -c '%U %a' /var/lib/ballast)" = "ballast 750" ]
for f in /usr/sbin/ballast-balancerd /usr/sbin/ballast-collectord /usr/bin/ballastctl \
    /usr/bin/ballast-sim /etc/ballast/ballast-balancerd.conf /etc/ballast/default.policy \
    /lib/systemd/system/ballast-balancerd.service /lib/systemd/system/ballast-collectord.service \
    /usr/share/man/man8/ballast-balancerd.8.gz /usr/share/man/man5/ballast-balancerd.conf.5.gz \
    /usr/share/snmp/mibs/BALLAST-MIB.txt; do
	check "installed: $f" test -f "$f"
done
check "the configuration files are conffiles" sh -c \
    "dpkg-query -W -f='\${Conffiles}' ballast | grep -q /etc/ballast/ballast-balancerd.conf"
check "the units are installed, not enabled" \
    sh -c '! ls /etc/systemd/system/multi-user.target.wants/ballast-* 2>/dev/null'

# The installed balancer, started as root, becomes ballast and serves.
port=$((30000 + $$ % 20000))
/usr/sbin/ballast-balancerd -f /etc/ballast/ballast-balancerd.conf \
    --api "127.0.0.1:$port" --reports "tcp://127.0.0.1:$((port + 1))" \
    > "$OV/balancerd.log" 2>&1 &
bal=$!
up=1
for i in $(seq 1 50); do
	curl -fsS "http://127.0.0.1:$port/api/v1/status" >/dev/null 2>&1 && { up=0; break; }
	sleep 0.2
done
check "the installed balancer serves its API" [ "$up" = 0 ]
check "running as ballast" [ "$(ps -o user= -p "$bal")" = ballast ]
kill "$bal"; wait "$bal" 2>/dev/null
check "it wrote its state in /var/lib/ballast as ballast" \
    [ "$(stat -c %U /var/lib/ballast/api.token 2>/dev/null)" = ballast ]
sed 's/^/# /' "$OV/balancerd.log"

check "dpkg --purge removes it" sh -c 'dpkg --purge ballast >/dev/null 2>&1'
check "its programs are gone" test ! -e /usr/sbin/ballast-balancerd
check "its configuration and state are gone" sh -c '[ ! -e /etc/ballast ] && [ ! -e /var/lib/ballast ]'
exit "$fails"
