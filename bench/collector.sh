#!/bin/sh
# SPDX-License-Identifier: ISC
# bench/collector: CPU per VM-sample of ballast-collectord, collectd's
# virt plugin (Debian collectd-core, with its network writer) and
# prometheus-libvirt-exporter (Debian), side by side in one run, on the
# same libvirt domains at the same interval.
#
# The domains are libvirt test-driver domains (a node XML of N of them,
# each 2 vCPUs, a balloon and a NIC), so no QEMU is needed and all
# three read the same counters through the same driver, in their own
# process.  They have no disks: collectd reads disks with
# virDomainBlockStatsFlags, which the test driver does not implement
# (every read would fail and log), so disks are left out of all three.
#
# ballast-collectord publishes to a real ballast-balancerd; collectd
# sends to a UDP sink; the exporter is scraped once per interval, as
# Prometheus would (it opens its libvirt connection again on every
# scrape: that is its design, and its cost).  CPU time is user +
# system from /proc/PID/stat (what getrusage would give the parent),
# taken after a warm-up, over the measured window.
#
# usage: bench/collector.sh [-n VMS] [-t SECONDS] [-i INTERVAL_S]
#        (BIN=build/bin or bin: where ballast-collectord is)
set -eu
N=200
T=60
IVL=1
while getopts n:t:i: o; do
	case $o in
	n) N=$OPTARG ;;
	t) T=$OPTARG ;;
	i) IVL=$OPTARG ;;
	*) echo "usage: $0 [-n VMS] [-t SECONDS] [-i INTERVAL_S]" >&2; exit 2 ;;
	esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/bin}
for c in collectd prometheus-libvirt-exporter curl python3; do
	command -v "$c" >/dev/null || { echo "bench/collector: $c is missing (make deps)" >&2; exit 1; }
done
[ -x "$BIN/ballast-collectord" ] || { echo "bench/collector: build first (make)" >&2; exit 1; }
W=$(mktemp -d /tmp/ballast-bench.XXXXXX)
PIDS=""
stop() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
	rm -rf "$W"
}
trap stop EXIT INT TERM
port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
API_PORT=$(port); REP_PORT=$(port); EXP_PORT=$(port); UDP_PORT=$(port)

python3 - "$N" "$W/node.xml" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
out = ["<node><cpu><mhz>2600</mhz><model>i686</model><active>64</active>"
       "<total>64</total><nodes>1</nodes><sockets>2</sockets><cores>16</cores>"
       "<threads>2</threads></cpu><memory>1073741824</memory>"]
for i in range(n):
    out.append(
        f"<domain type='test'><name>vm-{i:04d}</name>"
        f"<uuid>00000000-0000-4000-8000-{i:012d}</uuid>"
        "<memory>1048576</memory><currentMemory>1048576</currentMemory>"
        "<vcpu>2</vcpu><os><type>hvm</type></os><devices>"
        f"<interface type='bridge'><mac address='52:54:00:00:{i // 256:02x}:{i % 256:02x}'/>"
        f"<source bridge='br0'/><target dev='tap{i:04d}'/></interface>"
        "<memballoon model='virtio'/></devices></domain>")
out.append("</node>")
open(path, "w").write("\n".join(out))
EOF
URI="test://$W/node.xml"

# the receivers, not measured
"$BIN/ballast-balancerd" --state-dir "$W/state" --api "127.0.0.1:$API_PORT" \
    --reports "tcp://127.0.0.1:$REP_PORT" >"$W/balancer.log" 2>&1 &
PIDS="$PIDS $!"
python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
while True: s.recv(65536)' "$UDP_PORT" &
PIDS="$PIDS $!"

# the three, on the same domains at the same interval
"$BIN/ballast-collectord" --connect "$URI" --balancer "tcp://127.0.0.1:$REP_PORT" \
    --host-name bench --interval "$IVL" >"$W/collectord.log" 2>&1 &
BAL_COL=$!
PIDS="$PIDS $BAL_COL"
cat > "$W/collectd.conf" <<EOF
Interval $IVL
FQDNLookup false
Hostname "bench"
LoadPlugin virt
LoadPlugin network
<Plugin virt>
  Connection "$URI"
  RefreshInterval 60
  HostnameFormat name
</Plugin>
<Plugin network>
  Server "127.0.0.1" "$UDP_PORT"
</Plugin>
EOF
collectd -f -C "$W/collectd.conf" >"$W/collectd.log" 2>&1 &
COLLECTD=$!
PIDS="$PIDS $COLLECTD"
prometheus-libvirt-exporter --libvirt.uri="$URI" \
    --web.listen-address="127.0.0.1:$EXP_PORT" >"$W/exporter.log" 2>&1 &
EXPORTER=$!
PIDS="$PIDS $EXPORTER"
# scrapes: one per interval, counted; the scraper's CPU is not measured
(
	while :; do
		if curl -fsS -o "$W/scrape.txt" "http://127.0.0.1:$EXP_PORT/metrics" 2>/dev/null; then
			echo x >> "$W/scrapes"
		fi
		sleep "$IVL"
	done
) &
PIDS="$PIDS $!"

cpu_ms() {	# user + system of process $1, in ms
	python3 -c 'import os, sys
f = open("/proc/%s/stat" % sys.argv[1]).read().rsplit(")", 1)[1].split()
print(int((int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")))' "$1"
}
seq_of() {
	curl -fsS "http://127.0.0.1:$API_PORT/api/v1/hosts/bench" 2>/dev/null |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["seq"])' || echo 0
}
scrapes() { [ -f "$W/scrapes" ] && wc -l < "$W/scrapes" || echo 0; }

sleep 5		# warm-up: connections, first rounds, the domain list
c0=$(cpu_ms "$BAL_COL"); d0=$(cpu_ms "$COLLECTD"); e0=$(cpu_ms "$EXPORTER")
s0=$(seq_of); x0=$(scrapes)
sleep "$T"
c1=$(cpu_ms "$BAL_COL"); d1=$(cpu_ms "$COLLECTD"); e1=$(cpu_ms "$EXPORTER")
s1=$(seq_of); x1=$(scrapes)
vms=$(curl -fsS "http://127.0.0.1:$API_PORT/api/v1/hosts/bench" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["vms"])')
lines=$(grep -c '^libvirt_domain_info_cpu_time' "$W/scrape.txt" || true)

python3 - "$N" "$T" "$IVL" "$vms" "$lines" \
    "$((c1 - c0))" "$((s1 - s0))" "$((d1 - d0))" "$((e1 - e0))" "$((x1 - x0))" <<'EOF'
import sys
n, t, ivl, vms, lines = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
c_ms, reports, d_ms, e_ms, scrapes = (int(x) for x in sys.argv[6:11])
rounds_collectd = t / ivl          # collectd reads every domain once per interval
rows = [
    ("ballast-collectord", c_ms, reports * vms, "%d reports of %d VMs" % (reports, vms)),
    ("collectd virt+network", d_ms, rounds_collectd * n, "%d intervals of %d VMs" % (rounds_collectd, n)),
    ("prometheus-libvirt-exporter", e_ms, scrapes * lines, "%d scrapes of %d VMs" % (scrapes, lines)),
]
print("bench/collector: %d test-driver VMs, %.0f s at a %.1f s interval" % (n, t, ivl))
print("%-28s %10s %12s %14s  %s" % ("", "CPU ms", "VM-samples", "us/VM-sample", "what"))
per = {}
for name, ms, samples, what in rows:
    us = ms * 1000.0 / samples if samples else float("nan")
    per[name] = us
    print("%-28s %10d %12d %14.2f  %s" % (name, ms, samples, us, what))
base = per["collectd virt+network"]
for name in ("ballast-collectord", "prometheus-libvirt-exporter"):
    print("%s / collectd: %.2f" % (name, per[name] / base))
print("target: ballast-collectord <= 1/3 of collectd's cost: %s" %
      ("met" if per["ballast-collectord"] <= base / 3 else "NOT met"))
EOF
