#!/bin/sh
# SPDX-License-Identifier: ISC
# Writes the fuzz targets' seed corpora under fuzz/corpus/TARGET/ from
# real messages and files:
#   wire, cmds  every kind of message a real ballast-sim and a real
#               ballast-balancerd exchanged while the balancer relieved a
#               hot host (recorded by fuzz/tap between the two), and
#               reports of a sim carrying a traffic matrix
#   policy      the shipped policies and the test policies, good and bad
#   conf, cconf the configurations in the man pages and the daemons'
#               own -nv output
#   http        the URLs the dashboard and ballastctl request, with the
#               names and UUIDs of that run
#   trace       rows of the Bitbrains traces in tests/data
# Usage: fuzz/seeds.sh [BUILD_DIR]   (default build-san; run from the
# top of the tree after make SAN=1 tests and make SAN=1 build-san/fuzz/tap)
set -u
B=${1:-build-san}
BIN="$B/bin"
TOOLS="$B/tests"
. "$(dirname "$0")/../tests/integration/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TRACES="$ROOT/tests/data/bitbrains-rnd-2013-07-week1-60vm.tar.gz"
C="$ROOT/fuzz/corpus"
mkdir -p "$C/wire" "$C/cmds" "$C/policy" "$C/conf" "$C/cconf" "$C/http" \
    "$C/trace"

# --- wire and cmds: a planner run through the tap ---------------------
python3 "$ROOT/tests/integration/burst_traces.py" "$WORK/traces"
printf 'mode automatic\ninterval 5s\nhot cpu above 80%% for 10s\ncool cpu below 65%% for 10s\n' \
    > "$WORK/auto.policy"
start_balancer -p "$WORK/auto.policy"
FRONT="tcp://127.0.0.1:$((API_PORT + 2))"
# record DIR SECONDS SIM-ARGS...: the messages of a sim run through the tap
record() {
	dir=$1; secs=$2; shift 2
	mkdir -p "$dir"
	"$B/fuzz/tap" "$FRONT" "$REPORTS" "$dir" "$secs" >>"$WORK/tap.log" 2>&1 &
	TAP_PID=$!
	PIDS="$PIDS $TAP_PID"
	sleep 0.5
	REPORTS=$FRONT start_sim "$@"
}
record "$WORK/tap" 45 --traces "$WORK/traces" --hosts 4 --host-cpus 4 \
    --step 300 --speed 300
sleep 20
VM=$(get /api/v1/vms | jq -r '.[0].uuid')
wait "$TAP_PID"
kill "$SIM_PID"; wait "$SIM_PID" 2>/dev/null
# the same with a traffic matrix: reports with a traffic section
record "$WORK/tap-traffic" 10 --vms 12 --hosts 3 --traffic-synth 20
wait "$TAP_PID"
# The body's tag is the third byte (after "version 1"): hello 0x12,
# report 0x1a, ack 0x22, command 0x2a, status 0x32.
kind() { od -An -tx1 -j2 -N1 "$1" | tr -d ' '; }
keep() {	# keep DIR PREFIX MAX FILES...: the first MAX of each kind
	dir=$1; pre=$2; max=$3; shift 3
	for f in "$@"; do
		k=$(kind "$f")
		n=$(ls "$dir" | grep -c "^$pre-$k-" || true)
		[ "$n" -lt "$max" ] && cp "$f" "$dir/$pre-$k-$(basename "$f")"
	done
	return 0
}
keep "$C/wire" msg 8 "$WORK"/tap/up-* "$WORK"/tap/down-*
keep "$C/wire" traffic 4 "$WORK"/tap-traffic/up-*
keep "$C/cmds" msg 16 "$WORK"/tap/down-*
note "recorded $(ls "$WORK/tap" "$WORK/tap-traffic" | wc -l) messages; kept $(ls "$C/wire" | wc -l) for wire, $(ls "$C/cmds" | wc -l) for cmds"

# --- policy -------------------------------------------------------------
for f in "$ROOT"/policies/*.policy "$ROOT"/tools/demo.policy \
    "$ROOT"/tests/data/policy/*.policy "$ROOT"/tests/data/planner/*.policy; do
	cp "$f" "$C/policy/$(basename "$(dirname "$f")")-$(basename "$f")"
done

# --- conf and cconf: the man pages' examples and -nv ---------------------
manblocks() {	# manblocks PAGE PREFIX DIR: each literal block a file
	awk -v dir="$3" -v pre="$2" '
	    /^\.Bd -literal/ { n++; f = sprintf("%s/%s-%d", dir, pre, n); inb = 1; next }
	    /^\.Ed/ { inb = 0; close(f); next }
	    inb { sub(/^\\&/, ""); print > f }' "$1"
}
manblocks "$ROOT/man/ballast-balancerd.conf.5" man "$C/conf"
manblocks "$ROOT/man/ballast-collectord.8" man "$C/cconf"
"$BIN/ballast-balancerd" -nv -f /dev/null 2>/dev/null |
    sed '/^# policy/,$d' > "$C/conf/printed-defaults"
"$BIN/ballast-collectord" -nv -f /dev/null 2>/dev/null |
    grep -v '^configuration OK' > "$C/cconf/printed-defaults"

# --- http: the dashboard's and ballastctl's requests --------------------
n=0
url() { n=$((n + 1)); printf '%s' "$1" > "$C/http/url-$n"; }
for p in status hosts hosts/hv01 vms "vms/$VM" plan plan/explain migrations \
    maintenance policy; do
	url "/api/v1/$p"
done
url "/api/v1/plan/12/approve"
url "/api/v1/plan/12/reject"
url "/api/v1/migrations/4294967297/cancel"
url "/api/v1/maintenance/hv01/enter"
url "/api/v1/maintenance/hv02/exit"
url "/api/v1/migrate"
url "/api/v1/report/capacity?format=json&range=30d&horizon=90d&slot=4vcpu:16g&buffer=10&reserve=1"
url "/api/v1/report/capacity?format=html&add=20x4vcpu:16g:30%25&add_like=vm-1:10&remove_host=hv01&add_host=2x64c:1t&end=2013-07-31T12:00"
url "/api/v1/report/capacity?format=text&core_mhz=2600&disk_cap=512m&net_cap=25gbit&end=1375228800"
url "/graph/cluster.png?metric=imbalance&start=86400&width=800&height=240"
url "/graph/cluster.png?metric=migrations&start=604800&width=640&height=240"
url "/graph/host/hv01.png?metric=cpu&start=3600&width=800&height=220"
url "/graph/vm/$VM.svg?metric=vcpu_delay&start=86400&width=600&height=220"
url "/"
url "/index.html"
url "/app.js"
url "/metrics"
printf '/api/v1/plan/3/approve\n0123456789abcdef0123456789abcdef' > "$C/http/token-good"
printf '/api/v1/migrations/7/cancel\n0123456789abcdef0123456789abcdeX' > "$C/http/token-bad"

# --- trace: the first rows of a few VMs of the shipped trace -------------
mkdir -p "$WORK/bb"
tar -xzf "$TRACES" -C "$WORK/bb"
for f in $(find "$WORK/bb" -name '*.csv' | sort | head -4); do
	head -n 25 "$f" > "$C/trace/bitbrains-$(basename "$f")"
done
head -n 25 "$WORK/traces/1.csv" > "$C/trace/burst-1.csv"
note "corpus: $(du -sh "$C" | cut -f1)"
check "every target has seeds" sh -c "for d in '$C'/*; do [ -n \"\$(ls \$d)\" ] || exit 1; done"
finish
