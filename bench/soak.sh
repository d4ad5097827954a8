#!/bin/sh
# SPDX-License-Identifier: ISC
# The accelerated soak on a full month of traces (BENCHMARKS.md):
#   bench/soak.sh --traces PATH [--days N] [--hosts N] [--step SECONDS]
# replays N simulated days (default 30) of PATH (Bitbrains format: a
# folder or .tar(.gz|.xz) of N.csv) through ballast-sim --replay,
# ballast-balancerd --replay with a planner in automatic mode and
# rrdcached, and prints the balancer's RSS after the first simulated day
# and at the end; exits non-zero when the end is more than 10 % above
# the first day's level.  Uses the release build in bin/ (BIN=...).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${BIN:=$ROOT/bin}"
traces=""
SOAK_HOSTS=32
usage() { echo "usage: bench/soak.sh --traces PATH [--days N] [--hosts N] [--step SECONDS]" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--traces) traces=${2:-}; shift 2 ;;
	--days) SOAK_DAYS=${2:-}; shift 2 ;;
	--hosts) SOAK_HOSTS=${2:-}; shift 2 ;;
	--step) SOAK_STEP=${2:-}; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$traces" ] && [ -e "$traces" ] || usage
. "$ROOT/tests/integration/lib.sh"
TRACES=$traces
SOAK_LIMIT=7200
. "$ROOT/tests/faults/soak.sh"
finish
