#!/bin/sh
# SPDX-License-Identifier: ISC
# make install / make uninstall into a DESTDIR: every file where the FHS
# says (daemons in sbin, tools in bin, the configuration and policies in
# /etc/ballast, the state directory, man pages by section, MIBs, units,
# sysusers.d), nothing elsewhere; the installed balancer accepts the
# installed configuration; a configuration changed by the operator is
# neither overwritten nor removed; make uninstall removes the rest.
. "$(dirname "$0")/lib.sh"

# The build the tests use: the sanitizer one under make check.
case $BIN in *build-san/bin) SAN=1 ;; *) SAN=0 ;; esac
inst() {	# inst TARGET DESTDIR [VAR=VALUE...]
	target=$1 dest=$2; shift 2
	make -s -C "$ROOT" SAN=$SAN DESTDIR="$dest" "$@" "$target" >"$WORK/make.log" 2>&1 ||
	    { cat "$WORK/make.log"; return 1; }
}
D="$WORK/dest"
check "make install PREFIX=/usr DESTDIR=... succeeds" inst install "$D" PREFIX=/usr

mode_is() { [ "$(stat -c %a "$D$1")" = "$2" ] || { note "$1: mode $(stat -c %a "$D$1" 2>&1), not $2"; return 1; }; }
all_there() {	# all_there MODE PATH...: each a file of that mode
	m=$1; shift
	for f in "$@"; do [ -f "$D$f" ] && mode_is "$f" "$m" || { note "missing or wrong: $f"; return 1; }; done
}
check "the daemons in /usr/sbin" all_there 755 /usr/sbin/ballast-balancerd /usr/sbin/ballast-collectord
check "ballastctl and ballast-sim in /usr/bin" all_there 755 /usr/bin/ballastctl /usr/bin/ballast-sim
man_list() { for f in "$ROOT"/man/*.[158]; do b=${f##*/}; echo "/usr/share/man/man${b##*.}/$b"; done; }
# shellcheck disable=SC2046
check "every man page in its section under /usr/share/man" all_there 644 $(man_list)
check "the MIB modules in /usr/share/snmp/mibs" all_there 644 \
    $(for f in "$ROOT"/mibs/*.txt; do echo "/usr/share/snmp/mibs/${f##*/}"; done)
check "the example configurations and the shipped policies in /etc/ballast" all_there 644 \
    /etc/ballast/ballast-balancerd.conf /etc/ballast/ballast-collectord.conf \
    /etc/ballast/default.policy /etc/ballast/conservative.policy \
    /etc/ballast/aggressive.policy /etc/ballast/consolidation.policy
check "the units in /lib/systemd/system" all_there 644 \
    /lib/systemd/system/ballast-balancerd.service /lib/systemd/system/ballast-collectord.service
check "the users in /usr/lib/sysusers.d" all_there 644 /usr/lib/sysusers.d/ballast.conf
check "the state directory /var/lib/ballast, mode 0750" sh -c "[ -d '$D/var/lib/ballast' ] && [ \$(stat -c %a '$D/var/lib/ballast') = 750 ]"
find "$D" -type f | sed "s|^$D||" | sort > "$WORK/installed"
n=$(wc -l < "$WORK/installed")
note "$n files installed"
others() { ! grep -Ev '^/(usr/(s?bin|share/(man|snmp/mibs)|lib/sysusers.d)|etc/ballast|lib/systemd/system)/' "$WORK/installed"; }
check "and no file anywhere else" others

sed "s|/etc/ballast|$D/etc/ballast|g" "$D/etc/ballast/ballast-balancerd.conf" > "$WORK/b.conf"
check "the installed balancer accepts the installed configuration" \
    sh -c "'$D/usr/sbin/ballast-balancerd' -n -f '$WORK/b.conf' | grep -qx 'configuration OK'"
check "the installed collector accepts its configuration" \
    sh -c "'$D/usr/sbin/ballast-collectord' -n -f '$D/etc/ballast/ballast-collectord.conf' | grep -qx 'configuration OK'"
for p in default conservative aggressive consolidation; do
	check "ballastctl policy check accepts the installed $p.policy" \
	    sh -c "'$D/usr/bin/ballastctl' policy check '$D/etc/ballast/$p.policy' >/dev/null"
done

# An operator's change survives a new install and the uninstall.
echo "log-level debug" >> "$D/etc/ballast/ballast-balancerd.conf"
cp "$D/etc/ballast/ballast-balancerd.conf" "$WORK/changed.conf"
check "make install again" inst install "$D" PREFIX=/usr
check "keeps the changed configuration" cmp -s "$WORK/changed.conf" "$D/etc/ballast/ballast-balancerd.conf"
check "make uninstall succeeds" inst uninstall "$D" PREFIX=/usr
check "and says it kept the changed configuration" grep -q "kept .*ballast-balancerd.conf" "$WORK/make.log"
left=$(find "$D" -type f | sed "s|^$D||")
check "make uninstall removes every other file (left: $left)" [ "$left" = /etc/ballast/ballast-balancerd.conf ]
rm -f "$D/etc/ballast/ballast-balancerd.conf"
inst uninstall "$D" PREFIX=/usr
check "and the empty /etc/ballast and /var/lib/ballast" sh -c "[ ! -e '$D/etc/ballast' ] && [ ! -e '$D/var/lib/ballast' ]"

# The default PREFIX is /usr/local; the configuration stays in /etc.
L="$WORK/local"
check "make install with the default PREFIX" inst install "$L"
D=$L
check "puts the programs and man pages under /usr/local" all_there 755 \
    /usr/local/sbin/ballast-balancerd /usr/local/bin/ballastctl
check "and the configuration in /etc/ballast" all_there 644 /etc/ballast/default.policy
check "make uninstall with the default PREFIX" inst uninstall "$L"
check "leaves no file" [ -z "$(find "$L" -type f)" ]
finish
