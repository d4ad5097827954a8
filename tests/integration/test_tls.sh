#!/bin/sh
# SPDX-License-Identifier: ISC
# The API and dashboard over TLS: `tls cert "FILE" key "FILE"` in the
# configuration, with a self-signed certificate this test makes with
# openssl; curl and ballastctl trust it through --cacert; plain HTTP
# and untrusted clients get nothing; a key that does not match the
# certificate stops the start with a clear message.
. "$(dirname "$0")/lib.sh"

T="$WORK/tls"
mkdir -p "$T"
mkcert() {	# mkcert NAME: NAME.crt and NAME.key, for 127.0.0.1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	    -addext "subjectAltName=IP:127.0.0.1" -keyout "$T/$1.key" \
	    -out "$T/$1.crt" >"$T/openssl.log" 2>&1
}
check "openssl makes a self-signed certificate" mkcert api
mkcert other

conf() {	# conf CERT KEY
	cat <<EOF
listen api 127.0.0.1 port $API_PORT
listen reports "$REPORTS"
state-dir "$WORK/state"
tls cert "$1" key "$2"
EOF
}
conf "$T/api.crt" "$T/api.key" > "$T/good.conf"
conf "$T/api.crt" "$T/other.key" > "$T/mismatch.conf"
conf "$T/missing.crt" "$T/api.key" > "$T/missing.conf"

check "the configuration with tls checks (-n)" \
    sh -c "'$BIN/ballast-balancerd' -n -f '$T/good.conf' | grep -q 'configuration OK'"
check "and -nv prints the tls statement back" \
    sh -c "'$BIN/ballast-balancerd' -nv -f '$T/good.conf' | grep -q '^tls cert \"$T/api.crt\" key \"$T/api.key\"'"

# --- a key that is not the certificate's, a missing file ----------------
"$BIN/ballast-balancerd" -f "$T/mismatch.conf" >"$WORK/mismatch.log" 2>&1 &
p=$!; PIDS="$PIDS $p"
gone() { ! kill -0 "$p" 2>/dev/null; }
check "a key that does not match: the balancer does not start" wait_for 15 gone
check "and says why" grep -q 'certificate and key do not load or do not match' "$WORK/mismatch.log"
"$BIN/ballast-balancerd" -f "$T/missing.conf" >"$WORK/missing.log" 2>&1 &
p=$!; PIDS="$PIDS $p"
check "a missing certificate: the balancer does not start" wait_for 15 gone
check "and names the file" grep -q "missing.crt: No such file" "$WORK/missing.log"

# --- the real thing ---------------------------------------------------
HTTPS="https://127.0.0.1:$API_PORT"
"$BIN/ballast-balancerd" -f "$T/good.conf" >>"$WORK/balancer.log" 2>&1 &
BAL_PID=$!; PIDS="$PIDS $BAL_PID"
tls_up() { curl -fsS --cacert "$T/api.crt" "$HTTPS/api/v1/status" >/dev/null 2>&1; }
check "the API answers over HTTPS to a client that trusts the certificate" wait_for 15 tls_up
start_sim --hosts 3 --vms 6 --step 1 --speed 1
hosts3() { [ "$(curl -fsS --cacert "$T/api.crt" "$HTTPS/api/v1/hosts" | jq length)" = 3 ]; }
check "reports arrive and the hosts are listed over HTTPS" wait_for 20 hosts3
check "the balancer prints the https dashboard URL" \
    grep -q "dashboard: https://127.0.0.1:$API_PORT/" "$WORK/balancer.log"
curl -fsS --cacert "$T/api.crt" -D "$T/index.h" -o "$T/index.html" "$HTTPS/"
check "the dashboard is served over HTTPS with its CSP" \
    grep -qi "^Content-Security-Policy: default-src 'self'" "$T/index.h"
curl -sS -o /dev/null "$HTTPS/api/v1/status" 2>"$T/untrusted.err"
rc=$?
check "a client that does not trust the certificate refuses it (curl exit $rc)" [ "$rc" = 60 ]
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$API_PORT/api/v1/status")
check "plain HTTP on the TLS port gets no answer (HTTP $code)" [ "$code" != 200 ]
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/api.crt" -X POST "$HTTPS/api/v1/maintenance/hv02/enter")
check "an action without the token is refused over HTTPS too ($code)" [ "$code" = 401 ]
check "ballastctl reads over HTTPS with --cacert" \
    sh -c "'$BIN/ballastctl' --api '$HTTPS' --cacert '$T/api.crt' hosts | grep -q hv03"
check "and with BALLAST_CACERT" \
    sh -c "BALLAST_CACERT='$T/api.crt' '$BIN/ballastctl' --api '$HTTPS' status >/dev/null"
check "ballastctl without it refuses the untrusted certificate" \
    sh -c "! '$BIN/ballastctl' --api '$HTTPS' status >/dev/null 2>&1"
check "ballastctl acts over HTTPS with the same token" \
    sh -c "'$BIN/ballastctl' --api '$HTTPS' --cacert '$T/api.crt' --token-file '$WORK/state/api.token' maintenance enter hv02 >/dev/null"
in_maint() { curl -fsS --cacert "$T/api.crt" "$HTTPS/api/v1/maintenance" | jq -e 'index("hv02") != null' >/dev/null; }
check "and the action took effect" in_maint
finish
