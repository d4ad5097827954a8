#!/bin/sh
# SPDX-License-Identifier: ISC
# bench/pcap: CPU per million packets captured by the collector's pcap
# source at 1 in 1 and 1 in 100, against a bare pcap_dispatch() loop
# that only counts, in the same run and on the same traffic: a veth
# pair between two network namespaces, udpgen sending PACKETS UDP
# datagrams of 64 bytes at RATE per second from one end, bench/pcap
# capturing on the other.  Needs root and iproute2.
#   bench/pcap.sh [BUILD_DIR] [PACKETS] [RATE]
set -u
B=${1:-build}
PACKETS=${2:-1000000}
RATE=${3:-200000}
if [ "$(id -u)" != 0 ]; then
	echo "bench/pcap: skipped (needs root for network namespaces)"
	exit 0
fi
T=bpb$$
trap 'ip netns del ${T}a 2>/dev/null; ip netns del ${T}b 2>/dev/null' EXIT INT TERM
ip netns add ${T}a && ip netns add ${T}b &&
ip -n ${T}a link add eth0 type veth peer name eth0 netns ${T}b &&
ip -n ${T}a addr add 10.78.0.1/24 dev eth0 &&
ip -n ${T}b addr add 10.78.0.2/24 dev eth0 &&
ip -n ${T}a link set eth0 up && ip -n ${T}b link set eth0 up || exit 1
out=$(mktemp)
trap 'rm -f "$out"; ip netns del ${T}a 2>/dev/null; ip netns del ${T}b 2>/dev/null' EXIT INT TERM

echo "bench/pcap: $PACKETS UDP packets of 106 bytes at $RATE/s per mode, $(nproc) CPUs"
for mode in bare 1 100; do
	ip netns exec ${T}b "$B/bench/pcap" eth0 "$PACKETS" $mode >"$out" &
	cap=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q ready "$out" && break
		sleep 0.2
	done
	ip netns exec ${T}a "$B/tests/udpgen" 10.78.0.2 9 "$PACKETS" 64 "$RATE" >/dev/null
	wait $cap
	grep -v ready "$out"
done | tee "$out.all"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] } }
    END {
	b = v["bare", "cpu_s_per_mpkt"]
	if (b > 0) {
		printf "ratio 1-in-1 / bare: %.2f\n", v["1", "cpu_s_per_mpkt"] / b
		printf "ratio 1-in-100 / bare: %.2f\n", v["100", "cpu_s_per_mpkt"] / b
	}
    }' "$out.all"
rm -f "$out.all"
