#!/bin/sh
# SPDX-License-Identifier: ISC
# A stalled guest must not hold up the others (collectd #1775): three
# tiny QEMU guests under a private libvirtd, one collector reporting
# every second with a 300 ms bound on each libvirt call.  One guest's
# QEMU is stopped with SIGSTOP, so libvirt's calls that need its
# monitor hang: the reports keep coming every second, the two others
# stay fresh and their counters move, the stalled one keeps its last
# values marked stale (said once in the log), and after SIGCONT it is
# read again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtd.sh"
. "$(dirname "$0")/guests.sh"
trap 'for p in $(virtd_guest_pids hv01); do kill -CONT "$p" 2>/dev/null; done; virtd_stop_all; cleanup' EXIT INT TERM
jqt() { jq -e "$@" >/dev/null; }

if ! virtd_usable || ! command -v qemu-system-x86_64 >/dev/null; then
	note "skipped: needs root, libvirtd, virsh, qemu-system-x86_64 and mount namespaces (unshare -m: CAP_SYS_ADMIN)"
	exit 0
fi
note "guests run under $GUEST_TYPE"
virtd_start hv01 0b1a5e02-0000-4000-8000-000000000001 || finish
for i in 1 2 3; do
	guest_image quiet "$WORK/s$i.img"
	guest_xml "s$i" "0b1a5e00-0000-4000-8000-0000000000b$i" "$WORK/s$i.img" \
	    > "$WORK/s$i.xml"
	virsh -q -c "$VIRTD_URI" create "$WORK/s$i.xml" >/dev/null ||
	    { notok "guest s$i starts"; finish; }
done
start_balancer
"$BIN/ballast-collectord" --connect "$VIRTD_URI" --balancer "$REPORTS" \
    --host-name hv01 --interval 1 --stats-timeout 300 >>"$WORK/hv01.log" 2>&1 &
COL=$!
PIDS="$PIDS $COL"
vm() { get /api/v1/vms | jq -c --arg v "$1" '.[] | select(.name == $v)'; }
rated() { vm "$1" | jqt '.has_rates and .stale == false'; }
check "the three guests are reported with rates" wait_for 20 sh -c \
    "curl -fsS $API/api/v1/vms | jq -e '[.[] | select(.has_rates)] | length == 3' >/dev/null"

qpid=$(cat "$WORK/hv01/run/qemu/s2.pid" 2>/dev/null)
[ -n "$qpid" ] || { notok "found s2's QEMU"; finish; }
cpu1=$(vm s1 | jq .cpu_util)
kill -STOP "$qpid"
note "s2's QEMU ($qpid) stopped"

# every half second for at least 8 s (a millisecond clock: a window
# counted in whole seconds can be as short as 7): the host's report and
# the others' state
: > "$WORK/seen"
end=$(( $(date +%s%3N) + 8000 ))
while :; do
	now=$(date +%s%3N)
	get /api/v1/hosts/hv01 | jq -c '{seq, t: .sample_time_ms}' >> "$WORK/seen"
	get /api/v1/vms | jq -c '[.[] | {name, stale, cpu: .cpu_util}]' >> "$WORK/vms"
	[ "$now" -lt "$end" ] || break
	sleep 0.5
done
gaps=$(jq -s '[. as $a | range(1; length) | select($a[.].seq != $a[.-1].seq) | ($a[.].t - $a[.-1].t)] | max' "$WORK/seen")
nrep=$(jq -s 'last.seq - first.seq' "$WORK/seen")
note "8 s with s2 stopped: $nrep reports, longest gap between sample times $gaps ms"
check "reports keep coming every second (at least 7 in 8 s)" [ "$nrep" -ge 7 ]
check "on time: no gap between two reports' sample times above 1.5 s" [ "$gaps" -le 1500 ]
check "s1 and s3 stay fresh the whole time" \
    sh -c "! jq -e '.[] | select((.name == \"s1\" or .name == \"s3\") and .stale)' '$WORK/vms' >/dev/null"
vm s1 > "$WORK/s1.json"
note "s1 now: $(jq -c '{cpu_util, stale}' "$WORK/s1.json") (before: cpu_util $cpu1)"
check "and their counters move (s1 uses CPU)" jqt '.cpu_util > 0 and .has_rates' "$WORK/s1.json"
check "s2 keeps its last values, marked stale" sh -c "curl -fsS $API/api/v1/vms | jq -e '.[] | select(.name == \"s2\") | .stale and .host == \"hv01\"' >/dev/null"
check "the log says so once" [ "$(grep -c 'VM s2: stale' "$WORK/hv01.log")" = 1 ]
grep 'VM s2: stale' "$WORK/hv01.log" | sed 's/^/# /'
kill -CONT "$qpid"
fresh() { vm s2 | jqt '.stale == false'; }
check "after SIGCONT s2 is read again within 5 s" wait_for 5 fresh
check "and the log says that too" grep -q 'VM s2: read again' "$WORK/hv01.log"
sleep 2
check "with sane rates after the gap (CPU 0..1 of its vCPU)" \
    sh -c "curl -fsS $API/api/v1/vms | jq -e '.[] | select(.name == \"s2\") | .cpu_util >= 0 and .cpu_util <= 1.05 and .resets == 0' >/dev/null"
check "the collector stops cleanly on SIGTERM, no sanitizer report" stop_clean "$COL"
finish
