#!/bin/sh
# SPDX-License-Identifier: ISC
# The API's bounds (api-* in ballast-balancerd.conf(5)): slow clients
# holding connections open from one address do not slow a normal
# client down, are turned away beyond the per-address bound and closed
# by the idle timeout; the total bound turns away the rest; request
# heads and bodies over their bounds get 431 and 413; every refusal is
# counted in /metrics.
. "$(dirname "$0")/lib.sh"

IDLE=4
cat > "$WORK/balancerd.conf" <<CONF
api-connections 60
api-connections-per-ip 40
api-idle-timeout $IDLE seconds
api-max-body 8k
api-max-header 4k
api-max-header-fields 20
CONF
start_balancer -f "$WORK/balancerd.conf"
SLOW="$ROOT/tests/integration/slow_clients.py"
jqt() { jq -e "$@" >/dev/null; }
metric() {	# metric NAME [LABELS]: its value in /metrics
	get /metrics | NAME="$1${2:+{$2\}}" awk '$1 == ENVIRON["NAME"] { print $2 }'
}

# 50 slow clients from 127.0.0.2: 40 held, 10 turned away at once.
python3 "$SLOW" --port "$API_PORT" --src 127.0.0.2 -n 50 \
    --wait $((IDLE + 6)) > "$WORK/slow.json" &
SLOW_PID=$!
PIDS="$PIDS $SLOW_PID"
sleep 1
open=$(metric ballast_http_connections_open)
note "connections open: $open (40 slow ones and the one asking)"
check "40 slow connections are held open" test "$open" -ge 40 -a "$open" -le 41
worst=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	t=$(curl -fsS -o /dev/null -w '%{time_total}' --max-time 5 "$API/api/v1/status") || t=5
	worst=$(python3 -c "print(max($worst, $t))")
done
note "a normal client's slowest of 10 requests while they are held: $worst s"
check "the API answers a normal client within 0.5 s meanwhile" \
    python3 -c "import sys; sys.exit(0 if $worst < 0.5 else 1)"
check "the 10 over the per-address bound are counted" \
    [ "$(metric ballast_http_refused_total 'bound="per_ip"')" = 10 ]
wait "$SLOW_PID"
note "slow clients: $(cat "$WORK/slow.json")"
check "the 10 over the per-address bound were closed at once" \
    jqt '.refused == 10' "$WORK/slow.json"
check "the 40 held ones were closed by the idle timeout ($IDLE s, within 2 s)" \
    jqt --argjson t "$IDLE" '.open == 0 and (.closed | length) == 40 and
    (.closed | min) >= $t - 0.5 and (.closed | max) <= $t + 2' "$WORK/slow.json"
check "and counted as closed idle" [ "$(metric ballast_http_idle_closed_total)" = 40 ]
check "no connection is left open" [ "$(metric ballast_http_connections_open)" -le 1 ]

# A keep-alive connection silent after its answer is closed too.
python3 "$SLOW" --port "$API_PORT" --src 127.0.0.5 -n 1 --keepalive \
    --wait $((IDLE + 4)) > "$WORK/ka.json"
note "keep-alive client: $(cat "$WORK/ka.json")"
check "a keep-alive connection idle after its answer is closed after $IDLE s" \
    jqt --argjson t "$IDLE" '.open == 0 and (.closed | length) == 1 and
    .closed[0] >= $t - 0.5 and .closed[0] <= $t + 2' "$WORK/ka.json"
check "and counted" [ "$(metric ballast_http_idle_closed_total)" = 41 ]

# The total bound: 35 + 35 from two addresses, 60 held in all.
python3 "$SLOW" --port "$API_PORT" --src 127.0.0.3 -n 35 --wait 3 > "$WORK/a.json" &
A=$!
python3 "$SLOW" --port "$API_PORT" --src 127.0.0.4 -n 35 --wait 3 > "$WORK/b.json" &
B=$!
PIDS="$PIDS $A $B"
wait "$A" "$B"
turned=$(( $(jq .refused "$WORK/a.json") + $(jq .refused "$WORK/b.json") ))
check "beyond 60 connections in all the rest are turned away ($turned of 70)" [ "$turned" = 10 ]
check "and counted" [ "$(metric ballast_http_refused_total 'bound="connections"')" = 10 ]
check "the API answers again once they are gone" api_up

# Request bounds.
head -c 9000 /dev/zero | tr '\0' x > "$WORK/big"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$WORK/big" "$API/api/v1/plan/1/approve")
check "a 9000-byte body over api-max-body 8k gets 413" [ "$code" = 413 ]
set --
i=0
while [ $i -lt 25 ]; do set -- "$@" -H "X-Pad-$i: $i"; i=$((i + 1)); done
code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$API/api/v1/status")
check "25 header fields over api-max-header-fields 20 get 431" [ "$code" = 431 ]
pad=$(head -c 5000 /dev/zero | tr '\0' y)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Pad: $pad" "$API/api/v1/status")
check "a 5000-byte header over api-max-header 4k gets 431" [ "$code" = 431 ]
check "both counted" [ "$(metric ballast_http_refused_total 'bound="header"')" = 2 ]
check "the body counted" [ "$(metric ballast_http_refused_total 'bound="body"')" = 1 ]
check "the balancer is still running" kill -0 "$BAL_PID"
finish
