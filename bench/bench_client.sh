#!/usr/bin/env bash
# bench/bench_client.sh - client speed: pkixcmp -cmd ir against openssl cmp
# -cmd ir, both talking to the same local mock server (openssl cmp -port 0)
# in one run; prints milliseconds per enrollment and the ratio.
#
#   bench/bench_client.sh [N]    (N one-shot runs each, default 20; also
#                                 -repeat N in one process)
# Run from a built tree: PKIXCMP=build/pkixcmp (default), OPENSSL=openssl.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20}
PKIXCMP=${PKIXCMP:-$top/build/pkixcmp}
OPENSSL=${OPENSSL:-openssl}
# In a build tree, build/pkixcmp is libtool's wrapper script, which costs a
# shell (about 10 ms) on every run: time the program itself, as installed.
real=$(dirname "$PKIXCMP")/.libs/$(basename "$PKIXCMP")
if [ -x "$real" ] && head -c 2 "$PKIXCMP" | grep -q '#!'; then
  export LD_LIBRARY_PATH="$(dirname "$PKIXCMP")/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  PKIXCMP=$real
fi
certs=$top/test/certs
tmp=$(mktemp -d)
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT

"$OPENSSL" cmp -port 0 -srv_ref 4711 -srv_secret pass:test1234 \
  -srv_cert "$certs/server.crt" -srv_key "$certs/server.key" \
  -rsp_cert "$certs/client_p256.crt" -rsp_capubs "$certs/root.crt" \
  -grant_implicitconf >"$tmp/srv.out" 2>"$tmp/srv.err" &
srv=$!
for _ in $(seq 50); do grep -q ACCEPT "$tmp/srv.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$tmp/srv.out")
[ -n "$port" ] || { echo "mock server did not start" >&2; cat "$tmp/srv.err" >&2; exit 1; }

args=(-cmd ir -server "127.0.0.1:$port" -path pkix/ -ref 4711 -secret pass:test1234
      -newkey "$certs/client_p256.key" -subject /CN=bench -certout "$tmp/out.pem"
      -srvcert "$certs/server.crt" -unprotected_errors)

# us_per_process REPEAT PROG...: average wall time of one process doing
# REPEAT enrollments, over n runs
us_per_process() {
  local rep=$1 start end i
  shift
  start=$(date +%s%N)
  for i in $(seq "$n"); do
    "$@" "${args[@]}" -repeat "$rep" >/dev/null 2>"$tmp/err" \
      || { echo "$* failed:" >&2; cat "$tmp/err" >&2; exit 1; }
  done
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 / n ))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

r=10
o1=$(us_per_process 1 "$OPENSSL" cmp); p1=$(us_per_process 1 "$PKIXCMP")
o2=$(us_per_process $r "$OPENSSL" cmp); p2=$(us_per_process $r "$PKIXCMP")
om=$(( (o2 - o1) / (r - 1) )); pm=$(( (p2 - p1) / (r - 1) ))
printf 'one-shot -cmd ir (us):               openssl %7d  pkixcmp %7d  pkixcmp/openssl %s\n' \
  "$o1" "$p1" "$(ratio "$p1" "$o1")"
printf 'each further enrollment, -repeat (us): openssl %7d  pkixcmp %7d  pkixcmp/openssl %s\n' \
  "$om" "$pm" "$(ratio "$pm" "$om")"

# openssl's mock server closes the connection after every transaction; our
# own (fixed mode, as openssl's) keeps it, which is what -repeat can use
"$PKIXCMP" -config "" -port 0 -srv_bind 127.0.0.1 -srv_ref 4711 -srv_secret pass:test1234 \
  -srv_cert "$certs/server.crt" -srv_key "$certs/server.key" -rsp_cert "$certs/client_p256.crt" \
  -grant_implicitconf -verbosity 3 >"$tmp/own.out" 2>"$tmp/own.err" &
own=$!
trap 'kill $srv $own 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do grep -q ACCEPT "$tmp/own.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$tmp/own.out")
args=(-cmd ir -server "127.0.0.1:$port" -ref 4711 -secret pass:test1234 -implicit_confirm
      -newkey "$certs/client_p256.key" -subject /CN=bench -certout "$tmp/out.pem" -verbosity 3)
r=100
q1=$(us_per_process 1 "$PKIXCMP"); q2=$(us_per_process $r "$PKIXCMP")
printf 'each further enrollment, -repeat against pkixcmp -port (one kept-alive connection) (us): %7d\n' \
  $(( (q2 - q1) / (r - 1) ))
