#!/bin/sh
# SPDX-License-Identifier: ISC
# make demo: the real balancer and a simulated 16-host, 200-VM cluster
# that find each other on loopback with their defaults.  Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
STATE=${BALLAST_DEMO_STATE:-$(mktemp -d /tmp/ballast-demo.XXXXXX)}
bin/ballast-balancerd --state-dir "$STATE" &
BAL=$!
sleep 0.5
if ! kill -0 "$BAL" 2>/dev/null; then
	echo "demo: the balancer did not start (is another one on port 8470/8471?)" >&2
	exit 1
fi
# one simulated minute per real second of a synthetic day: lively graphs
bin/ballast-sim --hosts 16 --vms 200 --speed 60 --step 60 &
SIM=$!
stop() {
	trap - INT TERM EXIT
	echo
	echo "demo: stopping (sim $SIM, balancer $BAL)"
	kill "$SIM" "$BAL" 2>/dev/null || true
	wait "$SIM" "$BAL" 2>/dev/null || true
	echo "demo: stopped; state kept in $STATE"
}
trap stop INT TERM EXIT
sleep 3
cat <<MSG

  ballast demo is running: 16 simulated hypervisors, 200 VMs.

    API:        http://127.0.0.1:8470/api/v1/status
                http://127.0.0.1:8470/api/v1/hosts
                http://127.0.0.1:8470/api/v1/vms
    CLI:        bin/ballastctl status | hosts | vms
    State:      $STATE

  Press Ctrl-C to stop both daemons.

MSG
bin/ballastctl hosts || true
wait "$SIM" "$BAL"
