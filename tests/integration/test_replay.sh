#!/bin/sh
# SPDX-License-Identifier: ISC
# Replay mode: the simulator and the balancer run in lockstep on the
# traces' own clock (ballast-sim --replay, ballast-balancerd --replay), so
# 400 five-minute steps (33 hours of trace) replay in seconds with a
# planning pass at every step -- and the planner acts exactly as on a
# live cluster: the burst's hot host is relieved once, by one move.
. "$(dirname "$0")/lib.sh"

python3 "$ROOT/tests/integration/burst_traces.py" "$WORK/traces"
cat > "$WORK/replay.policy" <<'POL'
mode automatic
interval 30s
hot cpu above 80% for 5m
cool cpu below 65% for 10m
POL
start_balancer --replay -p "$WORK/replay.policy"
t0=$(date +%s)
"$BIN/ballast-sim" --replay --once --traces "$WORK/traces" --hosts 4 \
    --host-cpus 4 --step 300 --connect "$REPORTS" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
PIDS="$PIDS $SIM_PID"
sim_done() { ! kill -0 "$SIM_PID" 2>/dev/null; }
check "400 steps (33 hours of trace) replay" wait_for 90 sim_done
dt=$(( $(date +%s) - t0 ))
note "replayed 400 steps in $dt s; $(tail -1 "$WORK/sim.log")"
check "in under a minute" [ "$dt" -lt 60 ]
check "with a planning pass at every step" \
    [ "$(get /api/v1/plan | jq .passes)" -ge 400 ]
check "and every report received, none lost" \
    sh -c "curl -fsS $API/api/v1/status | jq -e '.reports_received == 1600 and .reports_lost == 0' >/dev/null"
get /api/v1/migrations > "$WORK/migs.json"
note "migrations: $(jq -c '[.[] | [.vm, .from, .to, .reason, .state]]' "$WORK/migs.json")"
one_move() {
	jq -e 'length == 1 and .[0].from == "hv01" and .[0].reason == "hot" and
	    .[0].state == "done"' "$WORK/migs.json" >/dev/null
}
check "the hot host was relieved by exactly one move" one_move
hv01=$(get /api/v1/hosts/hv01 | jq .cpu_util)
check "and stayed cool to the end (hv01 at $hv01)" \
    python3 -c "import sys; sys.exit(0 if $hv01 < 0.8 else 1)"
finish
