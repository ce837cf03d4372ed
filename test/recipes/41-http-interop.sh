#!/usr/bin/env bash
# 41-http-interop: PKIXCMP_HTTP (through test/tools/http_post) against the
# system `openssl cmp -port`, OpenSSL's own HTTP server and mock CA: it must
# parse our requests (POST, Content-Type, Content-Length, no Expect, keep-
# alive as asked) and we its responses. Controls: a path it refuses (404),
# a port where it no longer listens.
. "$(dirname "$0")/lib.sh"
POST="$top_builddir/test/tools/http_post"
RP="$top_builddir/test/tools/reprotect"
d="$top_srcdir/test/data"
c="$top_srcdir/test/certs"
srv_pid=""
trap '[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null; rm -rf "$TMPD"' EXIT

# start_srv MAX_MSGS: openssl's mock server on an ephemeral port (sets port,
# srv_pid, srv_err); it prints "ACCEPT [::]:<port> PID=<pid>" when it
# listens, and is stopped after 60 s whatever happens.
nsrv=0
start_srv() {
  nsrv=$((nsrv + 1))
  local out="$TMPD/srv$nsrv.out"
  srv_err="$TMPD/srv$nsrv.err"
  port=""
  timeout 60 "$OPENSSL" cmp -config "" -port 0 -max_msgs "$1" -srv_ref 4711 \
    -srv_secret pass:test1234 -rsp_cert "$c/client_p256.crt" >"$out" 2>"$srv_err" &
  srv_pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$out" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  return 1
}

# stop_srv: the server must have ended by itself after its -max_msgs
stop_srv() {
  wait "$srv_pid"; local s=$?
  srv_pid=""
  return $s
}

# body_is FILE TYPE DESCRIPTION: FILE is a CMP message with that body type
body_is() {
  "$PKIXCMP" -inspect "$1" >"$TMPD/inspect" 2>&1
  has "$TMPD/inspect" "^  type: $2\$" "$3"
}

"$RP" "$d/ir_mac.der" "$TMPD/ir.der" -secret test1234 -ref 4711; ok $? "reprotect ir"
"$RP" "$d/genm_mac.der" "$TMPD/genm.der" -secret test1234 -ref 4711; ok $? "reprotect genm"

start_srv 5; ok $? "openssl cmp -port 0 listens"
run_ok "ir to http://127.0.0.1:<port>/pkix/" "$POST" "http://127.0.0.1:$port/pkix/" \
  "$TMPD/ir.der" "$TMPD/ip.der"
has "$TMPD/out" "^status 200$" "... HTTP 200"
body_is "$TMPD/ip.der" ip "... the answer is an ip"
has "$srv_err" "POST /pkix/ HTTP/1.1" "... the server saw our request line"
run_ok "two genm over one connection, keep-alive required (-keep_alive 2)" \
  "$POST" -n 2 -keep_alive 2 "127.0.0.1:$port" "$TMPD/genm.der" "$TMPD/genp.der"
body_is "$TMPD/genp.der" genp "... the answer is a genp"
run_ok "two genm with -keep_alive 0" \
  "$POST" -n 2 -keep_alive 0 "127.0.0.1:$port" "$TMPD/genm.der" "$TMPD/genp.der"
stop_srv; ok $? "the server handled 5 messages and ended"

start_srv 1; ok $? "openssl cmp -port 0 listens again"
run_fail "a path the server does not serve" "$POST" "http://127.0.0.1:$port/other" \
  "$TMPD/ir.der" "$TMPD/x.der"
has "$TMPD/err" "HTTP 404.* for http://127.0.0.1:$port/other" "... HTTP 404 with the URL"
stop_srv # it ends after its one message, with status 1 for the 404
run_fail "the server is gone" "$POST" "127.0.0.1:$port" "$TMPD/ir.der" "$TMPD/x.der"
has "$TMPD/err" "connection refused to 127.0.0.1:$port" "... connection refused"
done_testing
