# SPDX-License-Identifier: ISC
# SNMP helpers for the integration tests, sourced after lib.sh: a real
# snmptrapd and a real snmpd (AgentX master) on loopback high ports with
# their own configuration and persistent directories under $WORK, and
# the net-snmp tools pointed at our MIBs and the base MIBs that
# tools/basemibs.sh fetched.  Everything started here is in $PIDS, so
# lib.sh's cleanup stops it by PID.
SNMP_BASE="$ROOT/build/mibs-base"
if [ ! -s "$SNMP_BASE/SNMPv2-SMI.txt" ]; then
	"$ROOT/tools/basemibs.sh" "$SNMP_BASE" >/dev/null ||
	    { notok "base MIB modules (tools/basemibs.sh)"; exit 1; }
fi
# our MIBs, the test stand-in for SNMP-FRAMEWORK-MIB, the base modules
export MIBDIRS="$ROOT/mibs:$ROOT/tests/mibs:$SNMP_BASE"
export MIBS="SNMPv2-MIB:IF-MIB:BALLAST-MIB:VM-MIB"
export SNMPCONFPATH="$WORK/snmpconf"
export SNMP_PERSISTENT_DIR="$WORK/snmppersist"
mkdir -p "$SNMPCONFPATH" "$SNMP_PERSISTENT_DIR"
# Five ports from API_PORT (API, reports, snmptrapd, snmpd, spare), moved
# on while another program holds one of them.
port_free() {
	python3 -c 'import socket, sys
for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", int(sys.argv[1])))
    s.close()' "$1" 2>/dev/null
}
ports_free() { for i in 0 1 2 3 4; do port_free $((API_PORT + i)) || return 1; done; }
while ! ports_free; do API_PORT=$((API_PORT + 5)); done
REPORTS_PORT=$((API_PORT + 1))
API="http://127.0.0.1:$API_PORT"
REPORTS="tcp://127.0.0.1:$REPORTS_PORT"
TRAP_PORT=$((API_PORT + 2))
SNMPD_PORT=$((API_PORT + 3))
AGENTX="$WORK/agentx.sock"
# the engine ID the balancer's v3 traps use (createUser -e)
V3_ENGINE=0x8000c0de0102030405
V3_USER=nocuser
V3_AUTH=authpass-123
V3_PRIV=privpass-456

# start_snmptrapd: v2c community "public" and the v3 authPriv user,
# every notification logged as one line to $WORK/traps.log; sets TRAPD_PID.
start_snmptrapd() {
	mkdir -p "$WORK/trapd"
	cat > "$WORK/trapd/snmptrapd.conf" <<CONF
authCommunity log public
authCommunity log informers
createUser -e $V3_ENGINE $V3_USER SHA "$V3_AUTH" AES "$V3_PRIV"
authUser log $V3_USER priv
format2 TRAP %P | %V; | %v\n
CONF
	SNMP_PERSISTENT_DIR="$WORK/trapd" snmptrapd -f -n -C \
	    -c "$WORK/trapd/snmptrapd.conf" -Lf "$WORK/traps.log" \
	    -p "$WORK/trapd/pid" "udp:127.0.0.1:$TRAP_PORT" \
	    >>"$WORK/trapd.out" 2>&1 &
	TRAPD_PID=$!
	PIDS="$PIDS $TRAPD_PID"
	wait_for 10 has_trap "NET-SNMP version" ||
	    { notok "snmptrapd starts"; cat "$WORK/trapd.out"; exit 1; }
}

# start_snmpd: an AgentX master on $AGENTX answering v2c "public" on
# 127.0.0.1:$SNMPD_PORT; sets SNMPD_PID.  Run again to restart it.
start_snmpd() {
	mkdir -p "$WORK/snmpd"
	cat > "$WORK/snmpd/snmpd.conf" <<CONF
master agentx
agentXSocket $AGENTX
agentXPerms 0600 0700
rocommunity public 127.0.0.1
${SNMPD_EXTRA:-}
CONF
	SNMP_PERSISTENT_DIR="$WORK/snmpd" snmpd -f -C -c "$WORK/snmpd/snmpd.conf" \
	    -Lf "$WORK/snmpd.log" -p "$WORK/snmpd/pid" \
	    "udp:127.0.0.1:$SNMPD_PORT" >>"$WORK/snmpd.out" 2>&1 &
	SNMPD_PID=$!
	PIDS="$PIDS $SNMPD_PID"
	wait_for 10 snmp_up ||
	    { notok "snmpd answers on 127.0.0.1:$SNMPD_PORT"; tail -20 "$WORK/snmpd.log"; exit 1; }
}
snmp_up() { snmpget -v2c -c public -t 1 -r 0 "127.0.0.1:$SNMPD_PORT" SNMPv2-MIB::sysUpTime.0 >/dev/null 2>&1; }
swalk() { snmpwalk -v2c -c public -t 2 -r 1 "127.0.0.1:$SNMPD_PORT" "$@" 2>>"$WORK/snmpwalk.err"; }
sget() { snmpget -v2c -c public -t 2 -r 1 "127.0.0.1:$SNMPD_PORT" "$@" 2>>"$WORK/snmpwalk.err"; }
traps() { grep -c "$1" "$WORK/traps.log" 2>/dev/null || true; }
has_trap() { grep -q "$1" "$WORK/traps.log" 2>/dev/null; }
