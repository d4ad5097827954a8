#!/bin/sh
# SPDX-License-Identifier: ISC
# The MIBs over AgentX end to end: a real snmpd (master agentx on a
# private socket, v2c on a loopback high port, its own configuration)
# with two subagents -- ballast-balancerd serving BALLAST-MIB for the
# simulated cluster, and the VM-MIB test subagent (tests/tools/vmmibd)
# serving libvirt's test driver.  snmpwalk must list the right hosts,
# VMs, names and UUIDs; a paused domain must reach snmptrapd as
# vmPaused through snmpd; after snmpd restarts, both subagents must be
# back.  ballast-collectord's own VM-MIB: test_snmp_collector.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_lib.sh"


start_snmptrapd
SNMPD_EXTRA="trap2sink 127.0.0.1:$TRAP_PORT public"
start_snmpd
"$TOOLS/vmmibd" --uri "test://$ROOT/tests/data/vm-node.xml" --agentx "$AGENTX" \
    --interval 500 --ping 1 --notify --toggle web-2 >>"$WORK/vmmibd.log" 2>&1 &
VMMIBD_PID=$!
PIDS="$PIDS $VMMIBD_PID"
cat > "$WORK/balancer.conf" <<CONF
agentx-socket "$AGENTX"
CONF
start_balancer -f "$WORK/balancer.conf"
start_sim --hosts 4 --vms 12 --speed 60 --step 60

has() { pat=$1; shift; "$@" | grep -q "$pat"; }

# --- VM-MIB ---------------------------------------------------------
vm_rows() { [ "$(swalk VM-MIB::vmName | grep -c STRING)" -eq 3 ]; }
check "snmpwalk of vmTable lists the test driver's 3 domains" wait_for 20 vm_rows
swalk VM-MIB::vmTable > "$WORK/vmtable.txt"
for d in web-1 web-2 db-1; do
	check "vmName lists $d" grep -q "vmName\.[0-9]* = STRING: $d\$" "$WORK/vmtable.txt"
done
idx=$(sed -n 's/^VM-MIB::vmName\.\([0-9]*\) = STRING: db-1$/\1/p' "$WORK/vmtable.txt")
check "db-1's vmUUID is its libvirt UUID" \
    has '4F 0C 1E 6A 00 03 4C 6B 9D 0E 5B 1A 00 00 00 03' \
    snmpget -m '' -Ox -v2c -c public "127.0.0.1:$SNMPD_PORT" ".1.3.6.1.2.1.236.1.4.1.3.$idx"
check "db-1 runs 4 vCPUs" grep -q "vmCurCpuNumber\.$idx = INTEGER: 4\$" "$WORK/vmtable.txt"
check "db-1 has 4 GiB (vmCurMem in KiB)" grep -q "vmCurMem\.$idx = INTEGER: 4194304\$" "$WORK/vmtable.txt"
check "db-1 is running (vmOperState)" grep -q "vmOperState\.$idx = INTEGER: running(4)" "$WORK/vmtable.txt"
check "vmNumber is 3" has 'INTEGER: 3$' sget VM-MIB::vmNumber.0
check "vmHvSoftware names libvirt's driver" has 'libvirt TEST' sget VM-MIB::vmHvSoftware.0
check "vmCpuTable has a row per vCPU (8)" [ "$(swalk VM-MIB::vmCpuCoreTime | grep -c Counter64)" -eq 8 ]
check "vmStorageTable has web-1's disk image" has /srv/images/web-1.qcow2 swalk VM-MIB::vmStorageResourceID
check "vmNetworkTable has web-1's MAC address" has '52:54:0:12:34:1$' swalk VM-MIB::vmNetworkPhysAddress
kill -USR1 "$VMMIBD_PID"
check "pausing web-2 sends vmPaused through snmpd to snmptrapd" \
    wait_for 10 grep -q "VM-MIB::vmPaused.*vmName\.[0-9]* = STRING: web-2" "$WORK/traps.log"
check "and vmOperState is paused" wait_for 5 has 'paused(8)' swalk VM-MIB::vmOperState

# --- BALLAST-MIB ----------------------------------------------------
hosts4() { [ "$(swalk BALLAST-MIB::ballastHostState | grep -c INTEGER)" -eq 4 ]; }
check "snmpwalk of ballastHostTable lists the sim's 4 hosts" wait_for 20 hosts4
swalk BALLAST-MIB::ballastObjects > "$WORK/ballast.txt"
for h in hv01 hv02 hv03 hv04; do
	check "the hosts table has $h" grep -q "ballastHostState\.[\"']$h[\"'] = INTEGER" "$WORK/ballast.txt"
done
check "the VMs table lists the sim's 12 VMs" [ "$(grep -c 'ballastVmName\..* = STRING: ' "$WORK/ballast.txt")" -eq 12 ]
check "each VM names its host" [ "$(grep -c 'ballastVmHost\..* = STRING: hv0[1-4]$' "$WORK/ballast.txt")" -eq 12 ]
uuid=$(curl -fsS "$API/api/v1/vms" | jq -r '.[0].uuid'); name=$(curl -fsS "$API/api/v1/vms" | jq -r '.[0].name')
check "a VM's UUID and name match the JSON API's" grep -q "ballastVmUUID\..* = STRING: $uuid" "$WORK/ballast.txt"
check "the hosts table gives hv01's address (the sim connects from 127.0.0.1)" \
    grep -q "ballastHostAddress\.[\"']hv01[\"'] = STRING: 127.0.0.1\$" "$WORK/ballast.txt"
check "ballastClusterHosts.0 is 4" has 'Gauge32: 4$' sget BALLAST-MIB::ballastClusterHosts.0
check "ballastClusterMode.0 is manual" has 'manual(1)' sget BALLAST-MIB::ballastClusterMode.0
note "VM $name is $uuid"

# --- names ----------------------------------------------------------
check "snmptranslate resolves BALLAST-MIB::hostHot" \
    [ "$(snmptranslate -On BALLAST-MIB::hostHot 2>/dev/null)" = ".1.3.6.1.4.1.32473.0.1" ]
check "snmptranslate resolves VM-MIB::vmTable (mib-2 236)" \
    [ "$(snmptranslate -On VM-MIB::vmTable 2>/dev/null)" = ".1.3.6.1.2.1.236.1.4" ]

# --- snmpd restarts ---------------------------------------------------
kill "$SNMPD_PID"
wait "$SNMPD_PID" 2>/dev/null
t0=$(date +%s)
start_snmpd
check "after snmpd restarts, the VM-MIB subagent is back" wait_for 15 vm_rows
check "after snmpd restarts, the balancer's BALLAST-MIB is back" wait_for 15 hosts4
note "both subagents back $(( $(date +%s) - t0 )) s after the restart (ping every 1 s and 5 s)"
check "the balancer logged the reconnection" wait_for 5 grep -q "BALLAST-MIB: connected" "$WORK/balancer.log"

finish
