#!/bin/sh
# SPDX-License-Identifier: ISC
# The documentation against the programs, both ways:
#  - every man page passes `mandoc -T lint` at the warning level;
#  - every option in a program's --help is in its man page, and every
#    option a man page lists (.It Fl) is accepted by the program;
#  - every command in `ballastctl --help` is in ballastctl(1), and every
#    command there is one ballastctl knows;
#  - every keyword the configuration and policy parsers compare against
#    (their sources, each keyword then proved real by the parser
#    itself) is in the man page, and every keyword a man page lists
#    (.It Ic) is one the parser accepts;
#  - the defaults the man pages state are those the programs print;
#  - the example configurations (etc/, the man pages' EXAMPLES) and the
#    shipped policies parse;
#  - an operator's usual mistakes get a message that names the fix (a
#    balancer and a collector run for these, on this test's ports).
# Adding an option or a keyword without documenting it fails here.
. "$(dirname "$0")/lib.sh"

case $BIN in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
MAN="$ROOT/man"
BAL="$BIN/ballast-balancerd"
COL="$BIN/ballast-collectord"
SIM="$BIN/ballast-sim"
CTL="$BIN/ballastctl"
# finish shows these logs after a failure; the sim's stays empty.
: >"$WORK/balancer.log"
: >"$WORK/sim.log"

# A collector whose balancer is not there must say so after 30 s: start
# it now (libvirt's test driver, no balancer on the port), read its log
# at the end.
: >"$WORK/empty"
"$COL" -f "$WORK/empty" --connect test:///default --interval 1 \
    --balancer "tcp://127.0.0.1:$((API_PORT + 4))" >"$WORK/col.log" 2>&1 &
COL_PID=$!
PIDS="$PIDS $COL_PID"

# --- mandoc -T lint ---------------------------------------------------

if command -v mandoc >/dev/null; then
	for m in "$MAN"/*.[158]; do
		out=$(mandoc -T lint -W warning "$m" 2>&1)
		check "mandoc -T lint: no warning in man/${m##*/}" [ -z "$out" ]
		[ -z "$out" ] || echo "$out" | sed 's/^/# /'
	done
else
	notok "mandoc is installed (make deps)"
fi

# --- options ------------------------------------------------------------

# help_opts: the options in --help text on stdin, one a line, without
# their dashes ("f", "-config"): each -x, -xyz (-x -y -z) and --word
# that starts a word or follows '[' or '|'.
help_opts() {
	grep -oE '(^|[][ |,])--?[A-Za-z][A-Za-z0-9-]*' |
	    sed -E 's/^[][ |,]//' | while read -r o; do
		case $o in
		--*) echo "${o#-}" ;;
		*) echo "${o#-}" | fold -w 1 ;;
		esac
	done | sort -u
}

# man_has_opt MANPAGE OPT: the page marks OPT up as a flag (Fl -word,
# or a letter alone or in a group such as Fl dnv).
man_has_opt() {
	case $2 in
	-*) grep -qE "Fl $2( |\$)" "$1" ;;
	*) grep -qE "Fl [A-Za-z]*$2[A-Za-z]*( |\$)" "$1" ;;
	esac
}

# man_list_opts MANPAGE: each flag of the .It Fl lines, with its
# argument marker: "-config 1", "n 0".
man_list_opts() {
	sed -n 's/^\.It Fl //p' "$1" | sed 's/ , Fl /\n/g' | awk '
	{ a = ($2 == "Ar" || $2 == "Cm" || $2 == "Oo") ? 1 : 0; print $1, a }'
}

# accepts PROGRAM ARGS...: the program does not refuse the last option
# of ARGS as unknown.  A bad option after it stops the program before
# it runs, so an option it knows shows in the message as that one.
accepts() {
	out=$("$@" --zz-not-an-option 2>&1 </dev/null)
	echo "$out" | grep -q 'zz-not-an-option' ||
	    ! echo "$out" | grep -qE \
	    'unrecognized option|invalid option|unknown (or ambiguous )?option'
}

# check_opts LABEL HELP-FILE MANPAGE LISTPAGE PROGRAM [ARGS...]: the
# options of HELP-FILE are all in MANPAGE, and the options that
# LISTPAGE (the part of MANPAGE about that command) lists are all
# accepted by PROGRAM ARGS.
check_opts() {
	label=$1 help=$2 page=$3 list=$4; shift 4
	n=0 missing=""
	for o in $(help_opts <"$help"); do
		n=$((n + 1))
		man_has_opt "$page" "$o" || missing="$missing -$o"
	done
	check "$label: every option of its --help is in ${page##*/} ($n)" \
	    sh -c "[ $n -ge 3 ] && [ -z '$missing' ]"
	[ -z "$missing" ] || note "not in ${page##*/}:$missing"
	n=0 refused=""
	man_list_opts "$list" >"$WORK/manopts"
	while read -r o a; do
		case $o in -help|h|-version) continue ;; esac
		n=$((n + 1))
		if [ "$a" = 1 ]; then
			accepts "$@" "-$o" 1 || refused="$refused -$o"
		else
			accepts "$@" "-$o" || refused="$refused -$o"
		fi
	done <"$WORK/manopts"
	check "$label: every option ${page##*/} lists is accepted ($n)" \
	    sh -c "[ $n -ge 3 ] && [ -z '$refused' ]"
	[ -z "$refused" ] || note "refused:$refused"
}

"$BAL" --help >"$WORK/bal.help"
"$COL" --help >"$WORK/col.help"
"$SIM" --help >"$WORK/sim.help"
"$CTL" --help >"$WORK/ctl-main.help"
"$CTL" report --help >"$WORK/ctl-report.help"
check_opts ballast-balancerd "$WORK/bal.help" "$MAN/ballast-balancerd.8" \
    "$MAN/ballast-balancerd.8" "$BAL"
check_opts ballast-collectord "$WORK/col.help" "$MAN/ballast-collectord.8" \
    "$MAN/ballast-collectord.8" "$COL"
check_opts ballast-sim "$WORK/sim.help" "$MAN/ballast-sim.1" \
    "$MAN/ballast-sim.1" "$SIM"
# ballastctl(1)'s REPORTS lists the options of "report capacity", which
# the other commands refuse: each part is tried with its own command.
awk '/^\.Sh / { r = ($0 == ".Sh REPORTS") } !r' "$MAN/ballastctl.1" \
    >"$WORK/ctl-main.1"
awk '/^\.Sh / { r = ($0 == ".Sh REPORTS") } r' "$MAN/ballastctl.1" \
    >"$WORK/ctl-report.1"
check_opts ballastctl "$WORK/ctl-main.help" "$MAN/ballastctl.1" \
    "$WORK/ctl-main.1" "$CTL" status
check_opts "ballastctl report capacity" "$WORK/ctl-report.help" \
    "$MAN/ballastctl.1" "$WORK/ctl-report.1" "$CTL" report capacity

# --- ballastctl's commands -----------------------------------------------

# The command words of --help's "Commands:" and "Actions" lists.
sed -n '/^Commands:/,/^Options:/p' "$WORK/ctl-main.help" |
    sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' | sort -u >"$WORK/ctl.cmds"
missing=""
while read -r c; do
	grep -qE "^\.It (Ic|Cm) $c( |\$)" "$MAN/ballastctl.1" ||
	    missing="$missing $c"
done <"$WORK/ctl.cmds"
check "ballastctl: every command of --help is in ballastctl.1 ($(wc -l <"$WORK/ctl.cmds"))" \
    sh -c "[ $(wc -l <"$WORK/ctl.cmds") -ge 10 ] && [ -z '$missing' ]"
[ -z "$missing" ] || note "not in ballastctl.1:$missing"
refused=""
for c in $(sed -n 's/^\.It \(Ic\|Cm\) \([a-z][a-z-]*\).*/\2/p' \
    "$WORK/ctl-main.1" | sort -u); do
	"$CTL" --api http://127.0.0.1:9 --timeout 1 "$c" >/dev/null \
	    2>"$WORK/cmd.err" </dev/null
	grep -q 'unknown command' "$WORK/cmd.err" && refused="$refused $c"
done
check "ballastctl: every command in ballastctl.1 is one it knows" \
    [ -z "$refused" ]
[ -z "$refused" ] || note "unknown to ballastctl:$refused"

# --- configuration keywords ----------------------------------------------

# src_keywords FILE...: the words the parsers compare a statement's
# keyword with: strcmp(kw, "word") and strcmp(w, "word") calls, and the
# { "word", pp_handler } entries of the policy parser's tables.
src_keywords() {
	cat "$@" | grep -oE 'strcmp\((kw|w), "[a-z0-9-]+"\)|\{ "[a-z0-9-]+", pp_[a-z_]+ \}' |
	    grep -oE '"[a-z0-9-]+"' | tr -d '"' | sort -u
}

# man_keywords MANPAGE [SECTION]: the first word of each .It Ic line
# (also .It Xo Ic) and of each .Ss The Ic WORD No block heading, within
# SECTION (.Sh) when given.
man_keywords() {
	awk -v s="${2:-}" '
	/^\.Sh / { in_s = (s == "" || $0 == ".Sh " s) }
	in_s && /^\.(It (Xo )?|Ss The )Ic / {
		sub(/^\.(It (Xo )?|Ss The )Ic /, ""); print $1 }' "$1" | sort -u
}

# known_kw PARSE-COMMAND KEYWORD: the parser, given the keyword alone
# at the top level and in each block that takes settings, does not
# call it unknown somewhere.
known_kw() {
	p=$1 kw=$2 blocks='migrate|pcap|imbalance|migration|risk|relief'
	for text in "$kw" "migrate {
$kw
}" "pcap $kw" "imbalance { $kw }" "migration { $kw }" "risk $kw" \
	    "relief $kw"; do
		printf '%s\n' "$text" >"$WORK/kw.conf"
		$p "$WORK/kw.conf" >/dev/null 2>"$WORK/kw.err" </dev/null
		grep -qE "unknown [a-z ]*\"$kw\"|unknown keyword \"($blocks)\"" \
		    "$WORK/kw.err" || return 0
	done
	return 1
}

check_keywords() {	# check_keywords WHAT PARSER MANPAGE SECTION SRC...
	what=$1 parser=$2 page=$3 sect=$4; shift 4
	src_keywords "$@" >"$WORK/src.kw"
	man_keywords "$page" "$sect" >"$WORK/man.kw"
	n=$(wc -l <"$WORK/src.kw")
	fake="" missing=""
	while read -r kw; do
		known_kw "$parser" "$kw" || fake="$fake $kw"
		# a first word, or a later one of a statement (risk peak-weight)
		grep -qx "$kw" "$WORK/man.kw" ||
		    grep -qE "^\.It (Xo )?Ic ([a-z0-9-]+ )+$kw( |\$)" "$page" ||
		    missing="$missing $kw"
	done <"$WORK/src.kw"
	check "$what: every keyword of the parser is a real one ($n)" \
	    sh -c "[ $n -ge 10 ] && [ -z '$fake' ]"
	[ -z "$fake" ] || note "the parser calls these unknown:$fake"
	check "$what: every keyword of the parser is in ${page##*/}" \
	    [ -z "$missing" ]
	[ -z "$missing" ] || note "not in ${page##*/}:$missing"
	unknown=""
	while read -r kw; do
		known_kw "$parser" "$kw" || unknown="$unknown $kw"
	done <"$WORK/man.kw"
	check "$what: every keyword in ${page##*/} is accepted ($(wc -l <"$WORK/man.kw"))" \
	    [ -z "$unknown" ]
	[ -z "$unknown" ] || note "unknown to the parser:$unknown"
}

cd "$ROOT" || exit 1
check_keywords ballast-balancerd.conf "$BAL -n -f" \
    "$MAN/ballast-balancerd.conf.5" "" balancer/conf.c balancer/conf_snmp.c
check_keywords "ballast-collectord's configuration" "$COL -n -f" \
    "$MAN/ballast-collectord.8" CONFIGURATION \
    collector/cconf.c collector/cconf_pcap.c
check_keywords ballast.policy "$CTL policy check" "$MAN/ballast.policy.5" "" \
    policies/parse.c policies/parse_rule.c

# --- defaults -------------------------------------------------------------

: >"$WORK/empty"
"$BAL" -n -v -f "$WORK/empty" | sed '/^# policy /,$d' >"$WORK/bal.defaults"
awk '/^Every statement, at its default:/ { f = 1; next }
    f && /^\.Ed/ { exit } f && !/^\.Bd/ && !/^#/' \
    "$MAN/ballast-balancerd.conf.5" >"$WORK/bal.man-defaults"
grep -v '^#' "$WORK/bal.defaults" | diff -u "$WORK/bal.man-defaults" - \
    >"$WORK/bal.diff"
check "ballast-balancerd.conf(5)'s every-default example is what -n -v prints" \
    sh -c "[ -s '$WORK/bal.man-defaults' ] && [ ! -s '$WORK/bal.diff' ]"
sed 's/^/# /' "$WORK/bal.diff"

# ballast.policy(5): each "The default is .Ql STATEMENT" is a line of
# the built-in policy as printed.
cp "$WORK/empty" "$WORK/empty.policy"
"$CTL" policy check -v "$WORK/empty.policy" | sed 's/^[[:space:]]*//' \
    >"$WORK/pol.defaults"
awk '/[Tt]he default is$/ { getline; if ($1 == ".Ql") {
    sub(/^\.Ql /, ""); sub(/ [.,;:]$/, ""); print } }' \
    "$MAN/ballast.policy.5" >"$WORK/pol.man-defaults"
wrong=""
while read -r d; do
	grep -qxF "$d" "$WORK/pol.defaults" || wrong="$wrong [$d]"
done <"$WORK/pol.man-defaults"
check "ballast.policy(5): each stated default ($(wc -l <"$WORK/pol.man-defaults")) is the built-in one" \
    sh -c "[ $(wc -l <"$WORK/pol.man-defaults") -ge 10 ] && [ -z '$wrong' ]"
[ -z "$wrong" ] || note "not the built-in policy:$wrong"

# --- the shipped examples ------------------------------------------------

# They name the installed policies (/etc/ballast/NAME.policy): here,
# the same files in policies/.
sed "s|/etc/ballast/\([a-z]*\.policy\)|$ROOT/policies/\\1|" \
    etc/ballast-balancerd.conf >"$WORK/balancerd.conf"
check "etc/ballast-balancerd.conf: ballast-balancerd -n -f says configuration OK" \
    sh -c "'$BAL' -n -f '$WORK/balancerd.conf' 2>&1 | grep -qx 'configuration OK'"
check "etc/ballast-collectord.conf: ballast-collectord -n -f says configuration OK" \
    sh -c "'$COL' -n -f etc/ballast-collectord.conf 2>&1 | grep -qx 'configuration OK'"
for f in policies/*.policy; do
	check "$f: ballastctl policy check says policy OK" \
	    sh -c "'$CTL' policy check '$f' 2>&1 | grep -qx '$f: policy OK'"
done

# The EXAMPLES of the configuration man pages, block by block (not the
# shell sessions, which start with "$ "), as a reader would copy them.
man_examples() {	# man_examples MANPAGE PREFIX: $WORK/PREFIX.N
	awk -v out="$WORK/$2" '
	/^\.Sh EXAMPLES/ { e = 1; next } /^\.Sh / { e = 0 }
	e && /^\.Bd -literal/ { b = 1; n++; f = out "." n; next }
	b && /^\.Ed/ { b = 0; close(f); next }
	e && b { gsub(/\\e/, "\\"); gsub(/\\&/, ""); print > f }' "$1"
	for f in "$WORK/$2".*; do
		head -n 1 "$f" | grep -q '^\$ ' && rm -f "$f"
	done
	ls "$WORK/$2".* 2>/dev/null | wc -l
}

# check_examples MANPAGE PREFIX SUFFIX MIN WHAT CHECK...: each example
# (a policy statement pointed at the shipped default.policy, /etc/ballast
# files at keys made here), saved as
# FILE.SUFFIX, passes CHECK... FILE.SUFFIX.
check_examples() {
	page=$1 pre=$2 suf=$3 min=$4 what=$5; shift 5
	n=$(man_examples "$page" "$pre")
	bad=""
	for f in "$WORK/$pre".*; do
		sed -e "s|^policy \".*\"|policy \"$ROOT/policies/default.policy\"|" \
		    -e "s|\"/etc/ballast/|\"$WORK/etc/|g" "$f" >"$f.$suf"
		"$@" "$f.$suf" >/dev/null 2>&1 || bad="$bad ${f##*.}"
	done
	check "${page##*/}: its $n example $what pass" \
	    sh -c "[ $n -ge $min ] && [ -z '$bad' ]"
	[ -z "$bad" ] || note "examples refused:$bad"
}

# the examples' key files, as an operator makes them (ballastctl keygen)
mkdir -p "$WORK/etc"
for k in balancer kvm-01; do
	"$CTL" keygen "$k" --out "$WORK/etc" >/dev/null 2>&1
done
printf 'collector "kvm-01" key "%s"\n' \
    "$(grep -v '^#' "$WORK/etc/kvm-01.pub")" >"$WORK/etc/collectors"
check_examples "$MAN/ballast-balancerd.conf.5" balconf conf 3 \
    "configurations (ballast-balancerd -n)" "$BAL" -n -f
check_examples "$MAN/ballast-collectord.8" colconf conf 2 \
    "configurations (ballast-collectord -n)" "$COL" -n -f
check_examples "$MAN/ballast.policy.5" policy policy 1 \
    "policies (ballastctl policy check)" "$CTL" policy check

# --- errors that name the fix ----------------------------------------------

# says_fix DESCRIPTION PATTERN COMMAND...: COMMAND fails, and what it
# prints matches PATTERN (the fix it names).
says_fix() {
	d=$1 pat=$2; shift 2
	"$@" >"$WORK/fix.out" 2>&1 </dev/null
	rc=$?
	check "$d" sh -c "[ $rc != 0 ] && grep -qE '$pat' '$WORK/fix.out'"
	[ "$rc" != 0 ] && grep -qE "$pat" "$WORK/fix.out" ||
	    sed 's/^/# /' "$WORK/fix.out"
}

says_fix "a missing -f file: the balancer names -f and the man page" \
    'nope.conf: No such file.*-f.*ballast-balancerd.conf\(5\)' \
    "$BAL" -n -f "$WORK/nope.conf"
says_fix "a missing -f file: the collector names -f and the man page" \
    'nope.conf: No such file.*-f.*ballast-collectord\(8\)' \
    "$COL" -n -f "$WORK/nope.conf"
says_fix "a state directory that cannot be made: the balancer names state-dir" \
    'cannot create state directory .*no/such.*--state-dir' \
    timeout 10 "$BAL" -f "$WORK/empty" --state-dir "$WORK/no/such" \
    --api "127.0.0.1:$API_PORT" --reports "$REPORTS"
start_balancer -f "$WORK/empty"
says_fix "the reports endpoint in use: the balancer names listen reports" \
    'cannot listen for reports on .*in use.*listen reports.*--reports' \
    timeout 10 "$BAL" -f "$WORK/empty" --state-dir "$WORK/other" \
    --api "127.0.0.1:$((API_PORT + 2))" --reports "$REPORTS"
says_fix "the API port in use: the balancer names listen api and --api" \
    'cannot serve the API on .*listen api.*--api' \
    timeout 10 "$BAL" -f "$WORK/empty" --state-dir "$WORK/other2" \
    --api "127.0.0.1:$API_PORT" --reports "tcp://127.0.0.1:$((API_PORT + 3))"
says_fix "the same state directory twice: the balancer says stop it or --state-dir" \
    'another ballast-balancerd uses .*--state-dir' \
    timeout 10 "$BAL" -f "$WORK/empty" --state-dir "$WORK/state" \
    --api "127.0.0.1:$((API_PORT + 2))" --reports "tcp://127.0.0.1:$((API_PORT + 3))"
says_fix "a wrong token: ballastctl names --token, BALLAST_TOKEN and --token-file" \
    'refused the token.*--token, BALLAST_TOKEN or --token-file' \
    "$CTL" --api "$API" --token wrong approve 1
says_fix "https to a plain-HTTP balancer: ballastctl says it serves http://" \
    'tls statement.*http://' \
    "$CTL" --api "https://127.0.0.1:$API_PORT" --timeout 5 status
says_fix "an unknown host: the API points at ballastctl hosts" \
    'ballastctl hosts' "$CTL" --api "$API" host no-such-host
kill "$BAL_PID"; wait "$BAL_PID" 2>/dev/null
says_fix "no balancer: ballastctl asks whether it runs and names --api" \
    'cannot reach the balancer.*running.*--api' \
    "$CTL" --api "$API" --timeout 5 status

noack() { grep -q 'no acknowledgement from the balancer at .*--balancer' "$WORK/col.log"; }
wait_for 45 noack
check "no balancer: the collector says so after 30 s and names --balancer" noack
noack || sed 's/^/# /' "$WORK/col.log"

finish
