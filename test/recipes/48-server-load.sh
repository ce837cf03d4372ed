#!/usr/bin/env bash
# 48-server-load: pkixcmp's client against pkixcmp's server over HTTP, as
# a CA sees a busy day: 8 clients in parallel, each enrolling 25 times
# over one kept-alive connection, every enrollment succeeding with its own
# serial number; meanwhile a client that stalls half-way through its
# request, one that disconnects in the middle of a transaction (ir sent,
# certConf never), and a replayed request, none of which stops the others.
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
mac=(-config "" -ref 4711 -secret pass:test1234)
SRV_PID=
SRV_PORT=
trap '[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null; jobs -p | xargs -r kill 2>/dev/null; rm -rf "$TMPD"' EXIT

"$PKIXCMP" -config "" -port 0 -srv_bind 127.0.0.1 -srv_ref 4711 -srv_secret pass:test1234 \
  -srv_cert "$c/interm.crt" -srv_key "$c/interm.key" >"$TMPD/srv.out" 2>"$TMPD/srv.err" &
SRV_PID=$!
for _ in $(seq 1 100); do
  SRV_PORT=$(sed -n '1s/^ACCEPT .*:\([0-9][0-9]*\) PID=[0-9][0-9]*$/\1/p' "$TMPD/srv.out")
  [ -n "$SRV_PORT" ] && break
  sleep 0.1
done
[ -n "$SRV_PORT" ]; ok $? "our server started on port $SRV_PORT"
"$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMPD/k.pem" 2>/dev/null

# a client that sends half a request and then nothing
( exec 3<>"/dev/tcp/127.0.0.1/$SRV_PORT"
  printf 'POST /pkix/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/pkixcmp\r\nContent-Length: 500\r\n\r\n0123' >&3
  sleep 20 ) &
slow=$!

# a transaction left open: the ir is answered, the certConf never sent
run_ok "ir without certConf (-disable_confirm)" "$PKIXCMP" "${mac[@]}" -server "127.0.0.1:$SRV_PORT" \
  -cmd ir -newkey "$TMPD/k.pem" -subject /CN=left -certout "$TMPD/left.pem" -disable_confirm

# the same ir twice: the second one reuses a transactionID in use
"$PKIXCMP" "${mac[@]}" -cmd ir -newkey "$TMPD/k.pem" -subject /CN=replay -certout "$TMPD/x.pem" \
  -reqout_only "$TMPD/ir.der" 2>/dev/null
request POST /pkix/ application/pkixcmp "$TMPD/ir.der"
send
[ "$code" = 200 ]; ok $? "first copy of an ir answered (HTTP $code)"
"$PKIXCMP" -config "" -inspect "$TMPD/body" >"$TMPD/first" 2>&1
has "$TMPD/first" "type: ip" "first copy: ip"
send
"$PKIXCMP" -config "" -inspect "$TMPD/body" >"$TMPD/second" 2>&1
has "$TMPD/second" "type: error" "replayed copy: an error message"
has "$TMPD/second" "transactionIdInUse|badSenderNonce|badRequest" "replayed copy: the failInfo says why"

# 8 clients x 25 enrollments, each over one kept-alive connection
for i in $(seq 1 8); do
  "$PKIXCMP" "${mac[@]}" -server "127.0.0.1:$SRV_PORT" -cmd ir -newkey "$TMPD/k.pem" \
    -subject "/CN=load $i" -certout "$TMPD/c$i.pem" -implicit_confirm -repeat 25 \
    >"$TMPD/c$i.out" 2>"$TMPD/c$i.err" &
  pids="${pids:-} $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
[ $fails -eq 0 ]; ok $? "8 parallel clients x 25 enrollments: all succeeded ($fails clients failed)"
grep -h "received 1 newly enrolled" "$TMPD"/c*.err | wc -l >"$TMPD/n"
has "$TMPD/n" "^200$" "200 certificates received"
grep -o "issued serial [0-9A-F]*" "$TMPD/srv.err" | sort -u | wc -l >"$TMPD/n"
has "$TMPD/n" "^20[23]$" "every issued certificate has its own serial number"
kill -0 "$slow" 2>/dev/null; ok $? "the stalled client was still connected meanwhile"
kill "$slow" 2>/dev/null
kill -0 "$SRV_PID" 2>/dev/null; ok $? "the server is still running"
kill -TERM "$SRV_PID"; wait "$SRV_PID"; s=$?; SRV_PID=
[ $s -eq 0 ]; ok $? "SIGTERM: the server exits 0 (exit status $s)"
done_testing
