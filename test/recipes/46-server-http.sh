#!/usr/bin/env bash
# 46-server-http: our mock server (`pkixcmp -port 0`) on the HTTP level,
# with raw requests written through bash's /dev/tcp (no curl needed):
# a DER request gets its CMP answer; garbage gets a CMP error message (200,
# application/pkixcmp); a wrong content type 415, GET 405, an empty body
# 400, an oversized one 413, an unknown path 404; openssl's paths and the
# RFC 9811 well-known ones are served; and the server goes on serving the
# openssl cmp client afterwards, 8 of them at once, and stops on SIGINT.
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
d="$top_srcdir/test/data"
mac=(-ref 4711 -secret pass:test1234)

SRV_PID=
SRV_PORT=
trap '[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null; rm -rf "$TMPD"' EXIT

"$PKIXCMP" -config "" -port 0 -srv_ref 4711 -srv_secret pass:test1234 \
  -srv_cert "$c/interm.crt" -srv_key "$c/interm.key" -max_msg_size 10000 \
  >"$TMPD/srv.out" 2>"$TMPD/srv.err" &
SRV_PID=$!
for i in $(seq 1 100); do
  SRV_PORT=$(sed -n '1s/^ACCEPT .*:\([0-9][0-9]*\) PID=[0-9][0-9]*$/\1/p' "$TMPD/srv.out")
  [ -n "$SRV_PORT" ] && break
  kill -0 "$SRV_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$SRV_PORT" ]; ok $? "server started on port $SRV_PORT"

# status_is DESCRIPTION CODE: the last response had status CODE
status_is() {
  [ "$code" = "$2" ]; local s=$?
  ok $s "$1 (HTTP $code)"
  [ $s -eq 0 ] || { echo "# expected HTTP $2; response:"; head -c 300 "$TMPD/rsp" | sed 's/^/#   /'; }
}
# cmp_body_is DESCRIPTION REGEX: the body is a PKIMessage whose print matches
cmp_body_is() {
  "$PKIXCMP" -config "" -inspect "$TMPD/body" >"$TMPD/inspect" 2>/dev/null
  has "$TMPD/inspect" "$2" "$1"
}

head -c 300 /dev/urandom >"$TMPD/garbage"
: >"$TMPD/empty"
head -c 20000 /dev/zero >"$TMPD/big"

request POST /pkix/ application/pkixcmp "$d/genm_mac.der"; send
status_is "a genm (openssl's, MAC) to /pkix/" 200
has "$TMPD/rsp" "^[Cc]ontent-[Tt]ype: application/pkixcmp" "answered as application/pkixcmp"
cmp_body_is "the answer is a genp" "^  type: genp$"

request POST /pkix/ application/pkixcmp "$TMPD/garbage"; send
status_is "garbage body" 200
has "$TMPD/rsp" "^[Cc]ontent-[Tt]ype: application/pkixcmp" "garbage: answered as application/pkixcmp"
cmp_body_is "garbage: a CMP error message" "^  type: error$"
cmp_body_is "garbage: failInfo badDataFormat" "^ +.*badDataFormat"

request POST /pkix/ text/plain "$TMPD/garbage"; send
status_is "wrong content type: 415" 415
request POST /pkix/ "" "$TMPD/garbage"; send
status_is "no content type: 415" 415
request GET /pkix/ "" "$TMPD/empty"; send
status_is "GET: 405" 405
has "$TMPD/rsp" "^Allow: POST" "405 says Allow: POST"
request POST /pkix/ application/pkixcmp "$TMPD/empty"; send
status_is "empty body: 400" 400
request POST /pkix/ application/pkixcmp "$TMPD/empty" 20000; send
status_is "Content-Length 20000 above -max_msg_size 10000: 413" 413
request POST /pkix/ application/pkixcmp "$TMPD/big"; send
status_is "a body of 20000 bytes: 413" 413

for p in / //pkix/ /pkix// /.well-known/cmp /.well-known/cmp/ /.well-known/cmp/p/profile1 \
         /.well-known/cmp/p/any-label/; do
  request POST "$p" application/pkixcmp "$TMPD/garbage"; send
  status_is "path '$p' is served" 200
done
for p in /pkix /foo /pkix/x /.well-known/cmpx /.well-known/cmp/p/ /.well-known/cmp/p/a/b \
         /.well-known/cmp/x /.well-known/est; do
  request POST "$p" application/pkixcmp "$TMPD/garbage"; send
  status_is "path '$p': 404" 404
done

kill -0 "$SRV_PID" 2>/dev/null; ok $? "the server is still running"
"$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMPD/k.pem" 2>/dev/null
"$OPENSSL" cmp -config "" -batch -server "127.0.0.1:$SRV_PORT/.well-known/cmp" -cmd ir "${mac[@]}" \
  -newkey "$TMPD/k.pem" -subject "/CN=after bad input" -certout "$TMPD/cert.pem" >"$TMPD/out" 2>&1
ok $? "afterwards, openssl cmp enrolls through /.well-known/cmp"
"$OPENSSL" cmp -config "" -batch -server "127.0.0.1:$SRV_PORT" -path pkix/ -cmd genm "${mac[@]}" \
  >"$TMPD/out" 2>&1
ok $? "and sends a genm to pkix/"

# 8 openssl clients at once (the listener serves from several threads)
pids=()
for i in 1 2 3 4 5 6 7 8; do
  "$OPENSSL" cmp -config "" -batch -server "127.0.0.1:$SRV_PORT" -cmd ir "${mac[@]}" \
    -newkey "$TMPD/k.pem" -subject "/CN=parallel $i" -certout "$TMPD/par$i.pem" \
    >"$TMPD/par$i.out" 2>&1 &
  pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
[ $fails -eq 0 ]; ok $? "8 parallel openssl cmp ir: all enrolled ($fails failed)"
serials=$(for i in 1 2 3 4 5 6 7 8; do "$OPENSSL" x509 -in "$TMPD/par$i.pem" -noout -serial; done \
          | sort -u | wc -l)
[ "$serials" -eq 8 ]; ok $? "8 certificates, 8 serial numbers"

kill -INT "$SRV_PID"; wait "$SRV_PID"; s=$?; SRV_PID=
[ $s -eq 0 ]; ok $? "SIGINT: the server exits 0 (exit status $s)"
done_testing
