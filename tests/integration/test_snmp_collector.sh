#!/bin/sh
# SPDX-License-Identifier: ISC
# ballast-collectord's VM-MIB (RFC 7666) as an AgentX subagent, end to
# end, with a real snmpd (master agentx on a private socket) and a real
# snmptrapd as its trap sink.
#
# First libvirt's test driver in the collector's own process, on a node
# XML (tests/data/vm-node.xml) whose vCPU pinning, disks and NICs are
# known: snmpwalk of vmTable, vmCpuTable, vmCpuAffinityTable,
# vmStorageTable and vmNetworkTable must show them (figures the driver
# makes up are read with virsh from the same node XML, not written
# here); without --vm-notifications nothing is sent; after snmpd
# restarts the collector's rows are back.
#
# Then, through a private libvirtd serving the test driver (so that
# virsh, another process, changes what the collector sees), domains
# created, paused, resumed, destroyed and undefined must reach
# snmptrapd as vmRunning, vmPaused, vmShutdown and vmDeleted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_lib.sh"
. "$(dirname "$0")/virtd.sh"
trap 'virtd_stop_all; cleanup' EXIT INT TERM
# on failure: what the collectors said and what snmptrapd received
done_() {
	[ "$FAILS" -eq 0 ] || for f in collectord.log collectord2.log traps.log; do
		[ -f "$WORK/$f" ] && { note "$f:"; tail -25 "$WORK/$f" | sed 's/^/# /'; }
	done
	exit "$FAILS"
}

NODE="test://$ROOT/tests/data/vm-node.xml"

start_snmptrapd
SNMPD_EXTRA="trap2sink 127.0.0.1:$TRAP_PORT public"
start_snmpd

# start_collector URI LOG [args...]: sets COLL_PID
start_collector() {
	uri=$1 log=$2; shift 2
	"$BIN/ballast-collectord" --connect "$uri" --host-name hvtest \
	    --balancer "tcp://127.0.0.1:$((API_PORT + 4))" --interval 0.5 \
	    --actuator none --agentx-socket "$AGENTX" "$@" >>"$WORK/$log" 2>&1 &
	COLL_PID=$!
	PIDS="$PIDS $COLL_PID"
}
has() { pat=$1; shift; "$@" | grep -q "$pat"; }
count() { pat=$1; shift; "$@" | grep -c "$pat"; }
vmidx() { sed -n "s/^VM-MIB::vmName\.\([0-9]*\) = STRING: $1\$/\1/p" "$WORK/vmtable.txt"; }

# --- the tables, test driver in-process -------------------------------
start_collector "$NODE" collectord.log
cpu_rows() { [ "$(count Counter64 swalk VM-MIB::vmCpuCoreTime)" -eq 8 ]; }
check "vmCpuTable: a row per vCPU of the three domains (2 + 2 + 4)" wait_for 20 cpu_rows
swalk VM-MIB::vmTable > "$WORK/vmtable.txt"
wb=$(vmidx web-1); db=$(vmidx db-1)
both() { [ -n "$wb" ] && [ -n "$db" ]; }
check "vmTable names both domains" both
swalk VM-MIB::vmCpuCoreTime > "$WORK/cpu.txt"
ncpu() { grep -c "vmCpuCoreTime\.$1\." "$WORK/cpu.txt"; }
ncpus() { [ "$(ncpu "$db")" -eq 4 ] && [ "$(ncpu "$wb")" -eq 2 ]; }
check "db-1 has 4 vCPU rows, web-1 2" ncpus
# virsh prints tenths of a second; vmCpuCoreTime is in microseconds
ctime=$(virsh -c "$NODE" vcpuinfo web-1 | sed -n 's/^CPU time: *\([0-9]*\)\.\([0-9]\)s$/\1\2/p' | head -1)
us=$(sed -n "s/.*vmCpuCoreTime\.$wb\.1 = Counter64: \([0-9]*\).*/\1/p" "$WORK/cpu.txt")
near() { [ -n "$ctime" ] && [ -n "$us" ] && [ $((us / 100000 - ctime)) -ge -1 ] && [ $((us / 100000 - ctime)) -le 1 ]; }
check "web-1's vCPU 1 time is libvirt's (${ctime:-?} tenths of a second)" near
swalk VM-MIB::vmCpuAffinity > "$WORK/aff.txt"
check "vmCpuAffinityTable: a row per vCPU and host CPU (8 x 4)" [ "$(grep -c INTEGER "$WORK/aff.txt")" -eq 32 ]
aff() { grep -q "vmCpuAffinity\.$wb\.$1\.$2 = INTEGER: $3" "$WORK/aff.txt"; }
check "web-1 vCPU 1 is pinned to host CPU 1 (vmCpuPhysIndex 2)" aff 1 2 'enable(1)'
check "so its other host CPUs are disabled" aff 1 1 'disable(2)'
check "web-1 vCPU 2 may run on host CPUs 2 and 3" sh -c \
    "grep -q 'vmCpuAffinity\.$wb\.2\.3 = INTEGER: enable(1)' '$WORK/aff.txt' &&
     grep -q 'vmCpuAffinity\.$wb\.2\.4 = INTEGER: enable(1)' '$WORK/aff.txt' &&
     grep -q 'vmCpuAffinity\.$wb\.2\.2 = INTEGER: disable(2)' '$WORK/aff.txt'"
check "db-1, unpinned, may run on every host CPU" \
    [ "$(grep "vmCpuAffinity\.$db\." "$WORK/aff.txt" | grep -c 'enable(1)')" -eq 16 ]

swalk VM-MIB::vmStorageTable > "$WORK/storage.txt"
check "vmStorageTable: web-1's image and CD-ROM, db-1's block device" sh -c \
    "grep -q 'vmStorageResourceID\.$wb\.1 = STRING: /srv/images/web-1.qcow2' '$WORK/storage.txt' &&
     grep -q 'vmStorageResourceID\.$wb\.2 = STRING: /srv/iso/tools.iso' '$WORK/storage.txt' &&
     grep -q 'vmStorageResourceID\.$db\.1 = STRING: /dev/vg0/db-1' '$WORK/storage.txt'"
check "source types: qcow2 is sparse, the block device block" sh -c \
    "grep -q 'vmStorageSourceType\.$wb\.1 = INTEGER: sparse(5)' '$WORK/storage.txt' &&
     grep -q 'vmStorageSourceType\.$db\.1 = INTEGER: block(3)' '$WORK/storage.txt'"
check "the CD-ROM is read-only optical media, the image read-write" sh -c \
    "grep -q 'vmStorageAccess\.$wb\.2 = INTEGER: readonly(3)' '$WORK/storage.txt' &&
     grep -q 'vmStorageMediaType\.$wb\.2 = INTEGER: opticalDisk(4)' '$WORK/storage.txt' &&
     grep -q 'vmStorageAccess\.$wb\.1 = INTEGER: readwrite(2)' '$WORK/storage.txt'"
cap=$(virsh -c "$NODE" domblkinfo web-1 vda | sed -n 's/^Capacity: *//p')
check "web-1's image: defined size as libvirt says ($cap bytes, in MiB)" \
    grep -q "vmStorageDefinedSize\.$wb\.1 = INTEGER: $((cap / 1048576))\$" "$WORK/storage.txt"
check "and its unit is MiB (the size does not fit an Integer32 in bytes)" \
    grep -q "vmStorageSizeUnit\.$wb\.1 = INTEGER: 1048576\$" "$WORK/storage.txt"

swalk VM-MIB::vmNetworkTable > "$WORK/net.txt"
check "vmNetworkTable: web-1's two MAC addresses" sh -c \
    "grep -q 'vmNetworkPhysAddress\.$wb\.1 = STRING: 52:54:0:12:34:1\$' '$WORK/net.txt' &&
     grep -q 'vmNetworkPhysAddress\.$wb\.2 = STRING: 52:54:0:12:34:2\$' '$WORK/net.txt'"
check "and their models (virtio, e1000)" sh -c \
    "grep -q 'vmNetworkModel\.$wb\.1 = STRING: virtio' '$WORK/net.txt' &&
     grep -q 'vmNetworkModel\.$wb\.2 = STRING: e1000' '$WORK/net.txt'"
lo=$(cat /sys/class/net/lo/ifindex)
check "vmNetworkIfIndex of the NIC on host device lo is lo's ifIndex ($lo)" \
    grep -q "vmNetworkIfIndex\.$wb\.1 = INTEGER: $lo\$" "$WORK/net.txt"
check "and 0 for the one whose device is not on this host" \
    grep -q "vmNetworkIfIndex\.$wb\.2 = INTEGER: 0\$" "$WORK/net.txt"
check "db-1 has no NIC rows" sh -c "! grep -q 'vmNetwork[A-Za-z]*\.$db\.' '$WORK/net.txt'"
check "without --vm-notifications no VM-MIB notification was sent" \
    sh -c "! grep -q 'VM-MIB::vm' '$WORK/traps.log'"

kill "$SNMPD_PID"
wait "$SNMPD_PID" 2>/dev/null
start_snmpd
check "after snmpd restarts, the collector's vmCpuTable is back" wait_for 15 cpu_rows
check "the collector logged the reconnection" wait_for 5 sh -c \
    "[ \$(grep -c 'VM-MIB: connected to the master agent' '$WORK/collectord.log') -ge 2 ]"
kill "$COLL_PID"
wait "$COLL_PID" 2>/dev/null
st=$?
check "the collector stopped cleanly (exit 0, no sanitizer report)" sh -c \
    "[ $st -eq 0 ] && ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$WORK/collectord.log'"

# --- lifecycle notifications, through a private libvirtd --------------
if ! virtd_usable; then
	note "lifecycle part skipped here: it needs root, libvirtd, virsh and mount namespaces (unshare -m: CAP_SYS_ADMIN)"
	done_
fi
virtd_start td 7d4c6f3e-0000-4000-8000-0000000000a6 || done_
TURI="test+unix:///default?socket=$VIRTD_SOCK"
rtdom() {
	cat <<EOF
<domain type='test'>
  <name>$1</name>
  <memory>1048576</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
EOF
}
# vsh ARGS...: virsh on the private libvirtd (once more if it fails)
vsh() { virsh -q -c "$TURI" "$@" >/dev/null 2>>"$WORK/virsh.err" ||
    virsh -q -c "$TURI" "$@" >/dev/null; }
rtdom rt-1 > "$WORK/rt1.xml"
rtdom rt-2 > "$WORK/rt2.xml"
start_collector "$TURI" collectord2.log --vm-notifications
trap_for() { grep "VM-MIB::$1" "$WORK/traps.log" | grep -q "vmName\.[0-9]* = STRING: $2"; }
traps_for() { grep "VM-MIB::$1" "$WORK/traps.log" | grep -c "vmName\.[0-9]* = STRING: $2"; }
check "the collector's vmTable has the driver's own domain" \
    wait_for 20 has 'STRING: test$' swalk VM-MIB::vmName
vsh create "$WORK/rt1.xml"
check "a domain created (virsh create) yields vmRunning" wait_for 10 trap_for vmRunning rt-1
vsh suspend rt-1
check "suspended, vmPaused" wait_for 10 trap_for vmPaused rt-1
vsh resume rt-1
check "resumed, vmRunning again" wait_for 10 sh -c "[ \$(grep 'VM-MIB::vmRunning' '$WORK/traps.log' | grep -c 'STRING: rt-1') -ge 2 ]"
vsh destroy rt-1
check "a transient domain destroyed is gone: vmDeleted" wait_for 10 trap_for vmDeleted rt-1
vsh define "$WORK/rt2.xml"
vsh start rt-2
check "a defined domain started: vmRunning" wait_for 10 trap_for vmRunning rt-2
vsh destroy rt-2
check "a persistent domain stopped stays, shut down: vmShutdown" wait_for 10 trap_for vmShutdown rt-2
check "and is listed as shutdown(11)" wait_for 5 sh -c \
    "idx=\$(snmpwalk -v2c -c public 127.0.0.1:$SNMPD_PORT VM-MIB::vmName | sed -n 's/.*vmName\.\([0-9]*\) = STRING: rt-2\$/\1/p');
     [ -n \"\$idx\" ] && snmpget -v2c -c public 127.0.0.1:$SNMPD_PORT VM-MIB::vmOperState.\$idx | grep -q 'shutdown(11)'"
check "with no vmDeleted for it" sh -c "! grep 'VM-MIB::vmDeleted' '$WORK/traps.log' | grep -q 'STRING: rt-2'"
vsh undefine rt-2
check "undefined: vmDeleted" wait_for 10 trap_for vmDeleted rt-2
check "one vmPaused in all for rt-1 (each change once)" [ "$(traps_for vmPaused rt-1)" -eq 1 ]
note "$(grep -c 'VM-MIB::vm' "$WORK/traps.log") VM-MIB notifications received"
done_
