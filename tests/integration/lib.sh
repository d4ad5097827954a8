# SPDX-License-Identifier: ISC
# Shared helpers for the integration tests: start the real daemons on
# free loopback ports, wait for conditions through the JSON API, and
# stop everything they started, by PID, on exit.
set -u
: "${BIN:=bin}" "${TOOLS:=build/tests}"
# ROOT: the source tree (scripts outside tests/*/ set it first)
: "${ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
WORK=$(mktemp -d /tmp/ballast-test.XXXXXX)
PIDS=""
API_PORT=$((20000 + $$ % 20000))
REPORTS_PORT=$((API_PORT + 1))
API="http://127.0.0.1:$API_PORT"
REPORTS="tcp://127.0.0.1:$REPORTS_PORT"
TRACES="$ROOT/tests/data/bitbrains-rnd-2013-07-week1-60vm.tar.gz"
FAILS=0

EXIT_HOOKS=""

cleanup() {
	for p in $PIDS; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	eval "$EXIT_HOOKS"
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# at_exit COMMAND: run on exit once the daemons are stopped, before
# $WORK is removed (an unmount, say)
at_exit() { EXIT_HOOKS="$EXIT_HOOKS
$*"; }

# kill_pid SIGNAL PID: signals one of our daemons, waits until it is
# gone and forgets it (so its PID, reused, is never signalled again)
kill_pid() {
	kill "-$1" "$2" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $2 2>/dev/null"
	wait "$2" 2>/dev/null
	PIDS=$(echo "$PIDS" | tr ' ' '\n' | grep -vx "$2" | tr '\n' ' ')
}

# rss_kb PID: its resident set size in KiB
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; FAILS=$((FAILS + 1)); }
note() { echo "# $*"; }
check() {	# check "description" command...
	d=$1; shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}

# start_balancer NAME [args...]: runs in the background, sets BAL_PID
start_balancer() {
	"$BIN/ballast-balancerd" --state-dir "$WORK/state" \
	    --api "127.0.0.1:$API_PORT" --reports "$REPORTS" "$@" \
	    >>"$WORK/balancer.log" 2>&1 &
	BAL_PID=$!
	PIDS="$PIDS $BAL_PID"
	wait_for 10 api_up || { notok "balancer answers on $API"; tail -20 "$WORK/balancer.log"; exit 1; }
}

start_sim() {
	"$BIN/ballast-sim" --connect "$REPORTS" "$@" >>"$WORK/sim.log" 2>&1 &
	SIM_PID=$!
	PIDS="$PIDS $SIM_PID"
}

# start_rrdcached [args...]: rrdcached in the foreground (so its PID is
# ours), its files under $WORK/state/rrd, journal under $WORK/state;
# sets RRDC_PID and RRDC_ADDR.  Run again after a kill to restart it.
start_rrdcached() {
	mkdir -p "$WORK/state/rrd" "$WORK/state/rrdcached.journal"
	RRDC_SOCK="$WORK/state/rrdcached.sock"
	RRDC_ADDR="unix:$RRDC_SOCK"
	rrdcached -g -l "$RRDC_ADDR" -b "$WORK/state/rrd" -B \
	    -j "$WORK/state/rrdcached.journal" -p "$WORK/rrdcached.pid" \
	    -w 60 -f 120 "$@" >>"$WORK/rrdcached.log" 2>&1 &
	RRDC_PID=$!
	PIDS="$PIDS $RRDC_PID"
	wait_for 10 rrdc_up || { notok "rrdcached answers on $RRDC_ADDR"; tail -20 "$WORK/rrdcached.log"; exit 1; }
}
rrdc_up() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(b"PING\n")
sys.exit(0 if s.recv(64).startswith(b"0 PONG") else 1)' "$RRDC_SOCK" 2>/dev/null
}

# churn_policy BANDWIDTH [SETTING...]: $WORK/churn.policy, automatic,
# a pass every 5 s, hot above 85 % (cool below 70 %) at once, no
# cooldown, migrations at BANDWIDTH, plus SETTINGs of the migration block
churn_policy() {
	bw=$1; shift
	{
		printf 'mode automatic\ninterval 5s\nhot cpu above 85%% for 0s\n'
		printf 'cool cpu below 70%% for 0s\nmigration {\n'
		printf '\tbandwidth %s\n\tper-pass 4\n\tcooldown 0s\n' "$bw"
		for x in "$@"; do printf '\t%s\n' "$x"; done
		printf '}\n'
	} > "$WORK/churn.policy"
}

# start_churn SEED VMS SPEED [ballast-sim options...]: the simulator on
# a cluster that keeps a planner migrating (tests/faults/churn_traces.py):
# VMS VMs on VMS / 4 hosts of 4 CPUs, a report per host every 30 / SPEED
# s, its own view in $WORK/sim.status
start_churn() {
	python3 "$ROOT/tests/faults/churn_traces.py" "$WORK/traces" "$1" "$2"
	n=$(($2 / 4)) sp=$3
	shift 3
	start_sim --traces "$WORK/traces" --hosts "$n" --host-cpus 4 --step 30 \
	    --speed "$sp" --status "$WORK/sim.status" "$@"
}

# views_agree: the simulator's own view (start_sim ... --status
# $WORK/sim.status) and the balancer's API place every VM on exactly one
# host, the same one (tests/faults/views.py); the reasons in $WORK/why
views_agree() {
	get /api/v1/vms > "$WORK/vms.json" &&
	    python3 "$ROOT/tests/faults/views.py" placement "$WORK/sim.status" \
	    "$WORK/vms.json" > "$WORK/why" 2>&1
}

api_up() { curl -fsS "$API/api/v1/status" >/dev/null 2>&1; }
get() { curl -fsS --max-time 5 "$API$1"; }
status_field() { get /api/v1/status | jq -r ".$1"; }

# wait_for SECONDS command...: polls every 0.2 s
wait_for() {
	t=$1; shift
	end=$(( $(date +%s) + t ))
	while [ "$(date +%s)" -le "$end" ]; do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

finish() {
	[ "$FAILS" -eq 0 ] || { note "balancer log:"; sed 's/^/# /' "$WORK/balancer.log" | tail -30; note "sim log:"; sed 's/^/# /' "$WORK/sim.log" | tail -30; }
	exit "$FAILS"
}
