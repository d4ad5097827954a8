#!/bin/sh
# SPDX-License-Identifier: ISC
# The planner end to end on the simulated cluster: a trace burst makes
# hv01 hot; in automatic mode it is relieved within the rule's duration
# + 2 pass intervals + the migration time; in approve mode nothing moves
# until an operator approves, and an action without the token is refused.
. "$(dirname "$0")/lib.sh"

python3 "$ROOT/tests/integration/burst_traces.py" "$WORK/traces"
cat > "$WORK/auto.policy" <<'POL'
mode automatic
interval 5s
hot cpu above 80% for 10s
cool cpu below 65% for 10s
migration {
	cooldown 5m
}
POL
sed 's/^mode automatic/mode approve/' "$WORK/auto.policy" > "$WORK/approve.policy"

hv01_util() { u=$(get /api/v1/hosts/hv01 2>/dev/null | jq -r '.cpu_util'); echo "${u:-0}"; }
hv01_hot() { python3 -c "import sys; sys.exit(0 if $(hv01_util) > 0.8 else 1)"; }
hv01_cool() { python3 -c "import sys; sys.exit(0 if $(hv01_util) < 0.8 else 1)"; }
migs() { get /api/v1/migrations | jq 'length'; }

# --- automatic -------------------------------------------------------
start_balancer -p "$WORK/auto.policy"
start_sim --traces "$WORK/traces" --hosts 4 --host-cpus 4 --step 300 --speed 300
check "hv01 turns hot when the burst starts" wait_for 30 hv01_hot
t0=$(date +%s)
check "automatic mode relieves it" wait_for 40 hv01_cool
dt=$(( $(date +%s) - t0 ))
note "hv01 hot for $dt s (bound: 10 s rule + 2 x 5 s passes + 1 s migration + 3 s reports)"
check "within the rule's duration + 2 intervals + the migration time" [ "$dt" -le 24 ]
mig_done() { get /api/v1/migrations | jq -e '.[0].state == "done"' >/dev/null; }
check "the migration is done and verified" wait_for 10 mig_done
get /api/v1/migrations | jq -c '.[0] | {vm, from, to, reason, state}' > "$WORK/mig.json"
note "$(cat "$WORK/mig.json")"
burst_vm_moved() {
	jq -e '(.vm == "vm-1" or .vm == "vm-5") and .from == "hv01" and
	    .reason == "hot"' "$WORK/mig.json" >/dev/null
}
check "it moved a burst VM off hv01 because hv01 was hot" burst_vm_moved
moved=$(jq -r .vm "$WORK/mig.json"); dest=$(jq -r .to "$WORK/mig.json")
vm_on_dest() { [ "$(get /api/v1/vms | jq -r --arg v "$moved" '.[] | select(.name == $v) | .host')" = "$dest" ]; }
check "the VM now reports from $dest" wait_for 10 vm_on_dest
check "the explanation names the hot host and the prediction" \
    sh -c "curl -fsS $API/api/v1/migrations | jq -e '.[0].explain | test(\"hv01 is hot\") and test(\"predicted\")' >/dev/null"
check "the audit log has the decision" grep -q '"event":"migration"' "$WORK/state/audit.log"
kill "$SIM_PID" "$BAL_PID"; sleep 1

# --- approve -----------------------------------------------------------
rm -rf "$WORK/state"
start_balancer -p "$WORK/approve.policy"
start_sim --traces "$WORK/traces" --hosts 4 --host-cpus 4 --step 300 --speed 300
pending() { get /api/v1/plan | jq -e '[.recommendations[] | select(.state == "pending")] | length > 0' >/dev/null; }
check "approve mode: a recommendation appears for the hot host" wait_for 40 pending
sleep 6
check "approve mode: nothing moves without approval" [ "$(migs)" = 0 ]
check "approve mode: hv01 is still hot" hv01_hot
id=$(get /api/v1/plan | jq -r '[.recommendations[] | select(.state == "pending")][0].id')
code=$(curl -s -o "$WORK/noauth.json" -w '%{http_code}' -X POST "$API/api/v1/plan/$id/approve")
check "approving without the token is refused (401)" [ "$code" = 401 ]
check "and changed nothing" [ "$(migs)" = 0 ]
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Ballast-Token: wrong-token-wrong-token" "$API/api/v1/plan/$id/approve")
check "a wrong token is refused too (401)" [ "$code" = 401 ]
token=$(cat "$WORK/state/api.token")
code=$(curl -s -o "$WORK/approve.json" -w '%{http_code}' -X POST -H "X-Ballast-Token: $token" "$API/api/v1/plan/$id/approve")
check "approving with the token is accepted (200)" [ "$code" = 200 ]
check "after approval the migration runs and hv01 cools" wait_for 20 hv01_cool
check "the approved migration is done" wait_for 10 mig_done
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "X-Ballast-Token: $token" "$API/api/v1/plan/$id/approve")
check "approving again is a conflict (409), not a second migration" [ "$code" = 409 ]
check "one migration in all" [ "$(migs)" = 1 ]
finish
