#!/bin/sh
# SPDX-License-Identifier: ISC
# CURVE on the report and command channel, end to end with the real
# balancer, simulator and collector (libvirt's test driver): keys from
# ballastctl keygen; an unknown key gets nothing in; a key bound to
# hv01 cannot report as hv02; SIGHUP re-reads the authorised
# collectors (all or nothing); hv01's key taking hv02's routing id
# receives none of hv02's commands, which still reach hv02; a
# collector does not talk to a balancer whose key it does not trust,
# until its own SIGHUP gives it that key;
# command fencing: an older epoch and a repeated id through zcmd (a
# balancer started by mistake, sending what a real one never would),
# then a real second balancer with an older epoch; plain TCP off
# loopback refuses to start without "insecure".
. "$(dirname "$0")/lib.sh"
K="$WORK/keys"
mkdir -p "$K"
API2_PORT=$((API_PORT + 2)); REPORTS2_PORT=$((API_PORT + 3)); ZCMD_PORT=$((API_PORT + 4))
API2="http://127.0.0.1:$API2_PORT"
ctl() { "$BIN/ballastctl" "$@"; }
pub() { tail -n 1 "$K/$1.pub"; }
status() { get /api/v1/status | jq -r ".$1"; }
hosts() { get /api/v1/hosts | jq -r '[.[].name] | sort | join(",")'; }
logged() { grep -q "$1" "$2"; }

# --- keys ------------------------------------------------------------
for n in bal bal2 hv01 hv02 evil; do
	ctl keygen "$n" --out "$K" >/dev/null || notok "keygen $n"
done
check "keygen: the secret key file is mode 0600" [ "$(stat -c %a "$K/hv01.key")" = 600 ]
check "keygen: the public key is one line of 40 Z85 characters" \
    sh -c "tail -n 1 '$K/hv01.pub' | grep -Eq '^.{40}\$'"
sum=$(md5sum < "$K/hv01.key")
ctl keygen hv01 --out "$K" 2>"$WORK/keygen.err"
rc=$?
note "$(cat "$WORK/keygen.err")"
check "keygen refuses to overwrite a key (exit 1)" [ "$rc" = 1 ]
check "and the key is unchanged" [ "$(md5sum < "$K/hv01.key")" = "$sum" ]

# --- the balancer on CURVE; hv01 alone authorised -----------------------
printf 'collector "hv01" key "%s"\n' "$(pub hv01)" > "$WORK/collectors"
# the balancer's secret key where it can be replaced (rotation, below)
cp -p "$K/bal.key" "$WORK/balancer.key"
printf 'curve secret-key "%s" authorized-collectors "%s"\n' \
    "$WORK/balancer.key" "$WORK/collectors" > "$WORK/bal.conf"
start_balancer -f "$WORK/bal.conf"

# --- an unknown key ----------------------------------------------------
start_sim --hosts 1 --vms 4 --step 1 --balancer-key "$K/bal.pub" --key "$K/evil.key"
hs_refused() { [ "$(status handshakes_refused)" -ge 1 ]; }
check "an unknown key: the handshake is refused and counted" wait_for 10 hs_refused
sleep 2
nothing_in() { [ "$(hosts)" = "" ] && [ "$(status reports_received)" = 0 ]; }
check "an unknown key gets nothing in (no host, no report in the API)" nothing_in
check "the balancer logs the refused key" \
    logged "refused a collector .*not in the authorised-collectors file" "$WORK/balancer.log"
check "the simulator logs the refusal" \
    logged "CURVE handshake with the balancer .*refused our key" "$WORK/sim.log"
kill "$SIM_PID"

# --- hv01's key reporting as hv02 ----------------------------------------
start_sim --hosts 2 --vms 8 --step 1 --balancer-key "$K/bal.pub" --key "$K/hv01.key"
hv01_only() { [ "$(hosts)" = hv01 ]; }
check "hv01's key gets hv01 in" wait_for 10 hv01_only
refused() { [ "$(status reports_refused)" -ge 2 ]; }
check "hv01's key reporting as hv02 is refused and counted (reports_refused)" \
    wait_for 10 refused
note "reports_refused: $(status reports_refused)"
check "hv02 stays out of the API" hv01_only
check "the balancer logs why" \
    logged "from the key of hv01: its key is bound to another host name" "$WORK/balancer.log"
kill "$SIM_PID"
sleep 0.5

# --- SIGHUP re-reads the authorised collectors ----------------------------
start_sim --hosts 2 --vms 8 --step 1 --balancer-key "$K/bal.pub" --keys "$K"
sleep 3
check "hv02's own key, not yet authorised: hv02 stays out" hv01_only
printf 'collector "hv02" key "%s"\n' "$(pub hv02)" >> "$WORK/collectors"
kill -HUP "$BAL_PID"
both() { [ "$(hosts)" = hv01,hv02 ]; }
check "after SIGHUP the newly authorised hv02 gets in" wait_for 15 both
echo 'collector "hv03" key "too-short"' >> "$WORK/collectors"
kill -HUP "$BAL_PID"
bad_reload() { logged "CURVE reload failed.*collectors:3:" "$WORK/balancer.log"; }
check "a broken file at SIGHUP is refused with file:line:col" wait_for 5 bad_reload
sed -i '$d' "$WORK/collectors"
n0=$(status reports_received)
sleep 3
check "and the running table stays: both hosts still report" \
    sh -c "[ $(status reports_received) -gt $n0 ] && [ '$(hosts)' = hv01,hv02 ]"

# --- SIGHUP rotates the balancer's key ------------------------------------
ctl keygen bal3 --out "$K" >/dev/null
cp -p "$K/bal3.key" "$WORK/balancer.key"
kill -HUP "$BAL_PID"
rotated() { grep -qF "CURVE reloaded: balancer key $(pub bal3) (new)" "$WORK/balancer.log"; }
check "SIGHUP takes the balancer's new key" wait_for 5 rotated
sleep 1
n0=$(status reports_received); a0=$(status handshakes_accepted)
sleep 3
check "collectors holding its old public key no longer get in" \
    sh -c "[ $(status reports_received) -le $((n0 + 2)) ] && [ $(status handshakes_accepted) = $a0 ]"
kill "$SIM_PID"
start_sim --hosts 2 --vms 8 --step 1 --balancer-key "$K/bal3.pub" --keys "$K"
more() { [ "$(status reports_received)" -gt $((n0 + 4)) ]; }
check "collectors given the new public key do" wait_for 15 more

# --- a listed collector taking another host's routing id ------------------
# While hv02 is connected, hv01's key connects with hv02's routing id:
# 'H' + hv02's UUID (all another collector can know of it), and once more
# with a guessed secret after it.  hv02's next command still reaches
# hv02; neither impostor receives anything.
hv02=$(get /api/v1/hosts | jq -r '.[] | select(.name == "hv02") | .uuid')
r0=$(status routes_refused); f0=$(status reports_refused)
impostor() {	# $1 output name, then zsend's extra options; sets IMP_PID
	out=$1; shift
	"$TOOLS/zsend" --key "$K/hv01.key" --balancer-key "$K/bal3.pub" \
	    --routing-id "$hv02" "$@" --listen 12 "$REPORTS" spoof 3 "$hv02" \
	    >"$WORK/$out.out" 2>&1 &
	IMP_PID=$!
	PIDS="$PIDS $IMP_PID"
}
impostor imp1; IMP1=$IMP_PID
impostor imp2 --secret; IMP2=$IMP_PID
# the bare routing id is not a CURVE collector's (routes_refused); the
# guessed secret has the form, but hv01's key does not fit hv02
routes() { [ "$(status routes_refused)" -ge $((r0 + 3)) ] &&
    [ "$(status reports_refused)" -ge $((f0 + 6)) ]; }
check "hv01's key with hv02's routing id: its messages are refused and counted (routes_refused, reports_refused)" \
    wait_for 10 routes
note "routes_refused: $(status routes_refused), reports_refused: $(status reports_refused)"
check "the balancer logs the refusal with the key's name" \
    logged "from the key of hv01: its routing id is not the host's own" "$WORK/balancer.log"
vm2=$(get /api/v1/vms | jq -r '[.[] | select(.host == "hv02")][0].name')
ctl --api "$API" --token "$(cat "$WORK/state/api.token")" migrate "$vm2" hv01 \
    --wait >"$WORK/move2.out" 2>&1
rc=$?
note "$(tail -n 1 "$WORK/move2.out")"
check "meanwhile an operator move of $vm2 off hv02 reaches hv02 and succeeds (exit 0)" [ "$rc" = 0 ]
check "and $vm2 runs on hv01" \
    [ "$(get /api/v1/vms | jq -r --arg v "$vm2" '.[] | select(.name == $v) | .host')" = hv01 ]
wait "$IMP1" "$IMP2"
note "$(cat "$WORK/imp1.out" "$WORK/imp2.out" | tr '\n' ' ')"
check "the impostor with hv02's routing id received nothing" \
    grep -q '^zsend: received 0$' "$WORK/imp1.out"
check "nor the one guessing hv02's secret" \
    grep -q '^zsend: received 0$' "$WORK/imp2.out"
kill "$SIM_PID"

# --- a collector does not talk to a balancer it does not trust -------------
cat > "$WORK/hv01.xml" <<'EOF2'
<node><cpu><mhz>2600</mhz><model>i686</model><active>4</active><total>4</total><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads></cpu><memory>8388608</memory>
  <domain type='test'>
    <name>web-1</name>
    <uuid>5e1f0c3a-0000-4000-8000-000000000001</uuid>
    <memory>1048576</memory><currentMemory>1048576</currentMemory>
    <vcpu>1</vcpu><os><type>hvm</type></os>
  </domain>
</node>
EOF2
printf 'curve secret-key "%s" authorized-collectors "%s"\n' "$K/bal2.key" \
    "$WORK/collectors" > "$WORK/bal2.conf"
"$BIN/ballast-balancerd" -f "$WORK/bal2.conf" --state-dir "$WORK/state2" \
    --api "127.0.0.1:$API2_PORT" --reports "tcp://127.0.0.1:$REPORTS2_PORT" \
    >>"$WORK/balancer2.log" 2>&1 &
BAL2_PID=$!
PIDS="$PIDS $BAL2_PID"
api2_up() { curl -fsS "$API2/api/v1/status" >/dev/null 2>&1; }
wait_for 10 api2_up || notok "the second balancer answers"
# collector configuration: $1 endpoint, $2 the balancer key it trusts,
# then extra lines on stdin
cconf() {
	printf 'connect "test://%s"\nhost-name hv01\ninterval 1 s\nbalancer "%s"\nbalancer-key "%s"\nkey "%s"\n' \
	    "$WORK/hv01.xml" "$1" "$2" "$K/hv01.key"
	cat
}
cp "$K/bal.pub" "$WORK/trusted.pub"
cconf "tcp://127.0.0.1:$REPORTS2_PORT" "$WORK/trusted.pub" </dev/null > "$WORK/c2.conf"
"$BIN/ballast-collectord" -f "$WORK/c2.conf" >>"$WORK/c2.log" 2>&1 &
C2_PID=$!
PIDS="$PIDS $C2_PID"
hs_failed() { logged "CURVE handshake with the balancer at tcp://127.0.0.1:$REPORTS2_PORT failed" "$WORK/c2.log"; }
check "a balancer with a key the collector does not trust: the handshake fails and the collector logs it" \
    wait_for 15 hs_failed
note "$(grep 'CURVE handshake' "$WORK/c2.log" | head -1)"
hosts2() { curl -fsS "$API2/api/v1/hosts" | jq -r 'length'; }
check "that balancer never hears of hv01" [ "$(hosts2)" = 0 ]
token2=$(cat "$WORK/state2/api.token")
check "and cannot command it: a migration of web-1 is refused" \
    sh -c "! '$BIN/ballastctl' --api '$API2' --token '$token2' migrate web-1 hv02 >/dev/null 2>&1"
# the operator installs that balancer's key on the collector: SIGHUP
cp "$K/bal2.pub" "$WORK/trusted.pub"
kill -HUP "$C2_PID"
heard() { [ "$(hosts2)" = 1 ]; }
check "after the collector's SIGHUP with that balancer's key, it reports there" \
    wait_for 15 heard
check "the collector logs the reload and the handshake" \
    sh -c "grep -q 'CURVE keys reloaded' '$WORK/c2.log' && grep -q 'CURVE handshake with the balancer at .* succeeded' '$WORK/c2.log'"
kill "$C2_PID" "$BAL2_PID"

# --- command fencing: a balancer started by mistake -----------------------
cat > "$WORK/move.sh" <<'EOF2'
#!/bin/sh
echo "$1 $2" >> "$(dirname "$0")/moves.log"
EOF2
cconf "tcp://127.0.0.1:$ZCMD_PORT" "$K/bal.pub" > "$WORK/c3.conf" <<EOF2
actuator exec
exec "sh $WORK/move.sh {vm} {dest}"
EOF2
"$BIN/ballast-collectord" -f "$WORK/c3.conf" >>"$WORK/c3.log" 2>&1 &
C3_PID=$!
PIDS="$PIDS $C3_PID"
vm=5e1f0c3a-0000-4000-8000-000000000001
# ids carry their epoch in the high 32 bits, as the executor's do
id5=$(( (5 << 32) + 1 )); id4=$(( (4 << 32) + 1 )); id4b=$(( (4 << 32) + 2 ))
"$TOOLS/zcmd" --key "$K/bal.key" "tcp://127.0.0.1:$ZCMD_PORT" \
    "5:$id5:migrate:$vm:hv02" "5:$id5:migrate:$vm:hv02" \
    "4:$id4:migrate:$vm:hv03" "4:$id4b:cancel:$id5" > "$WORK/zcmd.out" 2>&1
sed 's/^/# /' "$WORK/zcmd.out"
st() { grep "^status $1 " "$WORK/zcmd.out"; }
check "epoch 5: the migration runs and is done" sh -c "grep -q '^status $id5 done *\$' '$WORK/zcmd.out'"
check "the same id again: answered, its reason says it is not run again" \
    sh -c "grep -q '^status $id5 done repeated command id $id5: not run again' '$WORK/zcmd.out'"
check "and the migration ran exactly once" [ "$(wc -l < "$WORK/moves.log")" = 1 ]
check "an older epoch's migration is refused, with the reason" \
    sh -c "grep -q '^status $id4 refused from balancer epoch 4; epoch 5 has been obeyed since' '$WORK/zcmd.out'"
check "an older epoch cannot countermand (its cancel is refused)" \
    sh -c "grep -q '^status $id4b refused from balancer epoch 4' '$WORK/zcmd.out'"
check "nothing more ran" [ "$(wc -l < "$WORK/moves.log")" = 1 ]
kill "$C3_PID"
counted() { logged "commands: 4 received, 1 repeated, 2 refused (2 from an older epoch)" "$WORK/c3.log"; }
check "the collector counts them (4 received, 1 repeated, 2 from an older epoch)" wait_for 5 counted

# --- the same with real balancers: B, started by mistake on an old state
# directory (epoch 1), after A (epoch 5) has commanded the simulator -----
PA=$((API_PORT + 7)); PR=$((API_PORT + 8))
apiX="http://127.0.0.1:$PA"
mkdir -p "$WORK/stA"
echo 4 > "$WORK/stA/epoch"
run_bal() {	# $1 state dir: a plain loopback balancer; sets BX_PID
	"$BIN/ballast-balancerd" --state-dir "$1" --api "127.0.0.1:$PA" \
	    --reports "tcp://127.0.0.1:$PR" >>"$1.log" 2>&1 &
	BX_PID=$!
	PIDS="$PIDS $BX_PID"
}
ctlx() { d=$1; shift; "$BIN/ballastctl" --api "$apiX" --token "$(cat "$d/api.token")" "$@"; }
two_hosts() { [ "$(curl -fsS "$apiX/api/v1/hosts" 2>/dev/null | jq length)" = 2 ]; }
host_of() { curl -fsS "$apiX/api/v1/vms" | jq -r --arg v "$1" '.[] | select(.name == $v) | .host'; }
run_bal "$WORK/stA"
"$BIN/ballast-sim" --connect "tcp://127.0.0.1:$PR" --hosts 2 --vms 4 --step 1 \
    >>"$WORK/simx.log" 2>&1 &
PIDS="$PIDS $!"
wait_for 15 two_hosts || notok "balancer A hears both simulated hosts"
vmx=$(curl -fsS "$apiX/api/v1/vms" | jq -r '[.[] | select(.host == "hv01")][0].name')
ctlx "$WORK/stA" migrate "$vmx" hv02 --wait >"$WORK/migA.out" 2>&1
check "balancer A (epoch 5) moves $vmx to hv02" [ "$(host_of "$vmx")" = hv02 ]
kill "$BX_PID"
sleep 1
run_bal "$WORK/stB"
wait_for 15 two_hosts || notok "balancer B hears both simulated hosts"
check "balancer B starts at epoch 1" grep -q "epoch 1;" "$WORK/stB.log"
ctlx "$WORK/stB" migrate "$vmx" hv01 --wait >"$WORK/migB.out" 2>&1
rc=$?
errB=$(curl -fsS "$apiX/api/v1/migrations" | jq -r '.[0].error')
note "balancer B: $errB"
check "balancer B cannot countermand: its migration fails (exit 1)" [ "$rc" = 1 ]
check "with the simulator's reason: an older epoch" \
    sh -c "echo '$errB' | grep -q 'from balancer epoch 1; epoch 5 has been obeyed since'"
check "and $vmx stays on hv02" [ "$(host_of "$vmx")" = hv02 ]
kill "$BX_PID"

# --- plain TCP off loopback ---------------------------------------------
P3=$((API_PORT + 5)); P4=$((API_PORT + 6))
"$BIN/ballast-balancerd" --state-dir "$WORK/state3" --api "127.0.0.1:$P3" \
    --reports "tcp://0.0.0.0:$P4" >"$WORK/plain.out" 2>&1
rc=$?
note "$(cat "$WORK/plain.out")"
check "plain TCP on 0.0.0.0 without insecure: the balancer refuses to start (exit 1)" [ "$rc" = 1 ]
check "with a clear message naming the fix" logged 'configure CURVE keys.*or say "insecure"' "$WORK/plain.out"
echo insecure > "$WORK/insecure.conf"
"$BIN/ballast-balancerd" -f "$WORK/insecure.conf" --state-dir "$WORK/state3" \
    --api "127.0.0.1:$P3" --reports "tcp://0.0.0.0:$P4" >"$WORK/insecure.log" 2>&1 &
B3_PID=$!
PIDS="$PIDS $B3_PID"
api3_up() { curl -fsS "http://127.0.0.1:$P3/api/v1/status" >/dev/null 2>&1; }
check "with insecure it starts" wait_for 10 api3_up
check "and warns" logged "insecure: reports and commands on tcp://0.0.0.0:$P4 in plain TCP" "$WORK/insecure.log"
kill "$B3_PID"
"$BIN/ballast-sim" --connect tcp://192.0.2.1:8471 --hosts 1 >"$WORK/sim3.out" 2>&1
rc=$?
check "the simulator refuses plain TCP off loopback too (exit 2)" \
    sh -c "[ $rc = 2 ] && grep -q 'or say \"insecure\"' '$WORK/sim3.out'"
printf 'connect "test:///default"\nbalancer "tcp://192.0.2.1:8471"\n' > "$WORK/c4.conf"
"$BIN/ballast-collectord" -f "$WORK/c4.conf" -n >"$WORK/c4.out" 2>&1
rc=$?
check "and so does the collector (exit 1)" \
    sh -c "[ $rc = 1 ] && grep -q 'or say \"insecure\"' '$WORK/c4.out'"
finish
