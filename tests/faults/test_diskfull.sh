#!/bin/sh
# SPDX-License-Identifier: ISC
# The state directory on a small tmpfs that fills up while the balancer
# runs a churning cluster in automatic mode (so the checkpoint, the
# migration journal, the audit log and the RRD files are all being
# written).  While it is full: the failure is logged, reports are still
# applied and served by the API, no migration is sent that the journal
# could not record, nothing is counted lost.  When space returns:
# reports are acknowledged again (the checkpoint moves on).  After a
# restart on the same directory: the checkpoint, every line of the
# journal and every line of the audit log parse.  Needs root (mount).
. "$(dirname "$0")/../integration/lib.sh"
if [ "$(id -u)" != 0 ]; then
	notok "this test mounts a tmpfs and needs root"
	finish
fi
mkdir -p "$WORK/state"
mount -t tmpfs -o size=48m tmpfs "$WORK/state" || { notok "mount a 48 MiB tmpfs"; finish; }
at_exit "umount '$WORK/state'"
churn_policy 64MiB/s
start_balancer -p "$WORK/churn.policy"
start_churn 4 16 30
migrated() { get /api/v1/migrations | jq -e '[.[] | select(.state == "done")] | length > 0' >/dev/null; }
check "migrations run before the disk fills" wait_for 40 migrated

# fill it: what the RRD files and the logs have not taken
dd if=/dev/zero of="$WORK/state/filler" bs=64k >/dev/null 2>&1
note "state dir: $(df -k "$WORK/state" | awk 'NR == 2 { print $3 " KiB used, " $4 " KiB free" }')"
seq_full=$(get /api/v1/hosts | jq '[.[].seq] | add')
ck_full=$(jq '[.hosts[].seq] | add' "$WORK/state/ingest.checkpoint")
sleep 12
logged() { grep -q 'No space left on device' "$WORK/balancer.log"; }
check "the full disk is logged" wait_for 10 logged
note "$(grep -m1 'No space left on device' "$WORK/balancer.log")"
seq_now=$(get /api/v1/hosts | jq '[.[].seq] | add')
check "reports are still applied and served while full ($seq_full -> $seq_now)" \
    [ "$seq_now" -gt $((seq_full + 20)) ]
check "the API answers: 16 VMs, 4 hosts" sh -c \
    "curl -fsS '$API/api/v1/vms' | jq -e 'length == 16' >/dev/null"
ck_now=$(jq '[.hosts[].seq] | add' "$WORK/state/ingest.checkpoint")
check "nothing is acknowledged that is not in the checkpoint (it stood still: $ck_full -> $ck_now)" \
    [ "$ck_now" -le $((ck_full + 8)) ]
unsent() { get /api/v1/migrations | jq -e 'any(.error | test("journal cannot be written"))' >/dev/null; }
if unsent; then
	note "migrations planned while full: failed, not sent ($(get /api/v1/migrations | jq '[.[] | select(.error | test("journal cannot be written"))] | length'))"
fi
check "every VM on one host in both views while full" wait_for 10 views_agree

rm -f "$WORK/state/filler"
t_free=$(date +%s)
acked() { [ "$(jq '[.hosts[].seq] | add' "$WORK/state/ingest.checkpoint")" -gt $((seq_now + 8)) ]; }
check "space returns: the checkpoint moves on within 10 s" wait_for 10 acked
note "recovered in $(( $(date +%s) - t_free )) s"
check "no report counted lost" [ "$(status_field reports_lost)" = 0 ]

kill_pid TERM "$BAL_PID"
start_balancer -p "$WORK/churn.policy"
check "restarted on the same state directory" api_up
lines_parse() {	# every line of $1 is a JSON object
	python3 -c 'import json, sys
n = 0
for line in open(sys.argv[1]):
    json.loads(line); n += 1
print(n)' "$1" > "$WORK/n" 2>"$WORK/why"
}
check "the checkpoint parses" jq -e '.hosts | length == 4' "$WORK/state/ingest.checkpoint"
check "every line of the migration journal parses" lines_parse "$WORK/state/migrations.journal"
check "every line of the audit log parses" lines_parse "$WORK/state/audit.log"
check "every VM on one host in both views after the restart" wait_for 15 views_agree
finish
