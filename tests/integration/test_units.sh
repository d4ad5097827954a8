#!/bin/sh
# SPDX-License-Identifier: ISC
# The systemd units in systemd/: systemd-analyze rates their exposure
# offline (no running systemd needed) at most 2.0 for the balancer and
# 4.5 for the collector; both are Type=notify with a watchdog, and
# start the programs where make install puts them.
. "$(dirname "$0")/lib.sh"

score() {	# score UNIT: the overall exposure systemd-analyze gives it
	systemd-analyze security --offline=yes "$ROOT/systemd/$1" 2>"$WORK/$1.err" |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}
at_most() { python3 -c "import sys; sys.exit(0 if '$1' != '' and float('$1') <= $2 else 1)"; }

if ! command -v systemd-analyze >/dev/null; then
	notok "systemd-analyze is installed (Debian's systemd)"
	finish
fi
b=$(score ballast-balancerd.service)
c=$(score ballast-collectord.service)
note "systemd-analyze security --offline=yes: ballast-balancerd.service $b, ballast-collectord.service $c"
check "the balancer's unit is rated at most 2.0 ($b)" at_most "$b" 2.0
check "the collector's unit is rated at most 4.5 ($c)" at_most "$c" 4.5
for u in ballast-balancerd ballast-collectord; do
	f="$ROOT/systemd/$u.service"
	check "$u.service is Type=notify with a watchdog" \
	    sh -c "grep -qx 'Type=notify' '$f' && grep -q '^WatchdogSec=' '$f'"
	check "$u.service starts /usr/sbin/$u" grep -q "^ExecStart=/usr/sbin/$u " "$f"
	check "$u.service has no unknown or misspelt setting" \
	    sh -c "! grep -qi 'unknown\|failed to parse' '$WORK/$u.service.err'"
done
finish
