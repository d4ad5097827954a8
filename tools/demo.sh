#!/bin/sh
# SPDX-License-Identifier: ISC
# make demo: the real balancer and a simulated 16-host, 200-VM cluster
# that find each other on loopback with their defaults, and an rrdcached
# (journal in the state directory) for the history.  Ctrl-C stops all
# three, by PID.
set -eu
cd "$(dirname "$0")/.."
STATE=${BALLAST_DEMO_STATE:-$(mktemp -d /tmp/ballast-demo.XXXXXX)}
mkdir -p "$STATE/rrd" "$STATE/rrdcached.journal"
RRDC="unix:$STATE/rrdcached.sock"
rrdcached -g -l "$RRDC" -b "$STATE/rrd" -B -j "$STATE/rrdcached.journal" \
    -p "$STATE/rrdcached.pid" -w 300 -f 3600 >"$STATE/rrdcached.log" 2>&1 &
RRDCD=$!
sleep 0.5
if ! kill -0 "$RRDCD" 2>/dev/null; then
	echo "demo: rrdcached did not start (see $STATE/rrdcached.log)" >&2
	exit 1
fi
bin/ballast-balancerd --state-dir "$STATE" --rrdcached "$RRDC" \
    --policy tools/demo.policy &
BAL=$!
sleep 0.5
if ! kill -0 "$BAL" 2>/dev/null; then
	echo "demo: the balancer did not start (is another one on port 8470/8471?)" >&2
	kill "$RRDCD" 2>/dev/null || true
	exit 1
fi
# one simulated minute per real second of a synthetic day: lively graphs;
# 40 seeded VM pairs talk to each other (ballastctl traffic)
bin/ballast-sim --hosts 16 --vms 200 --speed 60 --step 60 --traffic-synth 40 &
SIM=$!
stop() {
	trap - INT TERM EXIT
	echo
	echo "demo: stopping (sim $SIM, balancer $BAL, rrdcached $RRDCD)"
	kill "$SIM" "$BAL" 2>/dev/null || true
	wait "$SIM" "$BAL" 2>/dev/null || true
	kill "$RRDCD" 2>/dev/null || true	# after the balancer's last flush
	wait "$RRDCD" 2>/dev/null || true
	echo "demo: stopped; state kept in $STATE"
}
trap stop INT TERM EXIT
sleep 3
VM=$(curl -fsS http://127.0.0.1:8470/api/v1/vms 2>/dev/null | jq -r '.[0].uuid // empty' 2>/dev/null || true)
VM=${VM:-UUID}
cat <<MSG

  ballast demo is running: 16 simulated hypervisors, 200 VMs.

    Dashboard:  http://127.0.0.1:8470/   (token for its buttons: $STATE/api.token)
    API:        http://127.0.0.1:8470/api/v1/status
                http://127.0.0.1:8470/api/v1/hosts
                http://127.0.0.1:8470/api/v1/vms
    Metrics:    http://127.0.0.1:8470/metrics
    Graphs:     http://127.0.0.1:8470/graph/cluster.png?metric=imbalance&start=-1h
                http://127.0.0.1:8470/graph/host/hv01.png?metric=cpu&start=-1h
                http://127.0.0.1:8470/graph/vm/$VM.svg?metric=mem&start=-1h
                (metric=cpu|vcpu_delay|mem|disk|net; a VM's UUID is in
                bin/ballastctl vms; .png or .svg; width=, height=)
    CLI:        bin/ballastctl status | hosts | vms
    Planner:    bin/ballastctl plan --explain      (why each move, and not others)
                bin/ballastctl migrations          (what ran, and how it ended)
                policy tools/demo.policy: automatic, hot = CPU above 80% for 20 s
    Operator:   export BALLAST_TOKEN=\$(cat $STATE/api.token)
                bin/ballastctl migrate VM HOST | maintenance enter HOST
    State:      $STATE (RRD files in rrd/, rrdcached at $RRDC)

  Press Ctrl-C to stop the three of them.

MSG
bin/ballastctl hosts || true
wait "$SIM" "$BAL"
