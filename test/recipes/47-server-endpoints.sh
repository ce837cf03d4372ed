#!/usr/bin/env bash
# 47-server-endpoints: the pkixcmp extensions of `pkixcmp -port`, with the
# system `openssl cmp` (and our own client) as client:
#  - -srv_endpoints: two endpoints from configuration sections, each with its
#    own secret and issuing CA (interm.crt, and a CA B made here), next to the
#    main options' endpoint (root.crt issues); which values an endpoint takes
#    (its section, then [default], never the command line); a wrong secret
#    for the path, unknown paths (HTTP 404), configuration errors;
#  - -srv_bind: the ACCEPT line shows the address, which alone is served;
#  - -srv_tls_*: HTTPS, and client certificates required by -srv_tls_trusted.
# Every enrollment checks the saved certificate's issuer; every refusal why.
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
interm="CN=pkixcmp test intermediate CA,O=pkixcmp test,C=DE"
root="CN=pkixcmp test root CA,O=pkixcmp test,C=DE"
cab="CN=pkixcmp test CA B,O=pkixcmp test,C=DE"
main_srv=(-srv_ref main -srv_secret pass:mainsecret -srv_cert "$c/root.crt" -srv_key "$c/root.key")
macA=(-ref refA -secret pass:secretA)
macB=(-ref refB -secret pass:secretB)
macM=(-ref main -secret pass:mainsecret)

SRV_PID=
SRV_PORT=
trap 'stop_srv >/dev/null 2>&1; rm -rf "$TMPD"' EXIT

# start_srv ARGS...: pkixcmp -port 0 ARGS (SRV_PORT, SRV_PID; ACCEPT line
# in $TMPD/srv.out, log in $TMPD/srv.err)
start_srv() {
  local i
  rm -f "$TMPD/srv.out" "$TMPD/srv.err" # no stale ACCEPT line from the last server
  "$PKIXCMP" -port 0 "$@" >"$TMPD/srv.out" 2>"$TMPD/srv.err" &
  SRV_PID=$!
  SRV_PORT=
  for i in $(seq 1 150); do
    SRV_PORT=$(sed -n '1s/^ACCEPT .*:\([0-9][0-9]*\) PID=[0-9][0-9]*$/\1/p' "$TMPD/srv.out")
    [ -n "$SRV_PORT" ] && return 0
    kill -0 "$SRV_PID" 2>/dev/null || break
    sleep 0.1
  done
  sed 's/^/# server: /' "$TMPD/srv.err" | tail -5
  return 1
}
# stop_srv: SIGTERM; returns the server's exit status
stop_srv() {
  local s=0
  if [ -n "$SRV_PID" ]; then
    kill "$SRV_PID" 2>/dev/null
    wait "$SRV_PID"; s=$?
  fi
  SRV_PID=
  return $s
}
# srv_fails DESCRIPTION REGEX ARGS...: pkixcmp -port 0 ARGS exits 1 at
# once, its stderr matching REGEX
srv_fails() {
  local d=$1 re=$2; shift 2
  timeout 30 "$PKIXCMP" -port 0 "$@" >"$TMPD/out" 2>&1; local s=$?
  [ $s -eq 1 ] && grep -Eq -- "$re" "$TMPD/out"; local r=$?
  ok $r "$d"
  [ $r -eq 0 ] || { echo "# exit status $s, expected 1 and /$re/"; tail -5 "$TMPD/out" | sed 's/^/# /'; }
}

# ossl URL ARGS...: openssl cmp to URL (http://127.0.0.1:port/ prefix
# added unless it has a scheme), output in $TMPD/out
ossl() {
  local url=$1; shift
  case $url in *://*) ;; *) url="127.0.0.1:$SRV_PORT$url" ;; esac
  "$OPENSSL" cmp -config "" -batch -server "$url" "$@" >"$TMPD/out" 2>&1
}
show() { sed 's/^/# /' "$TMPD/out" | grep -v '^#  ' | tail -6; }
# ossl_ok DESCRIPTION URL ARGS...: exit 0
ossl_ok() {
  local d=$1; shift
  ossl "$@"; local s=$?
  ok $s "$d"
  [ $s -eq 0 ] || show
}
# ossl_fail DESCRIPTION REGEX URL ARGS...: exit 1, the output matching REGEX
ossl_fail() {
  local d=$1 re=$2; shift 2
  ossl "$@"; local s=$?
  [ $s -eq 1 ] && grep -Eq -- "$re" "$TMPD/out"; local r=$?
  ok $r "$d"
  [ $r -eq 0 ] || { echo "# exit status $s, expected 1 and /$re/"; show; }
}
# issuer_is DESCRIPTION CERTFILE ISSUER: CERTFILE was saved, issued by ISSUER
issuer_is() {
  local got
  got=$("$OPENSSL" x509 -in "$2" -noout -issuer -nameopt RFC2253 2>&1)
  [ "$got" = "issuer=$3" ]; local r=$?
  ok $r "$1"
  [ $r -eq 0 ] || echo "# got: $got"
}
# enroll_ok DESCRIPTION CERTFILE ISSUER URL ARGS...: ir with a new key; exit
# 0 and CERTFILE issued by ISSUER
enroll_ok() {
  local d=$1 out=$2 iss=$3 url=$4; shift 4
  rm -f "$out"
  ossl "$url" -cmd ir -newkey "$TMPD/k.pem" -subject "/CN=endpoints test" -certout "$out" "$@"
  local s=$?
  ok $s "$d: exit status 0"
  [ $s -eq 0 ] || show
  issuer_is "$d: issued by $iss" "$out" "$iss"
}
count() { grep -c -- "$1" "$TMPD/out"; }

"$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TMPD/k.pem" 2>/dev/null
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -keyout "$TMPD/cab.key" -out "$TMPD/cab.crt" -subj "/C=DE/O=pkixcmp test/CN=pkixcmp test CA B" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  >/dev/null 2>&1
ok $? "a key, and CA B made with openssl req -x509"

# [default] gives both endpoints one poll; profileA resets it; the command
# line's -grant_implicitconf does not reach the endpoints, profileB grants
# it in its section
cat >"$TMPD/ep.cnf" <<EOF
[default]
poll_count = 1
check_after = 0

[profileA]
srv_path = /cmp/profileA
srv_ref = refA
srv_secret = pass:secretA
srv_cert = $c/interm.crt
srv_key = $c/interm.key
srv_trusted = $c/root.crt
rsp_capubs = $c/root.crt
poll_count =
cmd = ir

[profileB]
srv_path = /.well-known/cmp/p/profileB
srv_ref = refB
srv_secret = pass:secretB
srv_cert = $TMPD/cab.crt
srv_key = $TMPD/cab.key
rsp_capubs = $TMPD/cab.crt
grant_implicitconf = 1

[pkixpath]
srv_path = pkix/
srv_ref = refP
srv_secret = pass:secretP
srv_cert = $TMPD/cab.crt
srv_key = $TMPD/cab.key

[nopath]
srv_ref = x
srv_secret = pass:x

[samepath]
srv_path = //cmp/profileA//
srv_ref = x
srv_secret = pass:x

[dotdot]
srv_path = /cmp/../profileA
srv_ref = x
srv_secret = pass:x

[space]
srv_path = /cmp/profile A
srv_ref = x
srv_secret = pass:x

[badnum]
srv_path = /bad
srv_ref = x
srv_secret = pass:x
poll_count = many

[nocreds]
srv_path = /nocreds
EOF

# ---- configuration errors: exit 1 at startup, saying why
srv_fails "-srv_endpoints names a missing section" "no \[nosuch\] section" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints "profileA nosuch"
srv_fails "-srv_endpoints without a configuration file" "needs a configuration file" \
  -config "" "${main_srv[@]}" -srv_endpoints profileA
srv_fails "a section without srv_path" "\[nopath\] has no srv_path" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints nopath
srv_fails "two sections with the same path (slashes do not count)" \
  "\[samepath\] is already that of \[profileA\]" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints profileA,samepath
srv_fails "a section at pkix/, which the main options serve" "served by the main options" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints pkixpath
srv_fails "a '..' segment in srv_path" "'\.\.' segment" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints dotdot
srv_fails "a space in srv_path" "character ' ' not allowed" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints space
srv_fails "a bad number in a section" "Can't parse \"many\".*poll_count" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints badnum
grep -q "in endpoint section \[badnum\]" "$TMPD/out"; ok $? "the bad number's section is named"
srv_fails "a section without credentials (the main ones do not pass)" "must give -srv_ref" \
  -config "$TMPD/ep.cnf" "${main_srv[@]}" -srv_endpoints nocreds
grep -q "endpoint section \[nocreds\]" "$TMPD/out"; ok $? "the section without credentials is named"

# ---- server 1: the main options (root issues) and profileA, profileB
start_srv -config "$TMPD/ep.cnf" "${main_srv[@]}" -grant_implicitconf \
  -srv_endpoints "profileA, profileB"
ok $? "server 1 started with -srv_endpoints 'profileA, profileB'"
has "$TMPD/srv.err" "endpoint section \[profileA\]: 'cmd' is not a mock server option" \
  "a client option in an endpoint section is ignored with a warning"

enroll_ok "ir at /cmp/profileA with secret A" "$TMPD/a.pem" "$interm" /cmp/profileA "${macA[@]}" \
  -implicit_confirm -cacertsout "$TMPD/capubsA.pem"
grep -q "sending CERTCONF" "$TMPD/out"
ok $? "profileA: implicit confirmation not granted (-grant_implicitconf is the main endpoint's)"
[ "$(count "sending POLLREQ")" -eq 0 ]; ok $? "profileA: no polling (its empty poll_count resets [default])"
enroll_ok "ir at /.well-known/cmp/p/profileB with secret B" "$TMPD/b.pem" "$cab" \
  /.well-known/cmp/p/profileB "${macB[@]}" -implicit_confirm -cacertsout "$TMPD/capubsB.pem"
! grep -q "sending CERTCONF" "$TMPD/out"; ok $? "profileB: implicit confirmation granted (its section)"
[ "$(count "sending POLLREQ")" -eq 1 ]; ok $? "profileB: one pollReq (poll_count of [default])"
enroll_ok "ir at /pkix/ with the main secret" "$TMPD/m.pem" "$root" /pkix/ "${macM[@]}" -implicit_confirm
! grep -q "sending CERTCONF" "$TMPD/out"; ok $? "main endpoint: implicit confirmation granted"
enroll_ok "ir at /.well-known/cmp with the main secret" "$TMPD/m2.pem" "$root" /.well-known/cmp \
  "${macM[@]}"
enroll_ok "ir at /cmp/profileA/ (trailing slash) with secret A" "$TMPD/a2.pem" "$interm" \
  /cmp/profileA/ "${macA[@]}"
"$OPENSSL" verify -CAfile "$c/root.crt" -untrusted "$c/interm.crt" "$TMPD/a.pem" >/dev/null 2>&1
ok $? "profileA's certificate validates to the root"
"$OPENSSL" verify -CAfile "$TMPD/cab.crt" "$TMPD/b.pem" >/dev/null 2>&1
ok $? "profileB's certificate validates to CA B"

[ "$("$OPENSSL" x509 -in "$TMPD/capubsA.pem" -noout -subject -nameopt RFC2253)" = "subject=$root" ]
ok $? "profileA's caPubs: its rsp_capubs, the root"
[ "$("$OPENSSL" x509 -in "$TMPD/capubsB.pem" -noout -subject -nameopt RFC2253)" = "subject=$cab" ]
ok $? "profileB's caPubs: its rsp_capubs, CA B"

ossl_fail "secret A at profileB fails" "wrong pbm value|received ERROR" \
  /.well-known/cmp/p/profileB -cmd ir "${macA[@]}" -newkey "$TMPD/k.pem" -subject /CN=x \
  -certout "$TMPD/x.pem"
has "$TMPD/srv.err" "mock server \[profileB\]: refusing ir: MAC does not match" \
  "profileB refused it for its MAC"
ossl_fail "secret B at profileA fails" "wrong pbm value|received ERROR" /cmp/profileA \
  -cmd ir "${macB[@]}" -newkey "$TMPD/k.pem" -subject /CN=x -certout "$TMPD/x.pem"
has "$TMPD/srv.err" "mock server \[profileA\]: refusing ir: MAC does not match" \
  "profileA refused it for its MAC"
ossl_fail "the main secret at profileA fails (it does not pass to endpoints)" \
  "wrong pbm value|received ERROR" /cmp/profileA -cmd ir "${macM[@]}" -newkey "$TMPD/k.pem" \
  -subject /CN=x -certout "$TMPD/x.pem"
ossl_fail "secret A at /pkix/ fails" "wrong pbm value|received ERROR" /pkix/ \
  -cmd ir "${macA[@]}" -newkey "$TMPD/k.pem" -subject /CN=x -certout "$TMPD/x.pem"
ossl_fail "unknown path /cmp/profileC: HTTP 404" "code=404" /cmp/profileC -cmd genm "${macA[@]}"
ossl_fail "unknown label /.well-known/cmp/p/other: HTTP 404" "code=404" \
  /.well-known/cmp/p/other -cmd genm "${macM[@]}"
has "$TMPD/srv.err" "no endpoint serves the path '/.well-known/cmp/p/other'" "the 404 is logged"
has "$TMPD/srv.err" "endpoint \[profileA\] answered the request to '/cmp/profileA'" \
  "the log names profileA as the endpoint that answered"
has "$TMPD/srv.err" "endpoint \[profileB\] answered the request to '/.well-known/cmp/p/profileB'" \
  "the log names profileB"
has "$TMPD/srv.err" "the main endpoint answered the request to '/pkix/'" "the log names the main endpoint"
stop_srv; ok $? "server 1: SIGTERM stops it, exit status 0"

# ---- server 2: only endpoints (no main credentials), pkix/ from a section, -srv_bind 127.0.0.1
start_srv -config "$TMPD/ep.cnf" -srv_bind 127.0.0.1 -srv_endpoints pkixpath,profileA
ok $? "server 2 started: -srv_bind 127.0.0.1, endpoints only"
grep -Eq "^ACCEPT 127\.0\.0\.1:$SRV_PORT PID=$SRV_PID\$" "$TMPD/srv.out"
ok $? "-srv_bind 127.0.0.1: ACCEPT 127.0.0.1:<port> PID=<pid>"
has "$TMPD/srv.err" "only the endpoints of -srv_endpoints are served" "it says the main options serve nothing"
enroll_ok "ir at /pkix/ from section pkixpath" "$TMPD/p.pem" "$cab" /pkix/ \
  -ref refP -secret pass:secretP
enroll_ok "ir at /cmp/profileA" "$TMPD/a3.pem" "$interm" /cmp/profileA "${macA[@]}"
ossl_fail "/.well-known/cmp is not served without main credentials: 404" "code=404" \
  /.well-known/cmp -cmd genm -ref refP -secret pass:secretP
if grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
  ossl_fail "-srv_bind 127.0.0.1: not served on [::1]" "Connection refused" \
    "http://[::1]:$SRV_PORT/cmp/profileA" -cmd genm "${macA[@]}"
else
  ok 0 "# SKIP no IPv6 loopback"
fi
stop_srv; ok $? "server 2 stopped"

if grep -q '^0\{31\}1 ' /proc/net/if_inet6 2>/dev/null; then
  start_srv -config "" "${main_srv[@]}" -srv_bind "[::1]"
  ok $? "server 3 started: -srv_bind [::1] (brackets as in URLs)"
  grep -Eq "^ACCEPT \[::1\]:$SRV_PORT PID=$SRV_PID\$" "$TMPD/srv.out"; ok $? "ACCEPT [::1]:<port>"
  enroll_ok "ir at [::1]" "$TMPD/v6.pem" "$root" "http://[::1]:$SRV_PORT/pkix/" "${macM[@]}"
  stop_srv; ok $? "server 3 stopped"
fi
srv_fails "-srv_bind an address that is not ours fails" "cannot listen on 192\.0\.2\.1" \
  -config "" "${main_srv[@]}" -srv_bind 192.0.2.1

# ---- HTTPS
cat "$c/tls_server.crt" "$c/interm.crt" >"$TMPD/tls_chain.pem"
cat "$c/client_p256.crt" "$c/interm.crt" >"$TMPD/client_chain.pem"
tls=(-srv_tls_cert "$TMPD/tls_chain.pem" -srv_tls_key "$c/tls_server.key")
srv_fails "-tls_used stays refused with -port, as by openssl cmp" \
  "-tls_used option not supported with -port" -config "" "${main_srv[@]}" -tls_used
srv_fails "-srv_tls_cert without -srv_tls_key" "both -srv_tls_cert and -srv_tls_key" \
  -config "" "${main_srv[@]}" -srv_tls_cert "$TMPD/tls_chain.pem"
srv_fails "-srv_tls_trusted without -srv_tls_cert" "need -srv_tls_cert" \
  -config "" "${main_srv[@]}" -srv_tls_trusted "$c/root.crt"
srv_fails "-srv_tls_key not the key of -srv_tls_cert" "does not match|cannot use" \
  -config "" "${main_srv[@]}" -srv_tls_cert "$TMPD/tls_chain.pem" -srv_tls_key "$c/client_p256.key"

start_srv -config "$TMPD/ep.cnf" "${main_srv[@]}" "${tls[@]}" -srv_endpoints profileA
ok $? "server 4 started: HTTPS with tls_server.crt, endpoint profileA"
has "$TMPD/srv.err" "serving HTTPS" "it says it serves HTTPS"
enroll_ok "openssl cmp -tls_used -tls_trusted root.crt: ir" "$TMPD/t1.pem" "$root" /pkix/ \
  "${macM[@]}" -tls_used -tls_trusted "$c/root.crt"
enroll_ok "openssl cmp https:// URL to /cmp/profileA" "$TMPD/t2.pem" "$interm" \
  "https://127.0.0.1:$SRV_PORT/cmp/profileA" "${macA[@]}" -tls_used -tls_trusted "$c/root.crt"
ossl_fail "openssl cmp trusting another root: certificate verify failed" "certificate verify failed" \
  /pkix/ -cmd genm "${macM[@]}" -tls_used -tls_trusted "$c/untrusted_root.crt"
ossl_fail "openssl cmp over plain HTTP to the HTTPS port fails" "error" /pkix/ -cmd genm "${macM[@]}"
rm -f "$TMPD/t3.pem"
"$PKIXCMP" -config "" -server "127.0.0.1:$SRV_PORT/cmp/profileA" -tls_used -tls_trusted "$c/root.crt" \
  -cmd ir "${macA[@]}" -newkey "$TMPD/k.pem" -subject "/CN=endpoints test" -certout "$TMPD/t3.pem" \
  >"$TMPD/out" 2>&1
ok $? "pkixcmp -tls_used -tls_trusted root.crt: ir at /cmp/profileA"
issuer_is "pkixcmp over HTTPS: issued by $interm" "$TMPD/t3.pem" "$interm"
stop_srv; ok $? "server 4 stopped"

start_srv -config "" "${main_srv[@]}" "${tls[@]}" -srv_tls_trusted "$c/root.crt"
ok $? "server 5 started: HTTPS, client certificates required (-srv_tls_trusted root.crt)"
ossl_fail "openssl cmp without a client certificate is refused" "error sending|error receiving" \
  /pkix/ -cmd genm "${macM[@]}" -tls_used -tls_trusted "$c/root.crt"
ossl_fail "openssl cmp with a certificate of another root is refused" "error sending|error receiving" \
  /pkix/ -cmd genm "${macM[@]}" -tls_used -tls_trusted "$c/root.crt" \
  -tls_cert "$c/bad_untrusted.crt" -tls_key "$c/bad_untrusted.key"
enroll_ok "openssl cmp with client_p256 (and its chain)" "$TMPD/t4.pem" "$root" /pkix/ "${macM[@]}" \
  -tls_used -tls_trusted "$c/root.crt" -tls_cert "$TMPD/client_chain.pem" -tls_key "$c/client_p256.key"
"$PKIXCMP" -config "" -server "127.0.0.1:$SRV_PORT" -tls_used -tls_trusted "$c/root.crt" \
  -cmd genm "${macM[@]}" >"$TMPD/out" 2>&1; s=$?
[ $s -eq 1 ] && grep -q "certificate required" "$TMPD/out"
ok $? "pkixcmp without a client certificate is refused: TLS alert certificate required (exit $s)"
"$PKIXCMP" -config "" -server "127.0.0.1:$SRV_PORT" -tls_used -tls_trusted "$c/root.crt" \
  -tls_cert "$c/client_p256.crt" -tls_key "$c/client_p256.key" -tls_extra "$c/interm.crt" \
  -cmd genm "${macM[@]}" >"$TMPD/out" 2>&1
ok $? "pkixcmp with client_p256: genm answered"
stop_srv; ok $? "server 5 stopped"

done_testing
