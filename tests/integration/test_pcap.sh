#!/bin/sh
# SPDX-License-Identifier: ISC
# ballast-collectord's pcap source on real interfaces: a "hypervisor"
# network namespace with a bridge, and one namespace per "VM" (and one
# for a host outside the cluster), each joined to the bridge by a veth
# pair whose bridge end stands in for the VM's tap device.  The
# collector runs in the hypervisor namespace with libvirt's test driver
# for its VMs and the static pcap map for their taps and addresses (or,
# in one part, libvirt's domain XML and interface addresses); a
# small ROUTER (tests/tools/trafficsink) takes its reports and prints
# the traffic pairs.  Known UDP traffic (udpgen) must come out as:
#   - 1 in 1: exactly the packets and bytes sent, per pair (IPv4 and
#     IPv6; VMs known by MAC or IP, outside ends by IP), each packet
#     counted once although VM-to-VM packets cross two taps;
#   - 1 in 10: within 4 standard errors of the Binomial(n, 1/10) count
#     (relative error sqrt((N-1)/n): 2.1% for n = 20000, bound 8.5%);
#   - with `pcap libvirt yes`, the taps from the domain XML: the same
#     exact pairs; through a private libvirtd, a domain's tap watched
#     from when it starts to when it is destroyed, and only then;
#   - a 4 KiB capture buffer under a burst: drops reported;
#   - end to end, with the real balancer in place of the sink: the
#     captured pair in its matrix (GET /api/v1/traffic), named and
#     placed from the collector's report;
#   - a tap deleted while capturing: an error reported, the collector
#     still running and reporting.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtd.sh"

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
	note "skipped: needs root and iproute2 (ip netns)"
	exit 0
fi
T=bp$$
H=${T}h
NSS="$H"
netns_cleanup() {
	for n in $NSS; do ip netns del "$n" 2>/dev/null; done
}
trap 'virtd_stop_all; cleanup; netns_cleanup' EXIT INT TERM

U1=5e1f0c3a-0000-4000-8000-000000000a01
U2=5e1f0c3a-0000-4000-8000-000000000a02
U3=5e1f0c3a-0000-4000-8000-000000000a03
EXT=10.77.0.99

# --- the network -------------------------------------------------------
nons() {	# nons NS: a namespace without IPv6 (no neighbour discovery noise)
	ip netns add "$1" && NSS="$NSS $1" &&
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 &&
	ip -n "$1" link set lo up
}
# vmnet NUMBER TAP MAC IP: a "VM" namespace joined to the bridge by TAP
vmnet() {
	nons "$T$1" &&
	ip -n "$H" link add "$2" type veth peer name eth0 netns "$T$1" &&
	ip -n "$T$1" link set eth0 address "$3" &&
	ip -n "$T$1" addr add "$4/24" dev eth0 &&
	ip -n "$T$1" link set eth0 up &&
	ip -n "$H" link set "$2" master br0 up
}
setup() {
	nons "$H" &&
	ip -n "$H" link add br0 type bridge &&
	ip -n "$H" link set br0 up &&
	vmnet 1 tap1 52:54:00:00:0a:01 10.77.0.1 &&
	vmnet 2 tap2 52:54:00:00:0a:02 10.77.0.2 &&
	vmnet 3 tap3 52:54:00:00:0a:03 10.77.0.3 &&
	vmnet x tapx 52:54:00:00:0a:99 "$EXT" &&
	v6 1 fd77::1 && v6 x fd77::99
}
v6() {	# v6 NUMBER ADDRESS: IPv6 on a VM's eth0 (the rest has none)
	ip netns exec "$T$1" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0 &&
	ip -n "$T$1" addr add "$2/64" dev eth0 nodad
}
if ! setup >"$WORK/setup.log" 2>&1; then
	note "skipped: cannot make network namespaces here: $(tail -1 "$WORK/setup.log")"
	exit 0
fi
ok "namespaces, a bridge and four veth pairs"

# --- the collector's VMs and configuration -----------------------------
domain() {
	echo "<domain type='test'><name>$1</name><uuid>$2</uuid>"
	echo "<memory>1048576</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
	echo "<devices><interface type='bridge'><mac address='$4'/><source bridge='br0'/><target dev='$3'/></interface></devices></domain>"
}
{
	echo "<node><cpu><mhz>2600</mhz><model>i686</model><active>4</active><total>4</total><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads></cpu><memory>8388608</memory>"
	domain web-1 $U1 tap1 52:54:00:00:0a:01
	domain web-2 $U2 tap2 52:54:00:00:0a:02
	domain db-1 $U3 tap3 52:54:00:00:0a:03
	echo "</node>"
} > "$WORK/node.xml"
# conf SAMPLE BUFFER: the collector's configuration
conf() {
	cat <<EOF
connect "test://$WORK/node.xml"
balancer "tcp://127.0.0.1:$REPORTS_PORT"
host-name hv01
interval 1 seconds
actuator none
pcap sample $1 buffer $2 top 16 filter "udp"
pcap interface "tap1" vm "web-1" uuid $U1 mac 52:54:00:00:0a:01 ip 10.77.0.1
pcap interface "tap2" vm "web-2" uuid $U2 mac 52:54:00:00:0a:02 ip 10.77.0.2
pcap interface "tap3" vm "db-1" uuid $U3 mac 52:54:00:00:0a:03 ip 10.77.0.3
EOF
}
conf 1 4M > "$WORK/c1.conf"
check "the configuration with a pcap map checks" \
    sh -c "'$BIN/ballast-collectord' -n -f '$WORK/c1.conf' >/dev/null"

# run NAME CONF: the sink and the collector in the hypervisor namespace
run() {
	ip netns exec "$H" "$TOOLS/trafficsink" "tcp://127.0.0.1:$REPORTS_PORT" \
	    >"$WORK/$1.out" 2>"$WORK/$1.sink.log" &
	SINK=$!
	ip netns exec "$H" "$BIN/ballast-collectord" -f "$2" \
	    >"$WORK/$1.log" 2>&1 &
	COLL=$!
	PIDS="$PIDS $SINK $COLL"
	wait_for 10 grep -q '^traffic ' "$WORK/$1.out"
}
stop() {
	sleep 2.5	# two more reports: the last packets' window is sent
	kill "$COLL" "$SINK" 2>/dev/null
	wait "$COLL" "$SINK" 2>/dev/null
}
gen() {	# gen FROM TO COUNT PAYLOAD [PPS]
	ip netns exec "$T$1" "$TOOLS/udpgen" "$2" 9 "$3" "$4" "${5:-2000}" \
	    >/dev/null
}
# pairs FILE: every pair summed over the reports: "SRC DST BYTES PACKETS"
pairs() {
	awk '$1 == "pair" { k = $2 " " $3; b[k] += $4; p[k] += $5 }
	    END { for (k in b) print k, b[k], p[k] }' "$1" | sort
}

# --- 1 in 1: exact ------------------------------------------------------
run exact "$WORK/c1.conf" || { notok "the collector reports traffic"; sed 's/^/# /' "$WORK/exact.log"; exit 1; }
gen 1 10.77.0.2 300 100		# web-1 -> web-2: 300 x 142 bytes
gen 2 10.77.0.3 200 500		# web-2 -> db-1:  200 x 542
gen 3 "$EXT" 150 200		# db-1 -> outside: 150 x 242
gen x 10.77.0.1 100 300		# outside -> web-1: 100 x 342
gen 1 fd77::99 50 100		# web-1 -> outside over IPv6: 50 x 162
stop
pairs "$WORK/exact.out" > "$WORK/exact.pairs"
cat > "$WORK/exact.want" <<EOF
$EXT vm:$U1 34200 100
vm:$U1 fd77::99 8100 50
vm:$U1 vm:$U2 42600 300
vm:$U2 vm:$U3 108400 200
vm:$U3 $EXT 36300 150
EOF
sort -o "$WORK/exact.want" "$WORK/exact.want"
sed 's/^/# /' "$WORK/exact.pairs"
check "1 in 1: each pair's packets and bytes exactly as sent, VM-to-VM once" \
    diff -u "$WORK/exact.want" "$WORK/exact.pairs"
addrs_ok() {
	grep -q "^addr $U1 52:54:00:00:0a:01$" "$WORK/exact.out" &&
	grep -q "^addr $U1 10.77.0.1$" "$WORK/exact.out" &&
	grep -q "^addr $U3 10.77.0.3$" "$WORK/exact.out"
}
check "the VMs' MACs and IPs are in their samples" addrs_ok
last=$(grep '^traffic ' "$WORK/exact.out" | tail -1)
note "last traffic line (sample window captured dropped if_dropped errors other_b other_p): $last"
check "sample_every 1, nothing dropped, no errors" \
    sh -c "echo '$last' | awk '{ exit !(\$2 == 1 && \$5 == 0 && \$7 == 0) }'"

# --- the taps and MACs from libvirt instead of the static map -----------
sed -e '/^pcap interface/d' -e 's/^pcap sample 1 /pcap libvirt yes sample 1 /' \
    "$WORK/c1.conf" > "$WORK/lv.conf"
run libvirt "$WORK/lv.conf"
sleep 1		# the first table from libvirt
gen 1 10.77.0.2 300 100
gen 3 "$EXT" 150 200
stop
pairs "$WORK/libvirt.out" > "$WORK/libvirt.pairs"
sed 's/^/# /' "$WORK/libvirt.pairs"
grep -e "^vm:$U1 vm:$U2 " -e "^vm:$U3 $EXT " "$WORK/exact.want" > "$WORK/libvirt.want"
check "libvirt's domain XML: the same pairs, exactly, with no static map" \
    diff -u "$WORK/libvirt.want" "$WORK/libvirt.pairs"
check "libvirt's domain XML: the VMs' MACs in their samples" \
    grep -q "^addr $U2 52:54:00:00:0a:02$" "$WORK/libvirt.out"
# the test driver makes up a lease for every interface it is asked about
check "virDomainInterfaceAddresses: an IP for each VM in its sample" \
    grep -qE "^addr $U3 [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$" "$WORK/libvirt.out"

# --- a domain started and destroyed at runtime (private libvirtd) -------
runtime() {
	virtd_start pv 7d4c6f3e-0000-4000-8000-0000000000a9 || return
	turi="test+unix:///default?socket=$VIRTD_SOCK"
	sed -e "s|^connect .*|connect \"$turi\"|" "$WORK/lv.conf" > "$WORK/rt.conf"
	run runtime "$WORK/rt.conf"
	gen 3 "$EXT" 40 200		# db-1 not running: its tap is not watched
	domain db-1 $U3 tap3 52:54:00:00:0a:03 > "$WORK/db1.xml"
	virsh -q -c "$turi" create "$WORK/db1.xml" >/dev/null
	check "a domain started at runtime: its tap is watched within 5 s" \
	    wait_for 5 grep -q "^addr $U3 52:54:00:00:0a:03$" "$WORK/runtime.out"
	gen 3 "$EXT" 150 200		# counted
	sleep 1.5
	virsh -q -c "$turi" destroy db-1 >/dev/null
	sleep 3
	gen 3 "$EXT" 60 200		# destroyed: not watched any more
	stop
	pairs "$WORK/runtime.out" | grep "^vm:$U3 " > "$WORK/runtime.pairs"
	sed 's/^/# /' "$WORK/runtime.pairs"
	check "only the packets sent while it ran are counted" \
	    [ "$(cat "$WORK/runtime.pairs")" = "vm:$U3 $EXT 36300 150" ]
	virtd_stop pv
}
if virtd_usable; then
	runtime
else
	note "skipped here: the runtime checks need libvirtd, virsh and mount namespaces"
fi

# --- 1 in 10: within the stated bound ------------------------------------
conf 10 4M > "$WORK/c10.conf"
run sampled "$WORK/c10.conf"
gen 1 10.77.0.2 20000 100 20000
stop
est=$(pairs "$WORK/sampled.out" | awk -v a="vm:$U1" -v b="vm:$U2" '$1 == a && $2 == b { print $3 * 10, $4 * 10 }')
note "1 in 10: web-1 -> web-2 estimated ${est:-nothing} (sent 2840000 bytes, 20000 packets; bound 8.5%)"
within() {
	[ -n "$est" ] && echo "$est" | awk '{ e = ($2 - 20000) / 20000; if (e < 0) e = -e;
	    exit !(e <= 0.085 && $1 == $2 * 142) }'
}
check "1 in 10: the estimate is within 4 standard errors" within
check "1 in 10: reports say sample_every 10" grep -q '^traffic 10 ' "$WORK/sampled.out"

# --- drops with a buffer made too small ---------------------------------
conf 1 4K > "$WORK/small.conf"
run small "$WORK/small.conf"
gen 1 10.77.0.2 100000 100 0
stop
drops=$(grep '^traffic ' "$WORK/small.out" | tail -1 | awk '{ print $5 + $6 }')
note "4 KiB buffer, 100000 packets unpaced: ${drops:-?} reported dropped"
check "drops are reported when the buffer is too small" [ "${drops:-0}" -gt 0 ]
check "and logged" grep -q 'dropped by the kernel' "$WORK/small.log"

# --- end to end: the real balancer takes the reports ------------------
napi() { ip netns exec "$H" curl -fsS --max-time 5 "http://127.0.0.1:$API_PORT$1"; }
ip netns exec "$H" "$BIN/ballast-balancerd" --state-dir "$WORK/bstate" \
    --api "127.0.0.1:$API_PORT" --reports "tcp://127.0.0.1:$REPORTS_PORT" \
    >"$WORK/e2e.bal.log" 2>&1 &
BPID=$!
PIDS="$PIDS $BPID"
wait_for 10 napi /api/v1/status >/dev/null
ip netns exec "$H" "$BIN/ballast-collectord" -f "$WORK/c1.conf" \
    >"$WORK/e2e.log" 2>&1 &
COLL=$!
PIDS="$PIDS $COLL"
vms_in() { napi /api/v1/vms 2>/dev/null | grep -q db-1; }
wait_for 10 vms_in
gen 2 10.77.0.3 3000 1000 1000		# web-2 -> db-1: 3 s of ~1 MB/s
sleep 2.5
napi /api/v1/traffic >"$WORK/e2e.json" 2>/dev/null
note "balancer: $(jq -c '.pairs[0] | {src, dst, src_host, bps}' "$WORK/e2e.json" 2>/dev/null)"
e2e_pair() {
	jq -e '[.pairs[] | select(.src == "web-2" and .dst == "db-1" and
	    .src_host == "hv01" and .bps > 1000)] | length == 1' \
	    "$WORK/e2e.json" >/dev/null
}
check "end to end: the balancer's matrix has web-2 -> db-1 from the capture, named and placed" e2e_pair
check "and it counted the host's captured packets" \
    jq -e '.stats.captured > 0 and .stats.pairs_counted > 0' "$WORK/e2e.json"
kill "$COLL" "$BPID" 2>/dev/null
wait "$COLL" "$BPID" 2>/dev/null

# --- an interface that disappears --------------------------------------
run gone "$WORK/c1.conf"
ip -n "$H" link del tap3
sleep 2.5
gone_reported() { grep '^traffic ' "$WORK/gone.out" | awk '$7 > 0 { f = 1 } END { exit !f }'; }
check "a deleted tap is reported as a capture error" gone_reported
check "the collector keeps running" kill -0 "$COLL"
n1=$(grep -c '^report ' "$WORK/gone.out"); sleep 1.5
check "and keeps reporting" [ "$(grep -c '^report ' "$WORK/gone.out")" -gt "$n1" ]
check "the loss is logged" grep -q 'tap3' "$WORK/gone.log"
stop
clean_exit() { ! grep -qE 'Sanitizer|runtime error' "$WORK"/*.log; }
check "no sanitizer reports from the collectors and the sink" clean_exit
[ "$FAILS" -eq 0 ] || { note "collector log:"; sed 's/^/# /' "$WORK/gone.log" "$WORK/exact.log" | tail -30; }
exit "$FAILS"
