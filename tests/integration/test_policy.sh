#!/bin/sh
# SPDX-License-Identifier: ISC
# `ballastctl policy check`, no daemon needed: every shipped policy is
# accepted and printed back (-v) exactly as its golden
# tests/data/policy/NAME.printed, the printed text is itself a policy
# that prints the same, and every tests/data/policy/bad-*.policy is
# refused with exit status 1 and exactly the line in its bad-*.expected.
. "$(dirname "$0")/lib.sh"

case $BIN in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
CTL="$BIN/ballastctl"
DATA="$ROOT/tests/data/policy"

for name in default conservative aggressive consolidation; do
	cd "$ROOT" || exit 1
	file="policies/$name.policy"
	"$CTL" policy check "$file" -v >"$WORK/$name.out" 2>"$WORK/$name.err"
	rc=$?
	sed '$d' "$WORK/$name.out" >"$WORK/$name.printed"
	check "$file: exit status 0, nothing on stderr" \
	    sh -c "[ $rc = 0 ] && [ ! -s '$WORK/$name.err' ]"
	check "$file: the last line is \"$file: policy OK\"" \
	    [ "$(tail -n 1 "$WORK/$name.out")" = "$file: policy OK" ]
	check "$file: -v prints tests/data/policy/$name.printed exactly" \
	    cmp -s "$WORK/$name.printed" "$DATA/$name.printed"
	cd "$WORK" || exit 1
	"$CTL" policy check "$name.printed" -v >"$WORK/$name.again" 2>&1
	check "$name.printed: checks OK and prints itself again" \
	    sh -c "sed '\$d' '$WORK/$name.again' | cmp -s - '$WORK/$name.printed'"
	check "$name.printed: without -v, only the verdict" \
	    [ "$("$CTL" policy check "$name.printed")" = "$name.printed: policy OK" ]
done

cd "$DATA" || exit 1
n=0
for file in bad-*.policy; do
	n=$((n + 1))
	"$CTL" policy check "$file" >"$WORK/bad.out" 2>"$WORK/bad.err"
	rc=$?
	check "$file: exit status 1 and exactly the line in ${file%.policy}.expected" \
	    sh -c "[ $rc = 1 ] && [ ! -s '$WORK/bad.out' ] &&
	    cmp -s '$WORK/bad.err' '${file%.policy}.expected'"
	[ "$rc" = 1 ] && cmp -s "$WORK/bad.err" "${file%.policy}.expected" ||
	    { note "got (status $rc):"; sed 's/^/# /' "$WORK/bad.err"; }
done
check "at least 11 broken policies tried ($n)" [ "$n" -ge 11 ]

"$CTL" policy check no-such.policy >/dev/null 2>"$WORK/nofile.err"
rc=$?
check "a missing file: exit status 1, the file and the reason" \
    sh -c "[ $rc = 1 ] && [ \"\$(cat '$WORK/nofile.err')\" = \
    'no-such.policy: No such file or directory' ]"

usage() {	# usage ARGS...: exit status 2
	"$CTL" "$@" >/dev/null 2>&1
	[ $? = 2 ]
}
check "'policy check' without a file is a usage error" usage policy check
check "'policy lint FILE' is a usage error" usage policy lint default.policy
check "'policy check A B' is a usage error" usage policy check a b
check "-v with another command is a usage error" usage -v status
exit "$FAILS"
