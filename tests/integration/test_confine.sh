#!/bin/sh
# SPDX-License-Identifier: ISC
# Readiness, watchdog and privilege drop of both daemons, as systemd
# sees them: a listener on $NOTIFY_SOCKET (what systemd's manager does
# for Type=notify) gets READY=1 once the daemon answers, WATCHDOG=1 at
# half of $WATCHDOG_USEC, and STOPPING=1 at a stop.  Started as root
# with "user nobody", each runs as nobody afterwards and goes on
# working (the balancer serving its API from a state directory it now
# owns, the collector reporting); not as root, those checks are skipped
# and say so.
. "$(dirname "$0")/lib.sh"

listen_notify() {	# listen_notify NAME: sets NOTIFY_SOCKET, $WORK/NAME.notify
	NOTIFY_SOCKET="$WORK/$1.sock"
	python3 "$ROOT/tests/integration/notify_listen.py" "$NOTIFY_SOCKET" \
	    "$WORK/$1.notify" &
	PIDS="$PIDS $!"
	wait_for 5 test -S "$NOTIFY_SOCKET"
	# as systemd's: anyone may send (the daemon is nobody by then)
	chmod 0777 "$NOTIFY_SOCKET"
	export NOTIFY_SOCKET
}
count() { cat "$WORK/$1.notify" 2>/dev/null | grep -c " $2\$"; }
# notified NAME WHO: READY=1 once, then WATCHDOG=1 every half second
notified() {
	ready() { [ "$(count "$1" READY=1)" = 1 ]; }
	check "the $2 said READY=1 once it was up" wait_for 10 ready "$1"
	sleep 3
	n=$(count "$1" WATCHDOG=1)
	note "$2: $n WATCHDOG=1 in about 3 s with WatchdogSec=1s"
	check "and WATCHDOG=1 about every 0.5 s (at least 4 in 3 s)" [ "$n" -ge 4 ]
}
uid_of() { awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$1/status"; }
nobody=$(id -u nobody 2>/dev/null || echo none)
chmod 0755 "$WORK"

# --- the balancer ------------------------------------------------------
listen_notify bal
printf 'user nobody\n' > "$WORK/bal.conf"
[ "$(id -u)" = 0 ] || : > "$WORK/bal.conf"
WATCHDOG_USEC=1000000 start_balancer -f "$WORK/bal.conf"
unset WATCHDOG_USEC
notified bal balancer
if [ "$(id -u)" = 0 ]; then
	check "started as root with user nobody, it runs as nobody" \
	    [ "$(uid_of "$BAL_PID")" = "$nobody $nobody $nobody $nobody" ]
	check "the state directory is nobody's" [ "$(stat -c %u "$WORK/state")" = "$nobody" ]
	check "the operator token in it too" [ "$(stat -c %u "$WORK/state/api.token")" = "$nobody" ]
	check "the log says so" grep -q "running as user nobody" "$WORK/balancer.log"
else
	note "skipped: the privilege drop needs root"
fi
start_sim --hosts 2 --vms 4 --step 1
hosts2() { [ "$(status_field hosts)" = 2 ]; }
check "after the drop it still takes reports" wait_for 15 hosts2
ckpt_new() { [ "$WORK/state/ingest.checkpoint" -nt "$WORK/state/api.token" ]; }
check "and writes its checkpoint" wait_for 5 ckpt_new
kill "$SIM_PID"
kill "$BAL_PID"
wait_for 10 sh -c "! kill -0 $BAL_PID 2>/dev/null"
check "the balancer said STOPPING=1 at SIGTERM" [ "$(count bal STOPPING=1)" = 1 ]

# A user named in the configuration that does not exist: no start.
rm -rf "$WORK/state2"
printf 'user no-such-user-here\n' > "$WORK/bad.conf"
if [ "$(id -u)" = 0 ]; then
	"$BIN/ballast-balancerd" -f "$WORK/bad.conf" --state-dir "$WORK/state2" \
	    --api "127.0.0.1:$API_PORT" --reports "$REPORTS" >"$WORK/bad.log" 2>&1 &
	BAD=$!
	PIDS="$PIDS $BAD"
	check "a configured user that does not exist keeps it from starting" \
	    wait_for 10 sh -c "! kill -0 $BAD 2>/dev/null"
	check "with the reason" grep -q 'user "no-such-user-here" does not exist' "$WORK/bad.log"
fi

# --- the collector -----------------------------------------------------
cat > "$WORK/node.xml" <<XML
<node>
  <domain type='test'>
    <name>c1</name>
    <uuid>5e1f0c3a-0000-4000-8000-0000000000c1</uuid>
    <memory>1048576</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
  </domain>
</node>
XML
chmod 0644 "$WORK/node.xml"
rm -rf "$WORK/state"
start_balancer
listen_notify col
printf 'user nobody\n' > "$WORK/col.conf"
[ "$(id -u)" = 0 ] || : > "$WORK/col.conf"
WATCHDOG_USEC=1000000 "$BIN/ballast-collectord" -f "$WORK/col.conf" \
    --balancer "$REPORTS" --host-name hvc --interval 1 \
    --connect "test://$WORK/node.xml" >>"$WORK/col.log" 2>&1 &
COL=$!
PIDS="$PIDS $COL"
unset WATCHDOG_USEC
notified col collector
if [ "$(id -u)" = 0 ]; then
	check "started as root with user nobody, the collector runs as nobody" \
	    [ "$(uid_of "$COL")" = "$nobody $nobody $nobody $nobody" ]
	check "with no capabilities left" \
	    [ "$(awk '/^CapEff:/ { print $2 }' "/proc/$COL/status")" = 0000000000000000 ]
fi
vm_here() { get /api/v1/vms | jq -e '.[] | select(.name == "c1" and .host == "hvc")' >/dev/null; }
check "its reports still reach the balancer" wait_for 15 vm_here
r1=$(status_field reports_received); sleep 2
r2=$(status_field reports_received)
check "and keep coming ($r1, then $r2)" [ "$r2" -gt "$r1" ]
kill "$COL"
wait_for 10 sh -c "! kill -0 $COL 2>/dev/null"
check "the collector said STOPPING=1 at SIGTERM" [ "$(count col STOPPING=1)" = 1 ]
finish
