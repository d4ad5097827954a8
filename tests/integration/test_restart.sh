#!/bin/sh
# SPDX-License-Identifier: ISC
# No silent loss across a balancer outage: the balancer is killed with
# SIGKILL, stays down for 20 s while 4 simulated hosts report every
# 0.1 s (800 reports), and is started again on the same state directory.
# Every report sent meanwhile must arrive (collectors resend what was
# not acknowledged), and none may be counted lost.
. "$(dirname "$0")/lib.sh"

start_balancer
start_sim --hosts 4 --vms 40 --step 30 --speed 300
four_hosts() { [ "$(status_field hosts)" = 4 ]; }
check "4 simulated hosts report" wait_for 20 four_hosts
sleep 2
seq_before=$(get /api/v1/hosts | jq '[.[].seq] | add')
kill -9 "$BAL_PID"
sleep 20
start_balancer
caught_up() {
	[ "$(get /api/v1/hosts | jq '[.[].seq] | add // 0')" -gt $((seq_before + 800)) ]
}
check "the balancer catches up with the 800 reports sent while it was down" \
    wait_for 30 caught_up
sleep 2
recv=$(status_field reports_received)
lost=$(status_field reports_lost)
note "after restart: $recv reports applied, lost $lost, late $(status_field reports_late), duplicate $(status_field reports_duplicate)"
check "at least 800 reports applied after the restart" [ "$recv" -ge 800 ]
check "reports_lost is 0 after a 20 s outage" [ "$lost" = 0 ]
check "the checkpoint kept every host's sequence" \
    sh -c "jq -e '.hosts | length == 4' '$WORK/state/ingest.checkpoint' >/dev/null"
finish
