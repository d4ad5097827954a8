#!/bin/sh
# SPDX-License-Identifier: ISC
# ballast-collectord against libvirt's test driver, with the real
# balancer: discovery and per-VM counters from a node XML holding
# several domains (read in-process: the test driver's bulk stats say
# only state.*, so this is the per-domain path), a migration the driver
# cannot do failing with its reason while the VM stays put, the exec
# actuator's failure and deadline; then, through a private libvirtd
# serving test:///default, a domain created and destroyed at runtime
# (lifecycle events) and the connection lost and regained.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtd.sh"
trap 'virtd_stop_all; cleanup' EXIT INT TERM
jqt() { jq -e "$@" >/dev/null; }

# start_collector NAME ARGS...: one collector, log in $WORK/NAME.log
start_collector() {
	n=$1; shift
	"$BIN/ballast-collectord" --balancer "$REPORTS" --host-name "$n" \
	    --interval 1 "$@" >>"$WORK/$n.log" 2>&1 &
	CPIDS="$CPIDS $!"
	PIDS="$PIDS $!"
}
CPIDS=""

# domain NAME NUMBER DEVICES: a test-driver domain
domain() {
	cat <<EOF
  <domain type='test'>
    <name>$1</name>
    <uuid>5e1f0c3a-0000-4000-8000-0000000000$2</uuid>
    <memory>1048576</memory>
    <currentMemory>786432</currentMemory>
    <vcpu>2</vcpu>
    <os><type>hvm</type></os>
    <devices>$3</devices>
  </domain>
EOF
}
nic() { echo "<interface type='bridge'><source bridge='br0'/><target dev='$1'/></interface>"; }
disk() { echo "<disk type='file' device='disk'><source file='/srv/$1.img'/><target dev='$1' bus='virtio'/></disk>"; }
node() {
	echo "<node><cpu><mhz>2600</mhz><model>i686</model><active>16</active><total>16</total><nodes>1</nodes><sockets>1</sockets><cores>8</cores><threads>2</threads></cpu><memory>33554432</memory>"
	cat
	echo "</node>"
}

{
	domain web-1 01 "$(disk vda)$(nic tap-web1)<memballoon model='virtio'/>"
	domain web-2 02 "$(nic tap-web2)"
	domain db-1 03 "$(disk vda)$(disk vdb)$(nic tap-db1a)$(nic tap-db1b)"
	domain cache-1 04 ""
} | node > "$WORK/hv01.xml"
domain app-1 11 "$(nic tap-app1)" | node > "$WORK/hv02.xml"
{
	domain batch-1 21 "$(nic tap-batch1)"
	domain batch-2 22 "$(nic tap-batch2)"
} | node > "$WORK/hv03.xml"

start_balancer
start_collector hv01 --connect "test://$WORK/hv01.xml"
start_collector hv02 --connect "test://$WORK/hv02.xml"

vms_on() { get /api/v1/vms | jq --arg h "$1" '[.[] | select(.host == $h)] | length'; }
vm() { get /api/v1/vms | jq -c --arg v "$1" '.[] | select(.name == $v)'; }
four_on_hv01() { [ "$(vms_on hv01)" = 4 ]; }
check "hv01's collector finds the node's 4 domains" wait_for 15 four_on_hv01
check "and hv02's its one" [ "$(vms_on hv02)" = 1 ]
rated() { vm "$1" | jqt '.has_rates' >/dev/null; }
wait_for 10 rated web-1
wait_for 10 rated db-1
vm web-1 > "$WORK/web1.json"; vm web-2 > "$WORK/web2.json"; vm db-1 > "$WORK/db1.json"
note "web-1: $(jq -c '{cpu_util, mem_bytes, disk_rd_bps, net_rx_bps, vcpus, stale}' "$WORK/web1.json")"
check "web-1's CPU, memory, disk and network counters reach the API" \
    jqt '.cpu_util > 0 and .mem_bytes > 0 and .mem_max_bytes == 1073741824
    and .disk_rd_bps > 0 and .disk_wr_bps > 0 and .net_rx_bps > 0
    and .vcpus == 2 and .state == "running" and .stale == false' "$WORK/web1.json"
check "web-1's memory is its balloon's RSS (384 MiB of 768 MiB, max 1 GiB)" \
    jqt '.mem_bytes == 402653184 and .mem_balloon_bytes == 805306368' "$WORK/web1.json"
# the test driver's counters grow with time, alike on every device:
# db-1's two NICs give twice web-2's one
ratio=$(jq -s '.[1].net_rx_bps / .[0].net_rx_bps' "$WORK/web2.json" "$WORK/db1.json")
note "db-1 / web-2 network rate: $ratio"
check "every device is counted: db-1 (2 NICs) receives twice web-2 (1 NIC)" \
    python3 -c "import sys; sys.exit(0 if 1.8 < $ratio < 2.2 else 1)"
check "no VM is stale" [ "$(get /api/v1/vms | jq '[.[] | select(.stale)] | length')" = 0 ]
get /api/v1/hosts/hv01 > "$WORK/hv01.json"
check "hv01 reports the host's own counters (CPUs, memory, utilisation)" \
    jqt '.cpus > 0 and .mem_bytes > 0 and .has_rates and .stale == false' "$WORK/hv01.json"

# --- a migration the driver cannot do --------------------------------
token=$(cat "$WORK/state/api.token")
ctl() { "$BIN/ballastctl" --api "$API" --token "$token" "$@"; }
ctl migrate web-1 hv02 --wait >"$WORK/mig1.out" 2>&1
rc=$?
note "$(tail -1 "$WORK/mig1.out")"
check "ballastctl migrate --wait reports the failure (exit 1)" [ "$rc" = 1 ]
get /api/v1/migrations | jq -c '.[0] | {vm, state, error}' > "$WORK/mig1.json"
check "the migration failed with libvirt's reason" \
    jqt '.state == "failed" and (.error | test("not supported"))' "$WORK/mig1.json"
check "and the status says the VM stays on hv01" \
    jqt '.error | test("keeps running on hv01")' "$WORK/mig1.json"
sleep 2
check "web-1 still reports from hv01" [ "$(vm web-1 | jq -r .host)" = hv01 ]

# --- the exec actuator ----------------------------------------------
cat > "$WORK/move.sh" <<'EOF'
#!/bin/sh
# a stand-in for "qm migrate": batch-1 is refused, batch-2 hangs
case "$1" in
batch-1) echo "no room on $2 for $1" >&2; exit 3 ;;
esac
sleep 60 &
echo $! > "$(dirname "$0")/sleep.pid"
wait
EOF
cat > "$WORK/hv03.conf" <<EOF
actuator exec
exec "sh $WORK/move.sh {vm} {dest}"
migrate {
	timeout 3 seconds
}
EOF
start_collector hv03 --connect "test://$WORK/hv03.xml" -f "$WORK/hv03.conf"
two_on_hv03() { [ "$(vms_on hv03)" = 2 ]; }
wait_for 15 two_on_hv03
ctl migrate batch-1 hv02 --wait >/dev/null 2>&1
err=$(get /api/v1/migrations | jq -r '.[0].error')
note "batch-1: $err"
check "exec: a failing command's exit status and stderr are the reason" \
    [ "$err" = "exit 3: no room on hv02 for batch-1" ]
t0=$(date +%s)
ctl migrate batch-2 hv02 --wait >/dev/null 2>&1
dt=$(( $(date +%s) - t0 ))
err=$(get /api/v1/migrations | jq -r '.[0].error')
note "batch-2 after $dt s: $err"
check "exec: the deadline stops a command that hangs" \
    sh -c "echo '$err' | grep -q 'deadline passed after 3 s'"
check "within the deadline and a second" [ "$dt" -le 6 ]
gone() { ! pgrep -f "$WORK/move.sh" >/dev/null && ! kill -0 "$(cat "$WORK/sleep.pid")" 2>/dev/null; }
check "and no process of it is left (its process group was stopped)" wait_for 2 gone
check "both VMs stay on hv03" [ "$(vms_on hv03)" = 2 ]

# --- runtime changes and a lost connection, through libvirtd ----------
if ! virtd_usable; then
	note "skipped here: the runtime and connection checks need root, libvirtd, virsh and mount namespaces (unshare -m: CAP_SYS_ADMIN)"
	finish
fi
virtd_start td 7d4c6f3e-0000-4000-8000-00000000000d || finish
TURI="test+unix:///default?socket=$VIRTD_SOCK"
start_collector hv04 --connect "$TURI"
on_hv04() { [ "$(vm "$1" | jq -r .host)" = hv04 ]; }
check "hv04 finds test:///default's domain through libvirtd" wait_for 15 on_hv04 test
domain rt-1 31 "$(nic tap-rt1)" | sed 's/^  //' > "$WORK/rt1.xml"
virsh -q -c "$TURI" create "$WORK/rt1.xml" >/dev/null
# the full list is read every 60 s: this is the lifecycle event
check "a domain created at runtime appears within 5 s (lifecycle event)" \
    wait_for 5 on_hv04 rt-1
virsh -q -c "$TURI" destroy rt-1 >/dev/null
not_on_hv04() { ! on_hv04 "$1"; }
check "a domain destroyed at runtime leaves hv04's report within 5 s" \
    wait_for 5 not_on_hv04 rt-1
seq0=$(get /api/v1/hosts/hv04 | jq .seq)
virtd_stop td
sleep 5
get /api/v1/hosts/hv04 > "$WORK/hv04.json"
note "hv04 without libvirt: $(jq -c '{seq, stale, vms}' "$WORK/hv04.json") (seq was $seq0)"
check "libvirt gone: hv04's reports keep coming with its own counters" \
    jqt --argjson s "$seq0" '.seq >= $s + 3 and .stale == false and .has_rates' "$WORK/hv04.json"
stale_on_hv04() { vm test | jqt '.stale and .host == "hv04"'; }
check "its VM keeps its last values, marked stale" stale_on_hv04
check "the loss is logged once" [ "$(grep -c 'lost the connection' "$WORK/hv04.log")" = 1 ]
nfail=$(grep -c 'virConnectOpen' "$WORK/hv04.log")
note "reconnect attempts logged in 5 s: $nfail"
check "failed reconnects are rate-limited in the log" [ "$nfail" -le 2 ]
virtd_start td 7d4c6f3e-0000-4000-8000-00000000000d || finish
fresh() { vm test | jqt '.stale == false and .host == "hv04"' >/dev/null; }
check "libvirt back: hv04 reconnects (backoff at most 8 s) and its VM is fresh" \
    wait_for 15 fresh
check "the reconnection is logged" grep -q 'libvirt is back' "$WORK/hv04.log"
virtd_stop_all
no_mounts() { ! virtd_mounts_left; }
check "no mount of the private libvirtd is left" no_mounts
# shellcheck disable=SC2086
check "the collectors stop cleanly on SIGTERM, no sanitizer report" stop_clean $CPIDS
finish
