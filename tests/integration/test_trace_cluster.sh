#!/bin/sh
# SPDX-License-Identifier: ISC
# The foundation's data path end to end: ballast-sim replays the 60-VM
# Bitbrains week slice on 8 hosts (one 5-minute trace step per second)
# to the real ballast-balancerd over ZeroMQ; everything is checked
# through the JSON API, as an operator would.
. "$(dirname "$0")/lib.sh"

start_balancer
start_sim --traces "$TRACES" --hosts 8 --step 300 --speed 300 --mute hv08:45

hosts_and_vms() { [ "$(status_field hosts)" = 8 ] && [ "$(status_field vms)" = 60 ]; }
check "8 hosts and 60 VMs reach the API" wait_for 20 hosts_and_vms

# Host CPU = the sum of its VMs' trace values at the same step, within 1 %.
cpu_matches() {
	for h in hv01 hv02 hv03 hv04 hv05 hv06 hv07 hv08; do
		get "/api/v1/hosts/$h"; echo
	done | jq -s . > "$WORK/hosts.json"
	python3 "$ROOT/tests/integration/trace_expect.py" "$TRACES" \
	    < "$WORK/hosts.json" > "$WORK/expect.txt"
}
sleep 2
if cpu_matches; then ok "each host's CPU equals the sum of its VMs' trace values within 1 %"
else notok "each host's CPU equals the sum of its VMs' trace values within 1 %"; fi
sed 's/^/# /' "$WORK/expect.txt"

vm_fields() {
	get /api/v1/vms | jq -e 'length == 60 and all(.[]; .host != null and
	    (.uuid | test("^[0-9a-f-]{36}$")) and .cpu_util >= 0 and .mem_bytes >= 0
	    and .mem_max_bytes >= .mem_bytes)' >/dev/null
}
check "every VM has a host, a UUID, CPU and memory figures" vm_fields

# Kill -9 the balancer mid-run, restart it on the same state: no report lost.
before=$(status_field reports_received)
kill -9 "$BAL_PID"
sleep 3
start_balancer
sleep 1
recv_again() { [ "$(status_field reports_received)" -gt 40 ]; }
check "reports flow again after a kill -9 and restart" wait_for 20 recv_again
settle() { [ "$(status_field reports_lost)" = 0 ] && [ "$(status_field hosts)" = 8 ]; }
wait_for 15 settle
lost=$(status_field reports_lost)
late=$(status_field reports_late)
note "before kill: $before received; after restart: lost $lost, late $late, duplicate $(status_field reports_duplicate)"
check "reports_lost is 0 after the restart" [ "$lost" = 0 ]
no_stale() { [ "$(status_field hosts_stale)" = 0 ]; }
check "no host is stale after the restart" no_stale

# A flood of malformed messages is counted and the good reports keep flowing.
r0=$(status_field reports_received)
"$TOOLS/zsend" "$REPORTS" mix 2000 >/dev/null
spoof=$(get /api/v1/hosts/hv01 | jq -r .uuid)
"$TOOLS/zsend" "$REPORTS" spoof 10 "$spoof" >/dev/null
malformed_counted() { [ "$(status_field reports_malformed)" -ge 2000 ]; }
check "2000 malformed messages are counted" wait_for 10 malformed_counted
check "a report spoofing another host is refused" [ "$(status_field reports_refused)" -ge 10 ]
sleep 2
r1=$(status_field reports_received)
check "good reports keep flowing during the flood ($r0 -> $r1)" [ "$r1" -gt "$((r0 + 8))" ]
check "the flood made no host stale" no_stale
check "the malformed reasons are broken down" \
    sh -c "curl -fsS $API/api/v1/status | jq -e '.malformed_by_reason | length >= 3' >/dev/null"

# hv08 stops reporting 45 s after the sim started: stale within 3 intervals.
hv08_stale() { get /api/v1/hosts/hv08 > "$WORK/hv08.json" && jq -e .stale "$WORK/hv08.json" >/dev/null; }
check "a host whose reports stop turns stale" wait_for 60 hv08_stale
age=$(jq -r .last_report_age_s "$WORK/hv08.json")
note "hv08 turned stale at age $age s (interval 1 s)"
check "it turned stale within 3 intervals (+0.5 s polling)" \
    python3 -c "import sys; sys.exit(0 if $age <= 3.5 else 1)"
check "a stale host keeps its VMs (never shown as empty)" \
    jq -e '.vms > 0' "$WORK/hv08.json"
check "the other hosts are not stale" [ "$(status_field hosts_stale)" = 1 ]
finish
