#!/bin/sh
# SPDX-License-Identifier: ISC
# The collectors' clock jumps back an hour (ballast-sim --clock-jump
# 8:-3600: every host's sample times, from 8 s on).  The balancer logs
# the jump for each host; the VMs' rates stay sane (CPU between 0 and
# 100 % of the vCPUs, no negative I/O) and keep following the load
# rather than freezing until the clock has caught up with the old
# samples (an hour here); no report is counted lost.
. "$(dirname "$0")/../integration/lib.sh"
start_balancer
start_sim --hosts 4 --vms 40 --step 10 --speed 10 --clock-jump 8:-3600
rated() { get /api/v1/vms | jq -e 'length == 40 and all(.has_rates)' >/dev/null; }
check "40 VMs with rates" wait_for 20 rated
t_before=$(get /api/v1/hosts/hv01 | jq .sample_time_ms)
jumped() { [ "$(get /api/v1/hosts/hv01 | jq .sample_time_ms)" -lt $((t_before - 3000000)) ]; }
check "hv01's sample time goes back an hour" wait_for 20 jumped
i=0
while [ $i -lt 12 ]; do
	get /api/v1/vms > "$WORK/vms.$i.json"
	i=$((i + 1))
	sleep 1
done
insane=$(jq -s '[.[][] | select(.cpu_util < 0 or .cpu_util > 1.0001 or
    .disk_rd_bps < 0 or .disk_wr_bps < 0 or .net_rx_bps < 0 or
    .net_tx_bps < 0)] | length' "$WORK"/vms.*.json)
top=$(jq -s '[.[][] | .cpu_util] | max' "$WORK"/vms.*.json)
note "12 s after the jump: highest VM CPU $top of its vCPUs; $insane samples out of range"
check "rates stay sane after the jump (CPU within 0..100 % of the vCPUs, no negative I/O)" [ "$insane" = 0 ]
moved=$(jq -n --slurpfile a "$WORK/vms.1.json" --slurpfile b "$WORK/vms.11.json" \
    '[range($a[0] | length) as $i | select($a[0][$i].cpu_util != ($b[0][] |
    select(.uuid == $a[0][$i].uuid) | .cpu_util))] | length')
note "$moved of 40 VMs' CPU rates changed over the 10 s after the jump"
check "rates keep following the load after the jump (not frozen)" [ "$moved" -ge 20 ]
check "the jump is logged for each host" \
    [ "$(grep -cE 'clock went back 3[56][0-9]{2}' "$WORK/balancer.log")" -ge 4 ]
note "$(grep -m1 'clock went back' "$WORK/balancer.log")"
check "no report counted lost" [ "$(status_field reports_lost)" = 0 ]
finish
