#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs every unit test (cmocka), integration test and fault-injection
# test (tests/faults) and prints one
# closing line: "N passed, N failed".  Usage: tests/run.sh BUILD_DIR
# (build-san for the sanitizer build).  Integration scripts print
# "ok - what" / "not ok - what" lines; a script that exits non-zero
# without a "not ok" line counts as one failure.  An optional second
# argument runs only the tests whose file name contains it:
# tests/run.sh build-san snmp
set -u
B=${1:-build-san}
only=${2:-}
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
log=$(mktemp)
fails=$(mktemp)
trap 'rm -f "$log" "$fails"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}

count() {	# $1 = pattern, prints the number in cmocka's summary line
	sed -n "s/^\[  $1  \] \([0-9]*\) test.*/\1/p" "$log" | tail -n 1
}

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	case $name in *"$only"*) ;; *) continue ;; esac
	"$t" >"$log" 2>&1
	rc=$?
	p=$(count PASSED); f=$(count FAILED)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name"; cat "$log"
		{ echo "FAIL $name"; grep -E '^\[  FAILED  \] ' "$log"; } >> "$fails"
	else
		echo "ok   $name ($p tests)"
	fi
done

for s in tests/integration/test_*.sh tests/faults/test_*.sh; do
	[ -f "$s" ] || continue
	name=$(basename "$s")
	case $name in *"$only"*) ;; *) continue ;; esac
	BIN="$B/bin" TOOLS="$B/tests" sh "$s" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$log"); f=$(grep -c '^not ok - ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name"; cat "$log"
		{ echo "FAIL $name"; grep -E '^not ok - |exited with status' "$log"
		  [ "$rc" -eq 0 ] || echo "exit status $rc"; } >> "$fails"
	else
		echo "ok   $name ($p checks)"
		grep -E '^(ok|#) ' "$log" | sed 's/^/     /'
	fi
done

# the failures once more, where a reader of a long log looks first
if [ -s "$fails" ]; then
	echo "failures:"; sed 's/^/  /' "$fails"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
