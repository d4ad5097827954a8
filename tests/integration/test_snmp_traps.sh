#!/bin/sh
# SPDX-License-Identifier: ISC
# SNMP notifications end to end: a real snmptrapd (its own config and
# persistent directory, v2c community and a v3 authPriv user) receives
# what ballast-balancerd sends while the simulated cluster's hv01 turns
# hot, is relieved by a migration and cools; then the simulator stops
# and every host's collector is lost.  Each notification must arrive
# over v2c and over v3, in raise/clear order, those about a host with
# the address its reports came from as snmpTrapAddress.0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

python3 "$ROOT/tests/integration/burst_traces.py" "$WORK/traces"
cat > "$WORK/auto.policy" <<'POL'
mode automatic
interval 5s
hot cpu above 80% for 10s
cool cpu below 65% for 10s
migration {
	cooldown 5m
}
POL
cat > "$WORK/balancer.conf" <<CONF
policy "$WORK/auto.policy"
stale-after 3 intervals
trap-sink "udp:127.0.0.1:$TRAP_PORT" community "public"
trap-sink "udp:127.0.0.1:$TRAP_PORT" user "$V3_USER" auth sha "$V3_AUTH" priv aes "$V3_PRIV" engine-id "$V3_ENGINE"
trap-sink "udp:127.0.0.1:$TRAP_PORT" community "informers" inform
trap-holddown 3 seconds
trap-rate 600 per minute
CONF
check "the configuration with three trap sinks is accepted" \
    sh -c "'$BIN/ballast-balancerd' -n -f '$WORK/balancer.conf' >/dev/null"

start_snmptrapd
start_balancer -f "$WORK/balancer.conf"
start_sim --traces "$WORK/traces" --hosts 4 --host-cpus 4 --step 300 --speed 300

v2() { grep "$1" "$WORK/traps.log" | grep -q "community public"; }
v3() { grep "$1" "$WORK/traps.log" | grep -q "user $V3_USER"; }
check "hostHot for hv01 arrives over v2c" wait_for 40 v2 "hostHot.*ballastNotifHost.0 = STRING: hv01"
check "hostHot for hv01 arrives over SNMPv3 authPriv" wait_for 5 v3 "hostHot.*ballastNotifHost.0 = STRING: hv01"
check "it names the measured value (over .800) and the threshold (.800)" \
    grep -q 'hostHot.*ballastNotifValue.0 = INTEGER: \.[89][0-9][0-9];.*ballastNotifThreshold.0 = INTEGER: \.800;' "$WORK/traps.log"
check "migrationStarted arrives (v2c and v3)" wait_for 30 sh -c \
    "grep migrationStarted '$WORK/traps.log' | grep -q 'community public' && grep migrationStarted '$WORK/traps.log' | grep -q 'user $V3_USER'"
check "migrationCompleted arrives (v2c and v3)" wait_for 30 sh -c \
    "grep migrationCompleted '$WORK/traps.log' | grep -q 'community public' && grep migrationCompleted '$WORK/traps.log' | grep -q 'user $V3_USER'"
check "the migration's notifications name the VM, from hv01" \
    grep -q 'migrationCompleted.*ballastNotifVm.0 = STRING: vm-[15];.*ballastNotifVmUUID.0 = STRING: [0-9a-f-]\{36\};.*ballastNotifHost.0 = STRING: hv01;.*ballastNotifDestHost.0 = STRING: hv0[234];' "$WORK/traps.log"
check "hostCleared for hv01 arrives over v2c" wait_for 30 v2 "hostCleared.*ballastNotifHost.0 = STRING: hv01"
check "hostCleared for hv01 arrives over SNMPv3 authPriv" wait_for 5 v3 "hostCleared.*ballastNotifHost.0 = STRING: hv01"
first() { grep -n "$1" "$WORK/traps.log" | grep "community public" | head -1 | cut -d: -f1; }
check "hostHot also arrives as an inform (acknowledged by snmptrapd)" \
    grep -q "^TRAP INFORM, SNMP v2c, community informers.*hostHot.*STRING: hv01" "$WORK/traps.log"
check "hostHot came before hostCleared" [ "$(first 'hostHot.*hv01')" -lt "$(first 'hostCleared.*hv01')" ]
check "started came before completed" [ "$(first migrationStarted)" -lt "$(first migrationCompleted)" ]
check "one raise/clear pair per sink for hv01 (deduplicated)" sh -c \
    "[ \$(grep -c 'hostHot.*STRING: hv01' '$WORK/traps.log') -eq 3 ] && [ \$(grep -c 'hostCleared.*STRING: hv01' '$WORK/traps.log') -eq 3 ]"
check "no host but hv01 was hot" [ "$(grep 'hostHot' "$WORK/traps.log" | grep -vc 'STRING: hv01')" -eq 0 ]
# snmpTrapAddress.0 (SNMP-COMMUNITY-MIB, not loaded: snmpModules.18.1.3.0)
from_lo() { grep "$1" "$WORK/traps.log" | grep -Eq '(snmpTrapAddress|snmpModules\.18\.1\.3)\.0 = IpAddress: 127\.0\.0\.1;'; }
check "hv01's hostHot carries snmpTrapAddress.0 = 127.0.0.1 (its collector's address)" \
    from_lo 'hostHot.*ballastNotifHost.0 = STRING: hv01'
check "so does its migrationCompleted (the source host's address)" \
    from_lo 'migrationCompleted.*ballastNotifHost.0 = STRING: hv01'
check "the JSON API shows hv01's address" \
    [ "$(get /api/v1/hosts/hv01 | jq -r .address)" = 127.0.0.1 ]

echo "hot cpu above lots" > "$WORK/auto.policy"
kill -HUP "$BAL_PID"
check "a failed policy reload yields policyReloadFailed with the error" wait_for 10 \
    grep -q "policyReloadFailed.*ballastNotifText.0 = STRING: policy reload failed: .*auto.policy:1" "$WORK/traps.log"
kill "$SIM_PID"
lost() { [ "$(grep collectorLost "$WORK/traps.log" | grep -c 'community public')" -ge 4 ]; }
check "stopping the collectors yields collectorLost for every host" wait_for 20 lost
check "collectorLost arrives over SNMPv3 authPriv too" v3 "collectorLost.*STRING: hv02"
check "collectorLost carries the lost host's address" from_lo 'collectorLost.*STRING: hv02'
check "policyReloadFailed, about no host, carries no snmpTrapAddress.0" sh -c \
    "grep policyReloadFailed '$WORK/traps.log' | grep -vq IpAddress"
note "$(grep -c '^TRAP' "$WORK/traps.log") notifications received in all"
finish
