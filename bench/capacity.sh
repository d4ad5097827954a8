#!/bin/sh
# SPDX-License-Identifier: ISC
# The capacity report's forecast on a month of traces: the history a
# balancer would have kept (tests/tools/trace2rrd, host files only, 16
# hosts of 32 x 2,600 MHz), a report from the first three weeks, and the
# mean absolute percentage error of its daily p95 forecast of cluster CPU
# and memory over the fourth week, beside four simple forecasts
# (tests/integration/capacity_accuracy.py).  Also how long the report
# takes on that history.
#
#   bench/capacity.sh --traces PATH [BUILD]      (BUILD: build by default)
set -eu
[ "${1:-}" = "--traces" ] && [ -n "${2:-}" ] || {
	echo "usage: bench/capacity.sh --traces PATH [BUILD]" >&2
	exit 2
}
TRACES=$2
B=${3:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/bin
[ "$B" = build ] || BIN=$ROOT/$B/bin
WORK=$(mktemp -d /tmp/ballast-bench-capacity.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
T0=1372629600		# the July 2013 traces' first slot (2013-06-30 22:00 UTC)

"$ROOT/$B/tests/trace2rrd" --traces "$TRACES" --out "$WORK/rrd" --hosts 16 \
    --no-vms
for split in 14 21; do
	"$BIN/ballastctl" report capacity --rrd-dir "$WORK/rrd" \
	    --end $((T0 + split * 86400)) --range ${split}d --horizon 7d \
	    --format json --out "$WORK/r$split.json"
	python3 "$ROOT/tests/integration/capacity_accuracy.py" "$TRACES" \
	    "$WORK/r$split.json" "$T0" "$split" 7 >"$WORK/a$split.json"
	jq -r --arg s "$split" '"capacity traces=month train_days=\($s) test_days=7 mape_cpu=\(.mape.cpu * 10 | round / 10) mape_mem=\(.mape.mem * 10 | round / 10) covered_cpu=\(.covered.cpu) covered_mem=\(.covered.mem) " + ([.references | to_entries[] | "\(.key)=\(.value.cpu * 10 | round / 10)/\(.value.mem * 10 | round / 10)"] | join(" "))' \
	    "$WORK/a$split.json"
done
start=$(date +%s%N)
"$BIN/ballastctl" report capacity --rrd-dir "$WORK/rrd" --format html \
    --out "$WORK/month.html"
echo "capacity report_ms=$(( ($(date +%s%N) - start) / 1000000 )) hosts=16 range=30d"
