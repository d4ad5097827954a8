#!/bin/sh
# SPDX-License-Identifier: ISC
# The operator dashboard on the simulated cluster: served by the balancer
# with its security headers; operator actions refused without the token
# (and nothing changed); then, in Debian's chromium driven by
# playwright-core (tests/browser/dashboard.js), a trace burst makes hv01
# hot, its recommendation is approved from the page, the migration shows
# in the timeline and hv01 cools down; hv04 goes into maintenance from
# its page and hv03, muted, turns stale; the traffic page shows the
# heavy pair the sim carries (vm-2 on hv02 -> vm-4 on hv04, 24 MiB/s).  Screenshots of every page go to
# $WORK/screens and are copied to BUILD/screens (build-san/screens).
. "$(dirname "$0")/lib.sh"

python3 "$ROOT/tests/integration/burst_traces.py" "$WORK/traces"
cat > "$WORK/approve.policy" <<'POL'
mode approve
interval 5s
hot cpu above 80% for 10s
cool cpu below 65% for 10s
migration {
	cooldown 5m
}
POL

printf 'vm-2 vm-4 24MiB/s\nvm-4 vm-2 1MiB/s\n' > "$WORK/traffic.txt"
start_balancer -p "$WORK/approve.policy"
# hv03's collector "dies" after 70 s: the overview must show it stale
start_sim --traces "$WORK/traces" --hosts 4 --host-cpus 4 --step 300 --speed 300 \
    --mute hv03:70 --traffic "$WORK/traffic.txt"

# --- served by the balancer, locked down ------------------------------
curl -s -D "$WORK/index.h" -o "$WORK/index.html" "$API/"
check "GET / is the dashboard (HTML)" grep -q '<title>ballast</title>' "$WORK/index.html"
check "with Content-Security-Policy default-src 'self'" \
    grep -qi "^Content-Security-Policy: default-src 'self'" "$WORK/index.h"
check "and X-Frame-Options DENY" grep -qi '^X-Frame-Options: DENY' "$WORK/index.h"
check "its script is served from the balancer, not a CDN" \
    sh -c "curl -fsS -D - -o /dev/null '$API/static/app.js' | grep -qi '^Content-Type: text/javascript' && ! grep -q 'src=\"http' '$WORK/index.html'"
check "the balancer prints the dashboard URL at start" \
    grep -q "dashboard: http://127.0.0.1:$API_PORT/" "$WORK/balancer.log"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/")
check "the dashboard's files are read-only (405)" [ "$code" = 405 ]

# --- operator actions need the token ----------------------------------
pending() { get /api/v1/plan | jq -e '[.recommendations[] | select(.state == "pending")] | length > 0' >/dev/null; }
check "approve mode: a recommendation appears for the hot host" wait_for 45 pending
id=$(get /api/v1/plan | jq -r '[.recommendations[] | select(.state == "pending")][0].id')
refused() {	# refused WHAT PATH [BODY]: no token -> 401
	c=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	    -H 'Content-Type: application/x-www-form-urlencoded' \
	    -H 'Origin: http://evil.example' --data "${3:-x=1}" "$API$2")
	check "$1 without the token is refused ($c)" [ "$c" = 401 ]
}
refused "approving" "/api/v1/plan/$id/approve"
refused "rejecting" "/api/v1/plan/$id/reject"
refused "entering maintenance" "/api/v1/maintenance/hv02/enter"
refused "a manual migration" "/api/v1/migrate" '{"vm":"vm-2","host":"hv03"}'
refused "cancelling a migration" "/api/v1/migrations/1/cancel"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Ballast-Token: not-the-token-at-all' "$API/api/v1/plan/$id/approve")
check "a wrong token is refused ($code)" [ "$code" = 401 ]
check "and none of them changed anything: still pending" \
    sh -c "curl -fsS $API/api/v1/plan | jq -e '.recommendations[] | select(.id == $id) | .state == \"pending\"' >/dev/null"
check "no migration" [ "$(get /api/v1/migrations | jq length)" = 0 ]
check "no host in maintenance" [ "$(get /api/v1/maintenance | jq length)" = 0 ]

# --- in the browser ----------------------------------------------------
hv01_hot() { get /api/v1/hosts/hv01 | jq -e '.cpu_util > 0.8' >/dev/null; }
check "hv01 is hot before the browser opens" hv01_hot
if ! command -v node >/dev/null || [ ! -x /usr/bin/chromium ] ||
    [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
	notok "node, /usr/bin/chromium and playwright-core are installed (make deps; make SAN=1 tests)"
	finish
fi
mkdir -p "$WORK/screens"
BALLAST_URL="$API" BALLAST_TOKEN=$(cat "$WORK/state/api.token") \
    SCREENS="$WORK/screens" WORK="$WORK" \
    timeout 150 node "$ROOT/tests/browser/dashboard.js" >"$WORK/browser.log" 2>&1
rc=$?
cat "$WORK/browser.log"
grep -q '^not ok - ' "$WORK/browser.log" && FAILS=$((FAILS + 1))
[ "$rc" -ne 0 ] && ! grep -q '^not ok - ' "$WORK/browser.log" &&
    notok "the browser test ran (exit $rc)"
check "screenshots of each page were saved" \
    [ "$(ls "$WORK/screens" | grep -c '\.png$')" -ge 8 ]
shots=$(dirname "$BIN")
case "$shots" in /*) ;; *) shots="$ROOT/$shots" ;; esac
[ "$shots" = "$ROOT/." ] && shots="$ROOT/build"
shots="$shots/screens"
mkdir -p "$shots" && cp "$WORK"/screens/*.png "$shots"/ 2>/dev/null &&
    note "screenshots copied to $shots"

# --- after the approval --------------------------------------------------
check "the hot host's migration ran once" \
    [ "$(get /api/v1/migrations | jq '[.[] | select(.reason == "hot")] | length')" = 1 ]
check "the audit log has the approval" grep -q '"event":"approve"' "$WORK/state/audit.log"
check "hv04 is in maintenance, set from the page" \
    sh -c "curl -fsS $API/api/v1/maintenance | jq -e 'index(\"hv04\") != null' >/dev/null"
finish
