#!/bin/sh
# SPDX-License-Identifier: ISC
# The accelerated soak, shared by tests/faults/test_soak.sh and
# bench/soak.sh (sourced after lib.sh): TRACES through the whole stack
# -- ballast-sim --replay -> ZeroMQ -> ballast-balancerd --replay with a
# planner in automatic mode and the RRD history through rrdcached --
# for SOAK_DAYS simulated days (the traces loop when shorter).  Prints
# the balancer's RSS after the first simulated day and at the end, and
# fails when the end is more than 10 % above the first day's level.
: "${SOAK_DAYS:=30}" "${SOAK_HOSTS:=8}" "${SOAK_STEP:=300}" "${SOAK_LIMIT:=1800}"

cat > "$WORK/soak.policy" <<'POL'
mode automatic
interval 5m
hot cpu above 80% for 15m
cool cpu below 65% for 30m
migration {
	cooldown 2h
}
POL
start_rrdcached
start_balancer --replay -p "$WORK/soak.policy" --rrdcached "$RRDC_ADDR"
steps_day=$((86400 / SOAK_STEP))
steps=$((SOAK_DAYS * steps_day))
t0=$(date +%s)
"$BIN/ballast-sim" --replay --traces "$TRACES" --hosts "$SOAK_HOSTS" \
    --step "$SOAK_STEP" --steps "$steps" --status "$WORK/sim.status" \
    --connect "$REPORTS" >>"$WORK/sim.log" 2>&1 &
SIM_PID=$!
PIDS="$PIDS $SIM_PID"

sim_steps() { jq -r '.steps // 0' "$WORK/sim.status" 2>/dev/null || echo 0; }
past_day() { [ "$(sim_steps)" -ge "$steps_day" ]; }
sim_done() { ! kill -0 "$SIM_PID" 2>/dev/null; }
# RRD updates the balancer holds for rrdcached (a bounded queue that
# grows while rrdcached lags: part of the RSS, not a leak)
rrd_queued() { get /metrics | awk '/^ballast_rrd_queued_updates / { print $2 }'; }

check "the first simulated day replays" wait_for "$SOAK_LIMIT" past_day
rss_day=$(rss_kb "$BAL_PID")
note "balancer RSS after day 1 ($(sim_steps) steps, $(( $(date +%s) - t0 )) s): $rss_day KiB; RRD updates queued for rrdcached: $(rrd_queued)"
check "all $SOAK_DAYS simulated days ($steps steps) replay" wait_for "$SOAK_LIMIT" sim_done
dt=$(( $(date +%s) - t0 ))
rss_end=$(rss_kb "$BAL_PID")
note "RRD updates queued for rrdcached at the end: $(rrd_queued)"
get /api/v1/status > "$WORK/status.json"
mig=$(get /api/v1/migrations | jq length)
note "balancer RSS after day $SOAK_DAYS ($(jq -r .steps "$WORK/sim.status") steps, $dt s): $rss_end KiB ($(python3 -c "print('%+.1f' % (100.0 * $rss_end / $rss_day - 100))") %)"
note "$(jq -c '{reports_received, reports_lost}' "$WORK/status.json"); $mig migrations; $(tail -1 "$WORK/sim.log")"
check "every report received, none lost" jq -e --argjson n "$((steps * SOAK_HOSTS))" \
    '.reports_received == $n and .reports_lost == 0' "$WORK/status.json"
check "the planner ran: migrations in the month" [ "$mig" -gt 0 ]
check "the history went through rrdcached: an RRD file per host" \
    [ "$(ls "$WORK/state/rrd/hosts" | grep -c '\.rrd$')" -eq "$SOAK_HOSTS" ]
check "RSS at the end ($rss_end KiB) within 10 % of day 1 ($rss_day KiB)" \
    [ "$rss_end" -le $((rss_day + rss_day / 10)) ]
