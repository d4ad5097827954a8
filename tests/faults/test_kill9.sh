#!/bin/sh
# SPDX-License-Identifier: ISC
# kill -9 of the balancer at random points during a stream of
# migrations, 20 rounds.  The simulated cluster (tests/faults/
# churn_traces.py) has hot hosts every few seconds and the policy is
# automatic, so migrations (about 4 s each) follow one another; each
# round the balancer is killed 1 to 7 s after it came up -- before or
# after its first pass sent migrations, while its own or an earlier
# epoch's are in flight -- and started
# again on the same state directory.  After each restart: every VM runs
# on exactly one host in the simulator's own view (ballast-sim --status)
# and the balancer agrees; no command was carried out twice.  At the
# end: every migration of an earlier epoch was reconciled from the
# reports (executor journal) and ended as it ended in the simulator.
. "$(dirname "$0")/../integration/lib.sh"
ROUNDS=20
seed=${FAULT_SEED:-$$}
note "random seed $seed (FAULT_SEED=$seed reproduces the kill points)"

churn_policy 16MiB/s "timeout 1m"
start_balancer -p "$WORK/churn.policy"
start_churn 1 16 30
migrating() { get /api/v1/migrations | jq -e 'length > 0' >/dev/null; }
check "the planner starts migrating" wait_for 30 migrating

in_flight() { jq '[.vms[] | select(.migrating)] | length' "$WORK/sim.status"; }
delays=$(awk -v s="$seed" -v n="$ROUNDS" 'BEGIN { srand(s);
    for (i = 0; i < n; i++) printf "%.1f ", 1 + 6 * rand() }')
hits=0 disagree=0 twice=0 round=0
for d in $delays; do
	round=$((round + 1))
	sleep "$d"
	[ "$(in_flight)" -gt 0 ] && hits=$((hits + 1))
	kill_pid KILL "$BAL_PID"
	start_balancer -p "$WORK/churn.policy"
	if ! wait_for 10 views_agree; then
		disagree=$((disagree + 1))
		note "round $round: $(head -3 "$WORK/why" | tr '\n' ';')"
	fi
	if ! python3 "$ROOT/tests/faults/views.py" commands "$WORK/sim.status" 2 \
	    > "$WORK/why"; then
		twice=$((twice + 1))
		note "round $round: $(head -3 "$WORK/why" | tr '\n' ';')"
	fi
done
epoch=$(cat "$WORK/state/epoch")
note "$ROUNDS kills (epochs 1 to $epoch), $hits with migrations in flight in the simulator; $(jq -c '{migrations_done, migrations_failed, commands: (.commands | length)}' "$WORK/sim.status")"
check "$ROUNDS restarts, $ROUNDS epochs" [ "$epoch" -eq $((ROUNDS + 1)) ]
check "at least a quarter of the kills hit migrations in flight ($hits)" [ "$hits" -ge $((ROUNDS / 4)) ]
check "after every restart every VM on exactly one host, the same in both views" [ "$disagree" -eq 0 ]
check "no command executed twice, none sent more than twice (first send + 1 retry)" [ "$twice" -eq 0 ]
reconciled() {
	get /api/v1/migrations > "$WORK/migs.json" &&
	    python3 "$ROOT/tests/faults/views.py" reconciled "$WORK/sim.status" \
	    "$WORK/migs.json" "$epoch" > "$WORK/why"
}
# bound: a recovered migration still running ends within the policy's
# timeout (1m); one already over ends with the next report
if wait_for 60 reconciled; then
	ok "in-flight work of earlier epochs reconciled as the simulator ended it (within 60 s)"
else
	notok "in-flight work of earlier epochs reconciled: $(head -5 "$WORK/why" | tr '\n' ';')"
fi
recovered=$(jq '[.[] | select(.error | test("restarted while it was in flight"))] | length' "$WORK/migs.json")
aborted=$(jq '[.[] | select(.error | test("restarted before sending"))] | length' "$WORK/migs.json")
note "$recovered migrations recovered from the journal after a restart, $aborted planned but not sent (aborted, never sent)"
check "the journal recovered migrations in flight" [ "$recovered" -gt 0 ]
# right after a restart, new reports can arrive before the resent ones
# and open a gap that the resends (every 3 s) fill: lost, then late
none_lost() { [ "$(status_field reports_lost)" = 0 ]; }
check "no report lost across the 20 kills (gaps filled by resends within 10 s)" wait_for 10 none_lost
note "reports: lost $(status_field reports_lost), late $(status_field reports_late), duplicate $(status_field reports_duplicate) (since the last start)"
check "the journal and the audit log parse" sh -c "jq -s . '$WORK/state/migrations.journal' >/dev/null && jq -s . '$WORK/state/audit.log' >/dev/null"
finish
