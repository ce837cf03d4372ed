#!/usr/bin/env bash
# 43-client-https-proxy: the pkixcmp client over HTTPS, through HTTP proxies
# and over reused connections, end to end with real peers on 127.0.0.1:
# the system `openssl cmp` mock server behind test/tools/tcp_relay as TLS
# terminator (optionally requiring a client certificate), plain TCP relay
# (counting connections), HTTP forward proxy (absolute form and CONNECT)
# and a sink that never answers. The system `openssl cmp` client runs the
# same paths as a control, so a failure points at pkixcmp, not the relay.
# Each case asserts the exit status and what proves the outcome: the saved
# certificate, the connections and TLS handshakes the relay counted and
# logged, the error named.
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
RELAY="$top_builddir/test/tools/tcp_relay"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$TMPD"' EXIT
# the proxy variables of the environment running the tests must not count
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY no_proxy NO_PROXY

# start_srv: openssl's mock server on an ephemeral port; sets port. It
# issues client_p256.crt and logs each request line on srv.err.
start_srv() {
  port=""
  rm -f "$TMPD/srv.out" # never a stale ACCEPT line
  timeout 300 "$OPENSSL" cmp -config "" -port 0 -srv_ref 4711 -srv_secret pass:test1234 \
    -srv_cert "$c/server.crt" -srv_key "$c/server.key" -srv_trusted "$c/root.crt" \
    -srv_untrusted "$c/interm.crt" -rsp_cert "$c/client_p256.crt" \
    -rsp_extracerts "$c/interm.crt" -rsp_capubs "$c/root.crt" \
    >"$TMPD/srv.out" 2>"$TMPD/srv.err" &
  pids="$pids $!"
  for _ in $(seq 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$TMPD/srv.out" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  return 1
}

# start_relay NAME ARGS...: tcp_relay with ARGS; its port goes into the
# variable NAME, its log into NAME.err, its connection count into NAME.count
start_relay() {
  local name=$1 p=""; shift
  timeout 300 "$RELAY" -count "$TMPD/$name.count" -idle 120 "$@" \
    >"$TMPD/$name.out" 2>"$TMPD/$name.err" &
  pids="$pids $!"
  for _ in $(seq 100); do
    p=$(sed -n 's/^PORT //p' "$TMPD/$name.out" 2>/dev/null)
    [ -n "$p" ] && break
    sleep 0.05
  done
  printf -v "$name" '%s' "$p"
  [ -n "$p" ]
}

# conns NAME: the connections relay NAME has accepted so far
conns() { cat "$TMPD/$1.count" 2>/dev/null || echo none; }

# grew NAME BEFORE N DESC: relay NAME accepted exactly N connections since
# its count was BEFORE
grew() {
  local now; now=$(conns "$1")
  [ "$now" = $(($2 + $3)) ]; ok $? "$4 ($3 connection(s) expected, $(($now - $2)) seen)"
}

# the client with the MAC credentials and an enrollment; SERVER first
# (each run starts without a saved certificate)
mac() { local s=$1; shift; rm -f "$TMPD/new.pem"
        "$PKIXCMP" -config "" -server "$s" -path pkix/ -ref 4711 -secret pass:test1234 \
          -srvcert "$c/server.crt" -cmd ir -newkey "$c/client_p256.key" -subject /CN=dev \
          -certout "$TMPD/new.pem" "$@"; }
# the same enrollment with the system openssl cmp client
ossl() { local s=$1; shift; rm -f "$TMPD/new.pem"
         "$OPENSSL" cmp -config "" -server "$s" -path pkix/ -ref 4711 -secret pass:test1234 \
           -srvcert "$c/server.crt" -cmd ir -newkey "$c/client_p256.key" -subject /CN=dev \
           -certout "$TMPD/new.pem" "$@"; }
tls_ok() { echo -tls_used -tls_trusted "$c/root.crt"; }
client_auth() { echo -tls_cert "$c/client_p256.crt" -tls_key "$c/client_p256.key"; }

# cert_is_client FILE DESC: the saved certificate is the one the server issues
cert_is_client() {
  "$OPENSSL" x509 -in "$1" -noout -subject -issuer >"$TMPD/names" 2>&1
  has "$TMPD/names" '^subject=.*CN = pkixcmp test client P-256$' "$2: subject of the saved certificate"
  has "$TMPD/names" '^issuer=.*CN = pkixcmp test intermediate CA$' "$2: issuer of the saved certificate"
  rm -f "$1"
}
no_cert() { [ ! -e "$TMPD/new.pem" ]; ok $? "$1: no certificate saved"; }

# since NAME BEFORE: relay NAME's log lines of the connections after BEFORE
since() { awk -v n="$2" '$2 + 0 > n' "$TMPD/$1.err" >"$TMPD/since"; echo "$TMPD/since"; }

start_srv; ok $? "openssl cmp mock server started"
start_relay TLS -mode tls -to "127.0.0.1:$port" -cert "$c/tls_server.crt" \
  -key "$c/tls_server.key" -chain "$c/interm.crt"
ok $? "TLS terminator started"
start_relay TLSCA -mode tls -to "127.0.0.1:$port" -cert "$c/tls_server.crt" \
  -key "$c/tls_server.key" -chain "$c/interm.crt" -client_ca "$c/root.crt"
ok $? "TLS terminator requiring client certificates started"
start_relay TLSCA12 -mode tls -to "127.0.0.1:$port" -cert "$c/tls_server.crt" \
  -key "$c/tls_server.key" -chain "$c/interm.crt" -client_ca "$c/root.crt" -max_tls 1.2
ok $? "TLS 1.2 terminator requiring client certificates started"
start_relay TCP -mode tcp -to "127.0.0.1:$port"; ok $? "TCP relay started"
start_relay PROXY -mode proxy; ok $? "HTTP proxy started"
start_relay PROXY2 -mode proxy; ok $? "second HTTP proxy started"
start_relay SINK -mode sink; ok $? "sink started"
start_relay TOSINK -mode tcp -to "127.0.0.1:$SINK"; ok $? "TCP relay to the sink started"

# ---- control: the system openssl cmp client through the same peers
n=$(conns TLS)
run_ok "control: openssl cmp ir over HTTPS via the TLS terminator" \
  ossl "127.0.0.1:$TLS" $(tls_ok)
cert_is_client "$TMPD/new.pem" "control HTTPS"
has "$(since TLS "$n")" "^tls [0-9]+ ok TLS" "control HTTPS: the terminator completed a handshake"
# openssl cmp 3.0 sends the -untrusted certificates with its TLS client
# certificate, but not -tls_extra (SSL_CTX_add_extra_chain_cert is ignored
# once -tls_cert has set a chain, even an empty one)
n=$(conns TLSCA)
run_ok "control: openssl cmp ir with a client certificate" \
  ossl "127.0.0.1:$TLSCA" $(tls_ok) $(client_auth) -untrusted "$c/interm.crt"
has "$(since TLSCA "$n")" "client=.*CN=pkixcmp test client P-256" \
  "control client authentication: the terminator saw the client certificate"
n=$(conns PROXY)
run_ok "control: openssl cmp ir via the proxy" ossl "127.0.0.1:$port" -proxy "127.0.0.1:$PROXY"
has "$(since PROXY "$n")" "^request [0-9]+ POST http://127.0.0.1:$port/pkix/$" \
  "control proxy: absolute-form request"
n=$(conns PROXY); m=$(conns TLS)
run_ok "control: openssl cmp HTTPS via the proxy" \
  ossl "127.0.0.1:$TLS" $(tls_ok) -proxy "127.0.0.1:$PROXY"
has "$(since PROXY "$n")" "^tunnel [0-9]+ 127.0.0.1:$TLS$" "control HTTPS via proxy: CONNECT tunnel"
grew TLS "$m" 1 "control HTTPS via proxy: through the terminator"
n=$(conns TCP)
run_ok "control: openssl cmp ir via the TCP relay" ossl "127.0.0.1:$TCP"
grew TCP "$n" 1 "control: openssl cmp's ir and certConf share one connection"
n=$(conns PROXY)
run_ok "control: openssl cmp with http_proxy and -proxy \"\"" \
  env http_proxy="127.0.0.1:$PROXY" "$OPENSSL" cmp -config "" -server "127.0.0.1:$port" \
  -path pkix/ -ref 4711 -secret pass:test1234 -srvcert "$c/server.crt" -cmd ir \
  -newkey "$c/client_p256.key" -subject /CN=dev -certout "$TMPD/new.pem" -proxy ""
grew PROXY "$n" 1 "control: -proxy \"\" resets the option, so openssl cmp takes http_proxy"

# ---- HTTPS
n=$(conns TLS)
run_ok "HTTPS: ir with -tls_used -tls_trusted" mac "127.0.0.1:$TLS" $(tls_ok)
cert_is_client "$TMPD/new.pem" "HTTPS"
has "$TMPD/err" "will contact https://127.0.0.1:$TLS/pkix/" "HTTPS: https URL announced"
grew TLS "$n" 1 "HTTPS: ir and certConf over one TLS connection"
has "$(since TLS "$n")" "^tls [0-9]+ ok TLSv1.3 client=none" "HTTPS: TLS 1.3 handshake completed"
grep -q "not authenticated" "$TMPD/err"; [ $? -ne 0 ]; ok $? "HTTPS: no warning with -tls_trusted"

run_ok "HTTPS: -tls_host localhost (DNS name in the certificate)" \
  mac "127.0.0.1:$TLS" $(tls_ok) -tls_host localhost
cert_is_client "$TMPD/new.pem" "-tls_host localhost"

n=$(conns TLS)
run_fail "HTTPS: -tls_host mismatch" mac "127.0.0.1:$TLS" $(tls_ok) -tls_host wrong.example
has "$TMPD/err" "TLS.*wrong.example.*(hostname mismatch|Hostname mismatch)" \
  "-tls_host mismatch: TLS error names the host and the mismatch"
no_cert "-tls_host mismatch"
has "$(since TLS "$n")" "^tls [0-9]+ failed" "-tls_host mismatch: the handshake was aborted"
grep -q "^backend" "$(since TLS "$n")"; [ $? -ne 0 ]
ok $? "-tls_host mismatch: nothing reached the server"

run_fail "HTTPS: the wrong trust anchor" mac "127.0.0.1:$TLS" -tls_used \
  -tls_trusted "$c/untrusted_root.crt"
has "$TMPD/err" "TLS.*unable to get local issuer certificate" "wrong trust anchor: reason named"
no_cert "wrong trust anchor"

run_ok "HTTPS: https:// server URL without -tls_used" \
  mac "https://127.0.0.1:$TLS/pkix/" -tls_trusted "$c/root.crt"
cert_is_client "$TMPD/new.pem" "https:// URL"
has "$TMPD/err" "assuming -tls_used" "https:// URL: -tls_used assumed, with a warning"

n=$(conns TLS)
run_ok "HTTPS: without -tls_trusted (server not authenticated)" mac "127.0.0.1:$TLS" -tls_used
cert_is_client "$TMPD/new.pem" "without -tls_trusted"
has "$TMPD/err" "warning.*not authenticated" "without -tls_trusted: warning as openssl cmp"
grew TLS "$n" 1 "without -tls_trusted: TLS was used"
# (openssl cmp 3.0 succeeds too, but without a warning)
n=$(conns TLS)
run_ok "control: openssl cmp without -tls_trusted" ossl "127.0.0.1:$TLS" -tls_used
grew TLS "$n" 1 "control without -tls_trusted: TLS was used"
rm -f "$TMPD/new.pem"

run_fail "HTTPS to a plain HTTP server" mac "127.0.0.1:$port" $(tls_ok) -msg_timeout 10
has "$TMPD/err" "TLS with .* failed: .*wrong version number" "HTTPS to plain HTTP: TLS error"

# ---- TLS client authentication
for v in TLSCA TLSCA12; do
  n=$(conns $v)
  run_ok "$v: client certificate with -tls_extra" mac "127.0.0.1:${!v}" $(tls_ok) \
    $(client_auth) -tls_extra "$c/interm.crt"
  cert_is_client "$TMPD/new.pem" "$v: client authentication"
  has "$(since $v "$n")" "client=.*CN=pkixcmp test client P-256" \
    "$v: the terminator verified our client certificate"
  n=$(conns $v)
  run_fail "$v: no client certificate" mac "127.0.0.1:${!v}" $(tls_ok)
  has "$TMPD/err" 'TLS with .* failed: the server sent the alert "(handshake failure|number 116)"' \
    "$v: no client certificate: the server's alert named"
  has "$(since $v "$n")" "^tls [0-9]+ failed: .*peer did not return a certificate" \
    "$v: no client certificate: refused by the terminator"
  no_cert "$v: no client certificate"
  n=$(conns $v)
  run_fail "$v: client certificate without its intermediate" mac "127.0.0.1:${!v}" $(tls_ok) \
    $(client_auth)
  has "$TMPD/err" 'TLS with .* failed: the server sent the alert "unknown CA"' \
    "$v: incomplete chain: the server's alert named"
  has "$(since $v "$n")" "unable to get local issuer certificate" \
    "$v: incomplete chain: the terminator could not verify it"
done
n=$(conns TLSCA)
run_ok "TLSCA: the intermediate from -untrusted (as openssl cmp)" mac "127.0.0.1:$TLSCA" \
  $(tls_ok) $(client_auth) -untrusted "$c/interm.crt"
cert_is_client "$TMPD/new.pem" "-untrusted completes the TLS chain"
has "$(since TLSCA "$n")" "client=.*CN=pkixcmp test client P-256" \
  "-untrusted: the terminator verified our client certificate"
cat "$c/client_p256.crt" "$c/interm.crt" >"$TMPD/client_chain.pem"
run_ok "TLSCA: the intermediate in the -tls_cert file" mac "127.0.0.1:$TLSCA" $(tls_ok) \
  -tls_cert "$TMPD/client_chain.pem" -tls_key "$c/client_p256.key"
cert_is_client "$TMPD/new.pem" "chain in the -tls_cert file"
run_fail "-tls_cert with a key that does not match" mac "127.0.0.1:$TLSCA" $(tls_ok) \
  -tls_cert "$c/client_p256.crt" -tls_key "$c/client_rsa.key" -tls_extra "$c/interm.crt"
has "$TMPD/err" "TLS client key does not match" "mismatching -tls_key: said so"

# ---- HTTP proxy
n=$(conns PROXY)
run_ok "proxy: ir via -proxy" mac "127.0.0.1:$port" -proxy "127.0.0.1:$PROXY"
cert_is_client "$TMPD/new.pem" "-proxy"
grew PROXY "$n" 1 "-proxy: one proxy connection for ir and certConf"
grep -c "^request [0-9]* POST http://127.0.0.1:$port/pkix/$" "$(since PROXY "$n")" >"$TMPD/n"
has "$TMPD/n" "^2$" "-proxy: ir and certConf sent in absolute form"
grep -q "POST http:" "$TMPD/srv.err"; [ $? -ne 0 ]
ok $? "-proxy: the server got origin-form requests"

n=$(conns PROXY)
run_ok "proxy: -proxy http://host:port/ignored/path" \
  mac "127.0.0.1:$port" -proxy "http://127.0.0.1:$PROXY/ignored"
grew PROXY "$n" 1 "-proxy URL: path ignored, proxy used"
rm -f "$TMPD/new.pem"

n=$(conns PROXY)
run_ok "proxy: -no_proxy 127.0.0.1" mac "127.0.0.1:$port" -proxy "127.0.0.1:$PROXY" \
  -no_proxy "localhost, 127.0.0.1"
cert_is_client "$TMPD/new.pem" "-no_proxy"
grew PROXY "$n" 0 "-no_proxy: the proxy is bypassed"
run_ok "proxy: -no_proxy with another host" mac "127.0.0.1:$port" -proxy "127.0.0.1:$PROXY" \
  -no_proxy "127.0.0.10,localhost"
grew PROXY "$n" 1 "-no_proxy: only exact host names bypass the proxy"
rm -f "$TMPD/new.pem"

n=$(conns PROXY)
run_ok "proxy: http_proxy from the environment" \
  env http_proxy="http://127.0.0.1:$PROXY" "$PKIXCMP" -config "" -server "127.0.0.1:$port" \
  -path pkix/ -ref 4711 -secret pass:test1234 -srvcert "$c/server.crt" -cmd ir \
  -newkey "$c/client_p256.key" -subject /CN=dev -certout "$TMPD/new.pem"
cert_is_client "$TMPD/new.pem" "http_proxy"
grew PROXY "$n" 1 "http_proxy: the proxy is used"
# envmac VAR=VALUE... ARGS...: the enrollment with these environment variables
envmac() { local vars=(); rm -f "$TMPD/new.pem"
           while [[ $1 == *=* ]]; do vars+=("$1"); shift; done
           env "${vars[@]}" "$PKIXCMP" -config "" -server "127.0.0.1:$port" -path pkix/ \
             -ref 4711 -secret pass:test1234 -srvcert "$c/server.crt" -cmd ir \
             -newkey "$c/client_p256.key" -subject /CN=dev -certout "$TMPD/new.pem" "$@"; }
n=$(conns PROXY)
run_ok "proxy: HTTP_PROXY from the environment" envmac HTTP_PROXY="127.0.0.1:$PROXY"
grew PROXY "$n" 1 "HTTP_PROXY: the proxy is used"
n=$(conns PROXY); m=$(conns PROXY2)
run_ok "proxy: -proxy wins over http_proxy" envmac http_proxy="127.0.0.1:$PROXY2" \
  -proxy "127.0.0.1:$PROXY"
grew PROXY "$n" 1 "-proxy over http_proxy: -proxy used"
grew PROXY2 "$m" 0 "-proxy over http_proxy: http_proxy not used"
n=$(conns PROXY)
run_ok "proxy: http_proxy with -proxy \"\"" envmac http_proxy="127.0.0.1:$PROXY" -proxy ""
grew PROXY "$n" 1 "-proxy \"\": resets the option, http_proxy still applies (as openssl cmp)"
n=$(conns PROXY)
run_ok "proxy: http_proxy and no_proxy" envmac http_proxy="127.0.0.1:$PROXY" no_proxy=127.0.0.1
grew PROXY "$n" 0 "no_proxy from the environment: the proxy is bypassed"
run_ok "proxy: http_proxy and -no_proxy" envmac http_proxy="127.0.0.1:$PROXY" -no_proxy 127.0.0.1
grew PROXY "$n" 0 "-no_proxy: bypasses http_proxy"
run_ok "proxy: empty http_proxy" envmac http_proxy= HTTP_PROXY="127.0.0.1:$PROXY"
grew PROXY "$n" 0 "empty http_proxy: no proxy (and HTTP_PROXY not consulted)"
rm -f "$TMPD/new.pem"

run_fail "proxy: the proxy cannot reach the server" mac 127.0.0.1:1 -proxy "127.0.0.1:$PROXY"
has "$TMPD/err" "server answered HTTP 502 Bad Gateway for http://127.0.0.1:1/pkix/" \
  "unreachable server via proxy: the proxy's 502 named"
run_fail "proxy: CONNECT to an unreachable server" mac 127.0.0.1:1 $(tls_ok) \
  -proxy "127.0.0.1:$PROXY"
has "$TMPD/err" "proxy http://127.0.0.1:$PROXY refused the tunnel to 127.0.0.1:1 with HTTP 502" \
  "unreachable server via CONNECT: the refused tunnel named"
run_fail "proxy: nothing listens at the proxy" mac "127.0.0.1:$port" -proxy 127.0.0.1:1 \
  -msg_timeout 10
has "$TMPD/err" "connection refused to proxy http://127.0.0.1:1" "dead proxy: the proxy is named"

# ---- HTTPS through the proxy (CONNECT)
n=$(conns PROXY); m=$(conns TLS)
run_ok "HTTPS via -proxy (CONNECT)" mac "127.0.0.1:$TLS" $(tls_ok) -proxy "127.0.0.1:$PROXY"
cert_is_client "$TMPD/new.pem" "HTTPS via proxy"
has "$(since PROXY "$n")" "^request [0-9]+ CONNECT 127.0.0.1:$TLS$" "HTTPS via proxy: CONNECT sent"
has "$(since PROXY "$n")" "^tunnel [0-9]+ 127.0.0.1:$TLS$" "HTTPS via proxy: tunnel opened"
grep -q "POST" "$(since PROXY "$n")"; [ $? -ne 0 ]
ok $? "HTTPS via proxy: the proxy saw no HTTP request in the clear"
grew PROXY "$n" 1 "HTTPS via proxy: one proxy connection"
grew TLS "$m" 1 "HTTPS via proxy: one TLS connection to the server"
n=$(conns PROXY)
run_ok "HTTPS via https_proxy" envmac https_proxy="127.0.0.1:$PROXY" -tls_used \
  -tls_trusted "$c/root.crt" -server "127.0.0.1:$TLS"
has "$(since PROXY "$n")" "^tunnel [0-9]+ 127.0.0.1:$TLS$" "https_proxy: tunnel opened"
n=$(conns PROXY)
run_ok "HTTPS ignores http_proxy" envmac http_proxy="127.0.0.1:$PROXY" -tls_used \
  -tls_trusted "$c/root.crt" -server "127.0.0.1:$TLS"
grew PROXY "$n" 0 "HTTPS ignores http_proxy: direct"
n=$(conns PROXY)
run_fail "HTTPS via proxy with -tls_host mismatch" mac "127.0.0.1:$TLS" $(tls_ok) \
  -proxy "127.0.0.1:$PROXY" -tls_host wrong.example
has "$TMPD/err" "TLS.*wrong.example" "HTTPS via proxy: the server is still verified"
rm -f "$TMPD/new.pem"

# ---- connection reuse (counted by the relays)
n=$(conns TCP)
run_ok "keep-alive: ir" mac "127.0.0.1:$TCP"
has "$TMPD/err" "sending certConf" "keep-alive: certConf sent"
cert_is_client "$TMPD/new.pem" "keep-alive"
grew TCP "$n" 1 "keep-alive: ir and certConf over ONE connection"
n=$(conns TCP)
run_ok "-keep_alive 0: ir" mac "127.0.0.1:$TCP" -keep_alive 0
cert_is_client "$TMPD/new.pem" "-keep_alive 0"
grew TCP "$n" 2 "-keep_alive 0: a connection per message"
n=$(conns TCP)
run_ok "-keep_alive 2: ir" mac "127.0.0.1:$TCP" -keep_alive 2
grew TCP "$n" 1 "-keep_alive 2: granted, one connection"
n=$(conns TLS)
run_ok "HTTPS keep-alive: ir" mac "127.0.0.1:$TLS" $(tls_ok)
grep -c "^tls [0-9]* ok" "$(since TLS "$n")" >"$TMPD/n"
has "$TMPD/n" "^1$" "HTTPS keep-alive: one handshake for ir and certConf"
# openssl's mock server closes the connection when a transaction ends
# (apps/cmp.c cmp_server()), so each transaction of -repeat needs its own
n=$(conns TCP)
run_ok "-repeat 3 against openssl's server" mac "127.0.0.1:$TCP" -repeat 3
cert_is_client "$TMPD/new.pem" "-repeat 3"
grep -c "sending certConf" "$TMPD/err" >"$TMPD/n"
has "$TMPD/n" "^3$" "-repeat 3: three transactions"
grew TCP "$n" 3 "-repeat 3: one connection per transaction (the server closes)"
n=$(conns TCP)
run_ok "control: openssl cmp -repeat 3" ossl "127.0.0.1:$TCP" -repeat 3
grew TCP "$n" 3 "control: openssl cmp -repeat 3 also uses three"
n=$(conns TCP)
run_ok "-repeat 2 with -keep_alive 0" mac "127.0.0.1:$TCP" -repeat 2 -keep_alive 0
grew TCP "$n" 4 "-repeat 2 -keep_alive 0: four connections"
rm -f "$TMPD/new.pem"

# pkixcmp's own mock CA keeps the connection across transactions
"$PKIXCMP" -config "" -port 0 -srv_ref 4711 -srv_secret pass:test1234 \
  -srv_cert "$c/interm.crt" -srv_key "$c/interm.key" >"$TMPD/own.out" 2>"$TMPD/own.err" &
pids="$pids $!"
for _ in $(seq 100); do
  own=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$TMPD/own.out" 2>/dev/null)
  [ -n "$own" ] && break
  sleep 0.1
done
[ -n "$own" ]; ok $? "pkixcmp's mock CA started"
start_relay OWNTCP -mode tcp -to "127.0.0.1:$own"; ok $? "TCP relay to it started"
start_relay OWNTLS -mode tls -to "127.0.0.1:$own" -cert "$c/tls_server.crt" \
  -key "$c/tls_server.key" -chain "$c/interm.crt"
ok $? "TLS terminator for it started"
own() { local s=$1; shift; rm -f "$TMPD/new.pem"
        "$PKIXCMP" -config "" -server "$s" -ref 4711 -secret pass:test1234 -cmd ir \
          -newkey "$c/client_p256.key" -subject /CN=dev -certout "$TMPD/new.pem" "$@"; }
own_cert() {
  "$OPENSSL" x509 -in "$TMPD/new.pem" -noout -subject -issuer >"$TMPD/names" 2>&1
  has "$TMPD/names" '^subject=CN = dev$' "$1: subject of the saved certificate"
  has "$TMPD/names" '^issuer=.*CN = pkixcmp test intermediate CA$' "$1: issuer of the saved certificate"
  rm -f "$TMPD/new.pem"
}
n=$(conns OWNTCP)
run_ok "-repeat 3 with keep-alive" own "127.0.0.1:$OWNTCP" -repeat 3
own_cert "-repeat 3"
grep -c "sending certConf" "$TMPD/err" >"$TMPD/n"
has "$TMPD/n" "^3$" "-repeat 3: three transactions"
grew OWNTCP "$n" 1 "-repeat 3: ONE connection in total"
n=$(conns OWNTCP)
run_ok "-repeat 3 with -keep_alive 0" own "127.0.0.1:$OWNTCP" -repeat 3 -keep_alive 0
grew OWNTCP "$n" 6 "-repeat 3 -keep_alive 0: a connection per message"
n=$(conns OWNTLS)
run_ok "HTTPS -repeat 2 with keep-alive" own "127.0.0.1:$OWNTLS" $(tls_ok) -repeat 2
own_cert "HTTPS -repeat 2"
grew OWNTLS "$n" 1 "HTTPS -repeat 2: one TLS connection"
grep -c "^tls [0-9]* ok" "$(since OWNTLS "$n")" >"$TMPD/n"
has "$TMPD/n" "^1$" "HTTPS -repeat 2: one handshake"
n=$(conns PROXY)
run_ok "proxy -repeat 2 with keep-alive" own "127.0.0.1:$own" -proxy "127.0.0.1:$PROXY" -repeat 2
grew PROXY "$n" 1 "proxy -repeat 2: one proxy connection"
grep -c "^request [0-9]* POST http://127.0.0.1:$own/ *$" "$(since PROXY "$n")" >"$TMPD/n"
has "$TMPD/n" "^4$" "proxy -repeat 2: four requests on it"
n=$(conns PROXY)
run_ok "HTTPS via proxy -repeat 2" own "127.0.0.1:$OWNTLS" $(tls_ok) -proxy "127.0.0.1:$PROXY" \
  -repeat 2
grew PROXY "$n" 1 "HTTPS via proxy -repeat 2: one tunnel"
rm -f "$TMPD/new.pem"

# ---- timeouts against peers that accept and never answer
t0=$(date +%s%N)
run_fail "-msg_timeout 2 via a relay to a silent peer" mac "127.0.0.1:$TOSINK" -msg_timeout 2
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 1900 ] && [ "$ms" -lt 8000 ]; ok $? "-msg_timeout 2: gave up after $ms ms"
has "$TMPD/err" "no response from .* within 2 s, the message timeout" "-msg_timeout: timeout named"
t0=$(date +%s%N)
run_fail "-total_timeout 2 against a silent peer" mac "127.0.0.1:$SINK" -total_timeout 2
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 1000 ] && [ "$ms" -lt 8000 ]; ok $? "-total_timeout 2: gave up after $ms ms"
has "$TMPD/err" "within 2 s, the transaction's total timeout" "-total_timeout: total timeout named"
start_relay TLSSINK -mode tls -to "127.0.0.1:$SINK" -cert "$c/tls_server.crt" \
  -key "$c/tls_server.key" -chain "$c/interm.crt"
t0=$(date +%s%N)
run_fail "-msg_timeout 2 over TLS to a silent peer" mac "127.0.0.1:$TLSSINK" $(tls_ok) \
  -msg_timeout 2
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 1900 ] && [ "$ms" -lt 8000 ]; ok $? "-msg_timeout 2 over TLS: gave up after $ms ms"
has "$TMPD/err" "no response from https://.* within 2 s, the message timeout" \
  "-msg_timeout over TLS: timeout named"
has "$TMPD/TLSSINK.err" "^tls [0-9]+ ok" "-msg_timeout over TLS: the handshake had succeeded"

done_testing
