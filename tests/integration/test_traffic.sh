#!/bin/sh
# SPDX-License-Identifier: ISC
# Traffic-aware placement end to end on the simulated cluster.  The sim
# carries a traffic matrix (--traffic): vm-1 (hv01) sends 24 MiB/s to
# vm-2 (hv02), which answers with 2 MiB/s, and vm-3 (hv03) sends 1 MiB/s
# to vm-4 (hv01).  Each host reports the pairs it sees, 1 in 16 sampled,
# a VM on another host by its MAC, so every pair comes from both ends.
# GET /api/v1/traffic must show each pair once at its configured rate,
# between the right hosts; /metrics must stay promtool-clean;
# ballastctl traffic must show the heavy pair.  A policy without a
# keep-together rule moves nothing for it; reloaded with
# `keep-together traffic above 10MiB/s`, the balancer (automatic mode)
# brings vm-1 and vm-2 onto one host, says so in the move's
# explanation, and the pair's traffic stops crossing hosts.
. "$(dirname "$0")/lib.sh"

cat > "$WORK/traffic.txt" <<'TXT'
# VM-A VM-B RATE: A sends RATE to B
vm-1 vm-2 24MiB/s
vm-2 vm-1 2MiB/s
vm-3 vm-4 1MiB/s
TXT
cat > "$WORK/policy" <<'POL'
mode automatic
interval 5s
POL

start_balancer -p "$WORK/policy"
start_sim --vms 8 --hosts 3 --step 10 --speed 10 --traffic "$WORK/traffic.txt"

pair() {	# pair SRC DST FIELD: a field of the pair SRC -> DST
	get "/api/v1/traffic?top=10" | jq -r --arg s "$1" --arg d "$2" \
	    ".pairs[] | select(.src == \$s and .dst == \$d) | .$3"
}
has_pairs() { [ "$(get /api/v1/traffic | jq '.pairs | length')" = 3 ]; }
check "GET /api/v1/traffic shows the three pairs" wait_for 20 has_pairs
near() {	# near VALUE WANT: within 1 %
	python3 -c "import sys; v, w = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if abs(v - w) <= 0.01 * w else 1)" "$1" "$2"
}
bps=$(pair vm-1 vm-2 bps)
note "vm-1 -> vm-2: $bps bytes/s (configured 25165824: 24 MiB/s)"
check "vm-1 -> vm-2 at its rate, scaled by the sampling and counted once" near "$bps" 25165824
check "vm-2 -> vm-1 at its rate, counted once" near "$(pair vm-2 vm-1 bps)" 2097152
check "the pair is between hv01 and hv02, across hosts" \
    [ "$(pair vm-1 vm-2 src_host)/$(pair vm-1 vm-2 dst_host)/$(pair vm-1 vm-2 cross_host)" = "hv01/hv02/true" ]
check "the heaviest pair comes first" \
    [ "$(get /api/v1/traffic | jq -r '.pairs[0].src + ">" + .pairs[0].dst')" = "vm-1>vm-2" ]
check "both ends reported each cross-host pair: duplicates were dropped" \
    [ "$(get /api/v1/traffic | jq '.stats.pairs_duplicate > 0')" = true ]
hv01_out=$(get /api/v1/traffic | jq '.hosts[] | select(.name == "hv01") | .cross_bps')
check "hv01 sends 24 MiB/s to other hosts" near "$hv01_out" 25165824
check "all VM-to-VM traffic crosses hosts (share 1)" \
    near "$(get /api/v1/traffic | jq .cluster.cross_fraction)" 1
check "?format=csv gives one line per pair" \
    sh -c "curl -fsS '$API/api/v1/traffic?format=csv' | grep -q '^vm-1,hv01,vm-2,hv02,'"
code=$(curl -s -o /dev/null -w '%{http_code}' "$API/api/v1/traffic?top=0")
check "a bad ?top= is refused (400)" [ "$code" = 400 ]
"$BIN/ballastctl" --api "$API" traffic > "$WORK/ctl.txt"
check "ballastctl traffic shows the heavy pair" \
    grep -Eq '^vm-1 +hv01 +vm-2 +hv02 +24\.0 MiB/s +yes' "$WORK/ctl.txt"
curl -fsS "$API/metrics" > "$WORK/metrics.txt"
check "/metrics has the pair's rate" grep -q \
    '^ballast_traffic_pair_bytes_per_second{src="vm-1",dst="vm-2",src_host="hv01",dst_host="hv02"}' \
    "$WORK/metrics.txt"
if command -v promtool >/dev/null; then
	check "/metrics is promtool-clean" sh -c "promtool check metrics < '$WORK/metrics.txt'"
else
	notok "promtool is installed (make deps)"
fi

# --- without the rule nothing moves for traffic -------------------------
sleep 6
check "without keep-together, no migration" [ "$(get /api/v1/migrations | jq length)" = 0 ]

# --- with it, the pair comes together ------------------------------------
printf 'keep-together traffic above 10MiB/s weight 1\n' >> "$WORK/policy"
kill -HUP "$BAL_PID"
together() {
	h1=$(get /api/v1/vms | jq -r '.[] | select(.name == "vm-1") | .host')
	h2=$(get /api/v1/vms | jq -r '.[] | select(.name == "vm-2") | .host')
	[ -n "$h1" ] && [ "$h1" = "$h2" ]
}
check "after the reload, vm-1 and vm-2 end up on one host" wait_for 30 together
get /api/v1/migrations | jq -c '.[0] | {vm, from, to, reason, state, explain}' > "$WORK/mig.json"
note "$(cat "$WORK/mig.json")"
check "by one migration, for traffic" \
    sh -c "[ \"\$(curl -fsS $API/api/v1/migrations | jq length)\" = 1 ] && jq -e '.reason == \"traffic\"' '$WORK/mig.json' >/dev/null"
check "its explanation names the traffic it keeps together" \
    jq -e '.explain | test("keeps vm-[12] with vm-[12] \\(26\\.0 MiB/s\\)")' "$WORK/mig.json"
not_crossing() { [ "$(pair vm-1 vm-2 cross_host)" = false ]; }
check "GET /api/v1/traffic: the pair no longer crosses hosts" wait_for 10 not_crossing
share=$(get /api/v1/traffic | jq .cluster.cross_fraction)
note "cross-host share after: $share (vm-3 -> vm-4 alone: 1/27)"
check "the cross-host share fell to vm-3 -> vm-4's alone" near "$share" 0.037037
finish
