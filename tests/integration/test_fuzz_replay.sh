#!/bin/sh
# SPDX-License-Identifier: ISC
# The fuzz targets' regression inputs: every file of fuzz/corpus/TARGET
# (the seeds from real messages and files, and what fuzzing added) and
# of fuzz/crashes/TARGET (every crash found, kept after its fix) is fed
# to the target's LLVMFuzzerTestOneInput by its replay driver, built
# with the normal compiler and ASan+UBSan.  A target fails when an input
# crashes it, trips a sanitizer or breaks a property the target checks.
. "$(dirname "$0")/lib.sh"

FUZZ="$TOOLS/../fuzz"
for t in wire cmds policy conf cconf http trace; do
	r="$FUZZ/replay_$t"
	if [ ! -x "$r" ]; then
		notok "$t: $r is built (make SAN=1 tests)"
		continue
	fi
	corpus=$(ls "$ROOT/fuzz/corpus/$t" 2>/dev/null | wc -l)
	crashes=$(ls "$ROOT/fuzz/crashes/$t" 2>/dev/null | wc -l)
	dirs="$ROOT/fuzz/corpus/$t"
	[ "$crashes" -gt 0 ] && dirs="$dirs $ROOT/fuzz/crashes/$t"
	# shellcheck disable=SC2086
	if "$r" $dirs >"$WORK/$t.out" 2>"$WORK/$t.err" &&
	    [ "$(cat "$WORK/$t.out")" = "$((corpus + crashes)) inputs" ] &&
	    [ "$corpus" -gt 0 ]; then
		ok "$t: $corpus corpus inputs and $crashes past crashes replay cleanly"
	else
		notok "$t: replaying $corpus corpus inputs and $crashes past crashes"
		grep -v '^replay: ' "$WORK/$t.err" | head -40 | sed 's/^/# /'
		tail -n 1 "$WORK/$t.err" | sed 's/^/# last input: /'
	fi
done
exit "$FAILS"	# no daemons here: nothing of finish()'s logs to show
