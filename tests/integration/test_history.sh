#!/bin/sh
# SPDX-License-Identifier: ISC
# History end to end: the real rrdcached (with a journal), the balancer
# writing through it, and ballast-sim replaying the 60-VM Bitbrains
# slice on 8 hosts.  rrdcached is killed (-9) and restarted mid-run.
# Then: the RRD files against the trace (history_expect.py, with
# rrdtool fetch and rrdtool info), /metrics through promtool, and the
# graph endpoints.
. "$(dirname "$0")/lib.sh"

metric() { get /metrics | awk -v m="$1" '$1 == m { print $2 }'; }

start_rrdcached
start_balancer --rrdcached "$RRDC_ADDR"
start_sim --traces "$TRACES" --hosts 8 --step 300 --speed 300

hosts_and_vms() { [ "$(status_field hosts)" = 8 ] && [ "$(status_field vms)" = 60 ]; }
check "8 hosts and 60 VMs reach the API" wait_for 20 hosts_and_vms
sleep 8

# rrdcached goes away for 3 s (kill -9: its journal's last buffer is
# lost too), then comes back on the same journal.
kill -9 "$RRDC_PID"
sleep 3
check "the balancer survives rrdcached's death" kill -0 "$BAL_PID"
queued=$(metric ballast_rrd_queued_updates)
note "with rrdcached away: $queued updates queued"
check "updates are kept while rrdcached is away" [ "${queued:-0}" -gt 0 ]
start_rrdcached
caught_up() { [ "$(metric ballast_rrdcached_connected)" = 1 ] && [ "$(metric ballast_rrd_queued_updates)" = 0 ]; }
check "the balancer reconnects and sends what it kept" wait_for 10 caught_up
check "the balancer logged the loss of rrdcached" grep -q "rrdcached at .*reconnecting" "$WORK/balancer.log"
sleep 6

# /metrics: promtool, and every VM of the API in it
get /metrics > "$WORK/metrics.txt"
check "/metrics passes promtool check metrics" sh -c "promtool check metrics < '$WORK/metrics.txt' > '$WORK/promtool.txt' 2>&1"
sed 's/^/# promtool: /' "$WORK/promtool.txt"
ctype=$(curl -fsS -o /dev/null -w '%{content_type}' "$API/metrics")
check "/metrics is text/plain; version=0.0.4 ($ctype)" sh -c "echo '$ctype' | grep -q '^text/plain; version=0.0.4'"
get /api/v1/vms | jq -r '.[].uuid' > "$WORK/uuids.txt"
every_vm() {
	[ "$(wc -l < "$WORK/uuids.txt")" = 60 ] || return 1
	while read -r u; do
		grep -q "^libvirt_domain_info_cpu_time_seconds_total{.*uuid=\"$u\"" "$WORK/metrics.txt" || return 1
	done < "$WORK/uuids.txt"
}
check "every VM of the API is in /metrics" every_vm
check "every metric family has HELP and TYPE lines" python3 -c '
import sys
help, typ, fams = set(), set(), set()
for l in open(sys.argv[1]):
    p = l.split()
    if l.startswith("# HELP "): help.add(p[2])
    elif l.startswith("# TYPE "): typ.add(p[2])
    elif p: fams.add(p[0].split("{")[0])
sys.exit(0 if fams and fams <= help and fams <= typ else 1)' "$WORK/metrics.txt"

# graphs: PNG of the asked size, SVG, 400 for a bad parameter
uuid=$(head -1 "$WORK/uuids.txt")
png_size() {	# png_size FILE W H
	python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read()
ok = d[:8] == b"\x89PNG\r\n\x1a\n" and d[12:16] == b"IHDR"
w, h = struct.unpack(">II", d[16:24]) if ok else (0, 0)
sys.exit(0 if ok and (w, h) == (int(sys.argv[2]), int(sys.argv[3])) else 1)' "$@"
}
svg_ok() {
	python3 -c 'import sys, xml.etree.ElementTree as E
sys.exit(0 if E.parse(sys.argv[1]).getroot().tag.endswith("svg") else 1)' "$1"
}
code() { curl -s -o "$WORK/body" -w '%{http_code}' "$API$1"; }
check "a host graph is a 640x240 PNG" sh -c "[ \$(curl -s -o '$WORK/h.png' -w '%{http_code}' '$API/graph/host/hv03.png?metric=cpu&start=-6h&width=640&height=240') = 200 ]"
check "  ... with PNG magic bytes and IHDR 640x240" png_size "$WORK/h.png" 640 240
for m in vcpu_delay mem disk net; do
	curl -s -o "$WORK/vm-$m.png" "$API/graph/vm/$uuid.png?metric=$m&start=-3h"
	check "a VM $m graph is an 800x300 PNG" png_size "$WORK/vm-$m.png" 800 300
done
curl -s -o "$WORK/c.png" "$API/graph/cluster.png?metric=hosts&start=-1d&width=1000&height=400"
check "a cluster graph is a 1000x400 PNG" png_size "$WORK/c.png" 1000 400
curl -s -o "$WORK/v.svg" "$API/graph/vm/$uuid.svg?metric=net"
check "an SVG graph has an svg root" svg_ok "$WORK/v.svg"
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$API/graph/cluster.svg")
check "SVG is served as image/svg+xml" [ "$ctype" = image/svg+xml ]
for q in "host/hv01.png?metric=bogus" "host/hv01.png?start=yesterday" \
    "host/hv01.png?start=-5s" "vm/$uuid.png?width=20" "vm/$uuid.png?height=x" \
    "vm/not-a-uuid.png" "host/hv01.gif" "host/a%2Fb.png" "nothing.png"; do
	c=$(code "/graph/$q")
	check "GET /graph/$q is 400 with a message ($(jq -r .error "$WORK/body" 2>/dev/null))" \
	    sh -c "[ '$c' = 400 ] && jq -e '.error | length > 0' '$WORK/body' >/dev/null"
done
check "a host with no history is 404" [ "$(code /graph/host/hv99.png)" = 404 ]
check "the balancer is still up after the bad requests" kill -0 "$BAL_PID"

# Stop the sim; let the last reports reach rrdcached; compare with the trace.
kill "$SIM_PID"
sleep 1
check "everything is acknowledged by rrdcached" wait_for 10 caught_up
for h in hv01 hv02 hv03 hv04 hv05 hv06 hv07 hv08; do
	get "/api/v1/hosts/$h"; echo
done | jq -s . > "$WORK/hosts.json"
if python3 "$ROOT/tests/integration/history_expect.py" "$TRACES" \
    "$WORK/state/rrd" "$RRDC_ADDR" < "$WORK/hosts.json" > "$WORK/expect.txt" 2>&1
then ok "VM files give the trace's values (1 %), no row lost, hosts = sum of VMs, rrdtool info reads every file"
else notok "VM files give the trace's values (1 %), no row lost, hosts = sum of VMs, rrdtool info reads every file"; fi
cat "$WORK/expect.txt"
dups=$(metric ballast_rrd_duplicates_total)
note "rrdcached refused $dups resent updates as already present; refused otherwise: $(metric ballast_rrd_refused_total)"
check "rrdcached refused no update for another reason" [ "$(metric ballast_rrd_refused_total)" = 0 ]
check "the VM name map is kept beside the files" \
    grep -q "^$uuid	vm-[0-9]*\$" "$WORK/state/rrd/vms/names.tsv"

# A clean stop flushes; without rrdcached the balancer writes directly
# and says so once.
kill "$BAL_PID"
wait_for 10 sh -c "! kill -0 $BAL_PID 2>/dev/null"
check "the balancer stopped cleanly" grep -q "stopped" "$WORK/balancer.log"
: > "$WORK/balancer.log"
start_balancer
sleep 1.5
check "without rrdcached the balancer says once that it writes directly" \
    [ "$(grep -c 'no rrdcached configured' "$WORK/balancer.log")" = 1 ]
[ "$FAILS" -eq 0 ] || { note "rrdcached log:"; sed 's/^/# /' "$WORK/rrdcached.log" | tail -20; }
finish
