#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs libFuzzer targets one after another (make fuzz).
# Usage: fuzz/run.sh BUILD_DIR SECONDS TARGET...
# Each runs under nice -n 19 for SECONDS on a scratch copy of
# fuzz/corpus/TARGET (with fuzz/TARGET.dict when there is one); then
# the inputs that add coverage are merged into fuzz/corpus/TARGET
# (-merge=1) and crashes are left in fuzz/crashes/TARGET/.  The last
# status line of each run (executions, cov, ft, corpus) is printed and
# the logs kept in BUILD_DIR/fuzz/TARGET.log and TARGET.merge.log.
set -u
B=$1; secs=$2; shift 2
cd "$(dirname "$0")/.." || exit 1
rc=0
for t in "$@"; do
	f="$B/fuzz/fuzzer_$t"
	[ -x "$f" ] || { echo "$f: not built (make FUZZ=1 fuzzers)"; rc=1; continue; }
	mkdir -p "fuzz/corpus/$t" "fuzz/crashes/$t"
	scratch=$(mktemp -d)
	dict=""
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	log="$B/fuzz/$t.log"
	nice -n 19 "$f" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="fuzz/crashes/$t/" $dict \
	    "$scratch" "fuzz/corpus/$t" >"$log" 2>&1 || rc=1
	nice -n 19 "$f" -merge=1 "fuzz/corpus/$t" "$scratch" \
	    >"$B/fuzz/$t.merge.log" 2>&1 || rc=1
	rm -rf "$scratch"
	echo "== $t: $(grep -E '^#[0-9]+' "$log" | tail -n 1)"
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log"
	echo "   corpus: $(ls "fuzz/corpus/$t" | wc -l) files," \
	    "$(du -sk "fuzz/corpus/$t" | cut -f1) KiB;" \
	    "crashes: $(ls "fuzz/crashes/$t" | wc -l)"
done
exit "$rc"
