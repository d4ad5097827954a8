#!/bin/sh
# SPDX-License-Identifier: ISC
# The simulator fails 30 % of the migrations at random (ballast-sim
# --fail-migrations 30): on a churning cluster in automatic mode, every
# VM still runs on exactly one host in both views, every failed
# migration is failed in the balancer too (the VM stays on its source),
# and no move is tried more often than the policy's retries allow: a
# VM's failed attempts from one host are at most 1 + retries before the
# planner gives that move up.
. "$(dirname "$0")/../integration/lib.sh"
RETRIES=1
churn_policy 64MiB/s "retries $RETRIES"
start_balancer -p "$WORK/churn.policy"
start_churn 2 32 60 --fail-migrations 30 --seed 3
ended() { jq '.migrations_done + .migrations_failed' "$WORK/sim.status" 2>/dev/null || echo 0; }
enough() { [ "$(ended)" -ge 30 ] && [ "$(jq .migrations_injected "$WORK/sim.status")" -ge 5 ]; }
check "30 migrations end in the simulator, 5 or more failed on purpose" wait_for 120 enough
note "simulator: $(jq -c '{migrations_done, migrations_failed, migrations_injected}' "$WORK/sim.status")"
if wait_for 10 views_agree; then
	ok "every VM runs on exactly one host, the same in both views"
else
	notok "every VM on exactly one host in both views: $(head -3 "$WORK/why" | tr '\n' ';')"
fi
check "no command carried out twice" \
    python3 "$ROOT/tests/faults/views.py" commands "$WORK/sim.status" $((RETRIES + 1))
# ended in the simulator => ended the same way in the balancer (the
# verification of a done one takes a report or two)
outcomes() {
	get /api/v1/migrations > "$WORK/migs.json" &&
	    python3 "$ROOT/tests/faults/views.py" outcomes "$WORK/sim.status" \
	    "$WORK/migs.json" > "$WORK/why"
}
if wait_for 10 outcomes; then
	ok "each migration ended in the balancer as in the simulator (failed: VM on its source)"
else
	notok "outcomes agree: $(head -3 "$WORK/why" | tr '\n' ';')"
fi
worst=$(jq '[group_by(.vm)[] | sort_by(.id) | reduce .[] as $m ({n: 0, max: 0, from: ""};
    if $m.state == "done" then {n: 0, max: .max, from: ""}
    elif $m.state == "failed" then
	(if $m.from == .from then .n + 1 else 1 end) as $n |
	{n: $n, max: ([.max, $n] | max), from: $m.from}
    else . end) | .max] | max // 0' "$WORK/migs.json")
note "failed: $(jq '[.[] | select(.state == "failed")] | length' "$WORK/migs.json") in the balancer; the most failed tries of one VM from one host in a row: $worst"
check "retries bounded: at most 1 + retries ($((RETRIES + 1))) failed tries of a VM from one host" \
    [ "$worst" -le $((RETRIES + 1)) ]
finish
