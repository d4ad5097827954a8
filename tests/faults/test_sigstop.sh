#!/bin/sh
# SPDX-License-Identifier: ISC
# The balancer frozen with SIGSTOP for two minutes while 4 simulated
# hosts report every second (480 reports), then continued.  The
# collectors keep what was not acknowledged (11 minutes of reports here)
# and send it again, so every report arrives and none is counted lost.
# Stated bound: the backlog is applied within 15 s of SIGCONT -- one
# resend interval of the collectors (3 s) plus the time to take 480
# reports and checkpoint them, with room for a loaded test machine.
. "$(dirname "$0")/../integration/lib.sh"
FREEZE=${FAULT_FREEZE_S:-120}
BOUND=15
start_balancer
start_sim --hosts 4 --vms 40 --step 10 --speed 10
four_hosts() { [ "$(status_field hosts)" = 4 ]; }
check "4 simulated hosts report" wait_for 20 four_hosts
sleep 2
recv0=$(status_field reports_received)
seq0=$(get /api/v1/hosts | jq '[.[].seq] | add')
kill -STOP "$BAL_PID"
note "balancer stopped for $FREEZE s"
sleep "$FREEZE"
frozen=$(curl -s --max-time 1 "$API/api/v1/status" >/dev/null && echo answered || echo silent)
kill -CONT "$BAL_PID"
t0=$(date +%s)
want=$((seq0 + 4 * FREEZE))
caught_up() { [ "$(get /api/v1/hosts | jq '[.[].seq] | add // 0')" -ge "$want" ]; }
if wait_for 60 caught_up; then
	dt=$(( $(date +%s) - t0 ))
	note "caught up with the $((4 * FREEZE)) reports sent while stopped in $dt s (bound $BOUND s)"
	check "reports resume within $BOUND s of SIGCONT" [ "$dt" -le "$BOUND" ]
else
	notok "the balancer catches up after SIGCONT (60 s)"
fi
check "while stopped it answered nothing (really frozen)" [ "$frozen" = silent ]
sleep 2
recv=$(status_field reports_received); lost=$(status_field reports_lost)
note "reports applied since the freeze $((recv - recv0)), lost $lost, late $(status_field reports_late), duplicate $(status_field reports_duplicate)"
check "every report sent while stopped was applied" [ $((recv - recv0)) -ge $((4 * FREEZE)) ]
check "reports_lost is 0" [ "$lost" = 0 ]
finish
