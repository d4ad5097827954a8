#!/bin/sh
# SPDX-License-Identifier: ISC
# Every MIB module we ship is clean for smilint at level 6 (smilint
# exits 0 even on errors, so its output must be empty), and the
# net-snmp tools resolve our names through them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/snmp_lib.sh"

export SMIPATH="$ROOT/mibs:$ROOT/tests/mibs:$SNMP_BASE"
for m in "$ROOT"/mibs/*.txt; do
	name=$(basename "$m" .txt)
	case $name in
	# modules of textual conventions only: their types are for others
	UUID-TC-MIB|IANA-STORAGE-MEDIA-TYPE-MIB) ign="-i type-unref" ;;
	*) ign="" ;;
	esac
	# shellcheck disable=SC2086
	smilint -l 6 $ign "$m" > "$WORK/lint.$name" 2>&1
	check "smilint -l 6 prints nothing for $name" [ ! -s "$WORK/lint.$name" ]
	[ -s "$WORK/lint.$name" ] && sed 's/^/# /' "$WORK/lint.$name"
done
check "smilint would speak up: a broken copy is reported" sh -c \
    "sed 's/ballastClusterPlanPasses }/ballastNoSuchObject }/' '$ROOT/mibs/BALLAST-MIB.txt' > '$WORK/BALLAST-MIB.txt' &&
     SMIPATH='$WORK:$SMIPATH' smilint -l 6 '$WORK/BALLAST-MIB.txt' 2>&1 | grep -q ballastNoSuchObject"
tr() { snmptranslate -On "$1" 2>/dev/null; }
check "BALLAST-MIB::hostHot is enterprises.32473.0.1 (placeholder PEN)" [ "$(tr BALLAST-MIB::hostHot)" = .1.3.6.1.4.1.32473.0.1 ]
check "BALLAST-MIB::policyReloadFailed is .0.10" [ "$(tr BALLAST-MIB::policyReloadFailed)" = .1.3.6.1.4.1.32473.0.10 ]
check "BALLAST-MIB::ballastHostTable resolves" [ "$(tr BALLAST-MIB::ballastHostTable)" = .1.3.6.1.4.1.32473.1.2 ]
check "VM-MIB::vmRunning is mib-2.236.0.1" [ "$(tr VM-MIB::vmRunning)" = .1.3.6.1.2.1.236.0.1 ]
check "VM-MIB::vmNetworkIfIndex resolves" [ "$(tr VM-MIB::vmNetworkIfIndex)" = .1.3.6.1.2.1.236.1.8.1.2 ]
finish
