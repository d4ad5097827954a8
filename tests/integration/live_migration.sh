#!/bin/sh
# SPDX-License-Identifier: ISC
# A real live migration through ballast: two libvirtd on this machine
# act as two hypervisors (virtd.sh: private mount namespaces, their own
# host_uuid), each with a ballast-collectord; the balancer orders the
# move (ballastctl migrate --wait) and the source collector carries it
# out with virDomainMigrateToURI3, reporting progress every second.
#
# Run alone:   tests/integration/live_migration.sh    (as root)
# In make check through test_live_migration.sh.
#
# What differs from a real cluster, and why:
#  - Both "hosts" share this machine's file system, so the guest's disk
#    is in fact shared, but libvirt cannot tell a local directory from
#    shared storage and refuses a live migration of a local disk: the
#    flags add "unsafe".  (non-shared-disk would copy a disk onto
#    itself here.)
#  - migration_address may not be 127.0.0.1 in qemu.conf, so the
#    collectors pass VIR_MIGRATE_PARAM_URI tcp://127.0.0.1:PORT and
#    VIR_MIGRATE_PARAM_LISTEN_ADDRESS 127.0.0.1 (migrate-uri and
#    listen-address in their configuration).
#  - The guests use KVM when /dev/kvm can be opened, else TCG
#    (<domain type='qemu'>); the test says which.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtd.sh"
. "$(dirname "$0")/guests.sh"
trap 'virtd_stop_all; cleanup' EXIT INT TERM
jqt() { jq -e "$@" >/dev/null; }

if ! virtd_usable || ! command -v qemu-system-x86_64 >/dev/null; then
	note "skipped: needs root, libvirtd, virsh, qemu-system-x86_64 and mount namespaces (unshare -m: CAP_SYS_ADMIN)"
	exit 0
fi
note "guests run under $GUEST_TYPE$([ "$GUEST_TYPE" = qemu ] && echo ' (TCG: /dev/kvm is not usable here)')"

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
MPORT=$(free_port)

virtd_start hv01 0b1a5e01-0000-4000-8000-000000000001 || finish
URI1=$VIRTD_URI
virtd_start hv02 0b1a5e01-0000-4000-8000-000000000002 || finish
URI2=$VIRTD_URI

G1=0b1a5e00-0000-4000-8000-0000000000a1
G2=0b1a5e00-0000-4000-8000-0000000000a2
guest_image quiet "$WORK/g1.img"
guest_image busy "$WORK/g2.img"
guest_xml g1 "$G1" "$WORK/g1.img" > "$WORK/g1.xml"
guest_xml g2 "$G2" "$WORK/g2.img" > "$WORK/g2.xml"
for g in g1 g2; do
	virsh -q -c "$URI1" define "$WORK/$g.xml" >/dev/null &&
	    virsh -q -c "$URI1" start "$g" >/dev/null ||
	    { notok "$g starts on hv01"; tail -5 "$WORK/hv01/log/qemu/$g.log" 2>/dev/null; finish; }
done
check "the guests run on hv01 (their serial output grows)" guest_runs g1

cat > "$WORK/move.policy" <<'POL'
mode manual
interval 10m
migration {
	bandwidth 1MiB/s
	max-downtime 100ms
}
POL
start_balancer -p "$WORK/move.policy"
CPIDS=""
for h in hv01 hv02; do
	cat > "$WORK/$h.conf" <<EOF
connect "qemu+unix:///system?socket=$WORK/$h/run/libvirt-sock"
balancer "$REPORTS"
host-name $h
interval 1 s
migrate {
	uri "qemu+unix:///system?socket=$WORK/{host}/run/libvirt-sock"
	migrate-uri "tcp://127.0.0.1:$MPORT"
	listen-address 127.0.0.1
	flags live peer2peer persist-dest undefine-source unsafe
	timeout 12 seconds
}
EOF
	"$BIN/ballast-collectord" -f "$WORK/$h.conf" >>"$WORK/$h.log" 2>&1 &
	PIDS="$PIDS $!"
	CPIDS="$CPIDS $!"
done
vm() { get /api/v1/vms | jq -c --arg v "$1" '.[] | select(.name == $v)'; }
on() { vm "$1" | jqt --arg h "$2" '.host == $h and .has_rates'; }
check "hv01's collector reports g1 and g2 with rates" wait_for 20 on g1 hv01
wait_for 10 on g2 hv01
note "g1 on hv01: $(vm g1 | jq -c '{uuid, cpu_util, mem_bytes, disk_rd_bps}')"

# --- the move ----------------------------------------------------------
token=$(cat "$WORK/state/api.token")
ctl() { "$BIN/ballastctl" --api "$API" --token "$token" "$@"; }
t0=$(date +%s)
ctl migrate g1 hv02 --wait > "$WORK/move.out" 2>&1
rc=$?
dt=$(( $(date +%s) - t0 ))
sed 's/^/# /' "$WORK/move.out"
check "ballastctl migrate g1 hv02 --wait: done (exit 0) in $dt s" [ "$rc" = 0 ]
get /api/v1/migrations | jq -c '.[0] | {vm, from, to, state, progress, error}' > "$WORK/mig.json"
note "$(cat "$WORK/mig.json")"
check "the balancer saw it done and verified (progress 1000)" \
    jqt '.state == "done" and .progress == 1000 and .from == "hv01" and .to == "hv02"' "$WORK/mig.json"
state_on() { virsh -q -c "$1" domstate "$2" 2>/dev/null | head -1; }
check "libvirt: g1 runs on hv02" [ "$(state_on "$URI2" g1)" = running ]
check "libvirt: g1 is gone from hv01 (undefined there)" \
    sh -c "! virsh -q -c '$URI1' list --all --name | grep -qx g1"
check "one QEMU for g1, on hv02" \
    [ "$(virtd_guest_pids hv02 | wc -l)" = 1 ]
check "the guest keeps running after the move (serial output grows)" guest_runs g1
check "the model has g1, same UUID, on hv02" \
    wait_for 10 sh -c "curl -fsS $API/api/v1/vms | jq -e '.[] | select(.uuid == \"$G1\") | .host == \"hv02\"' >/dev/null"
sleep 3
vm g1 > "$WORK/g1.json"
note "g1 on hv02: $(jq -c '{cpu_util, vcpu_delay, disk_rd_bps, net_rx_bps, resets, stale}' "$WORK/g1.json")"
check "with sane rates: no negative or doubled counters, no resets" \
    jqt '.has_rates and .cpu_util >= 0 and .cpu_util <= 1.05 and .vcpu_delay >= 0
    and .disk_rd_bps >= 0 and .disk_wr_bps >= 0 and .net_rx_bps >= 0
    and .resets == 0 and .stale == false' "$WORK/g1.json"
check "hv01 reports only g2 now" \
    [ "$(get /api/v1/hosts/hv01 | jq .vms)" = 1 ]

# --- a destination that refuses ------------------------------------------
# hv02 already knows a domain named g2 (another UUID): libvirt there
# refuses the incoming one
sed -e "s/$G2/0b1a5e00-0000-4000-8000-0000000000ff/" "$WORK/g2.xml" > "$WORK/g2-other.xml"
virsh -q -c "$URI2" define "$WORK/g2-other.xml" >/dev/null
ctl migrate g2 hv02 --wait > "$WORK/refused.out" 2>&1
err=$(get /api/v1/migrations | jq -r '.[0].error')
note "g2 to hv02: $err"
check "a refused migration fails with the destination's reason" \
    sh -c "echo '$err' | grep -q 'already'"
check "and the status says the VM keeps running on hv01" \
    sh -c "echo '$err' | grep -q 'keeps running on hv01'"
check "libvirt: g2 still runs on hv01" [ "$(state_on "$URI1" g2)" = running ]
virsh -q -c "$URI2" undefine g2 >/dev/null

# --- a deadline ------------------------------------------------------------
# g2 rewrites 512 KiB of memory several times a second: at 1 MiB/s it
# cannot get down to the 100 ms of downtime allowed, and the
# collectors' 12 s deadline aborts it
t0=$(date +%s)
ctl migrate g2 hv02 --wait > "$WORK/deadline.out" 2>&1
dt=$(( $(date +%s) - t0 ))
err=$(get /api/v1/migrations | jq -r '.[0].error')
note "g2 after $dt s: $err"
grep -E 'migrating' "$WORK/deadline.out" | sed -n '1p;$p' | sed 's/^/# /'
# g1's move may be over between two readings of its progress (its
# pages are nearly all zero); g2's runs until the deadline
check "progress was reported while it ran (a percentage between 0 and 100)" \
    grep -Eq 'migrating +(0\.[1-9]|[1-9][0-9]?(\.[0-9])?)%' "$WORK/deadline.out"
# the abort comes at the monitor's next second, then QEMU and libvirt
# wind the migration down
check "a migration past its 12 s deadline is aborted within 3 s, and says so" \
    sh -c "echo '$err' | grep -Eq 'deadline passed after 1[2-5] s: the migration was aborted; the VM keeps running on hv01'"
check "libvirt: g2 runs on hv01, not on hv02" \
    sh -c "[ \"\$(virsh -q -c '$URI1' domstate g2 | head -1)\" = running ] && ! virsh -q -c '$URI2' list --all --name | grep -qx g2"
check "and it keeps running (serial output grows)" guest_runs g2
check "the model still has g2 on hv01" on g2 hv01

# --- everything stops, nothing is left ------------------------------------
# shellcheck disable=SC2086
check "the collectors stop cleanly on SIGTERM, no sanitizer report" stop_clean $CPIDS
virtd_stop_all
no_qemu() { [ -z "$(virtd_guest_pids hv01)$(virtd_guest_pids hv02)" ]; }
check "no QEMU of this test is left" no_qemu
no_mounts() { ! virtd_mounts_left; }
check "no mount of the private libvirtd is left" no_mounts
[ "$FAILS" -eq 0 ] || for h in hv01 hv02; do
	note "collector $h log:"; tail -40 "$WORK/$h.log" | sed 's/^/# /'
done
finish
