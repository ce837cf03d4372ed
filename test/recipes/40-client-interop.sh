#!/usr/bin/env bash
# 40-client-interop: the pkixcmp client against the system `openssl cmp`
# mock server over HTTP: every -cmd with MAC and with signature protection,
# polling, implicit confirmation, rejection, error messages, unprotected
# errors, and the failures a user meets (wrong secret, no server, wrong
# path). Each case asserts the exit status and, for enrollments, the saved
# certificate's subject and issuer.
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$TMPD"' EXIT

# start_srv ARGS...: openssl's mock server on an ephemeral port with the
# common credentials plus ARGS; sets port. It issues client_p256.crt.
nsrv=0
start_srv() {
  nsrv=$((nsrv + 1))
  local out="$TMPD/srv$nsrv.out"
  port=""
  timeout 120 "$OPENSSL" cmp -config "" -port 0 -srv_ref 4711 -srv_secret pass:test1234 \
    -srv_cert "$c/server.crt" -srv_key "$c/server.key" -srv_trusted "$c/root.crt" \
    -srv_untrusted "$c/interm.crt" -rsp_cert "$c/client_p256.crt" \
    -rsp_extracerts "$c/interm.crt" -rsp_capubs "$c/root.crt" "$@" \
    >"$out" 2>"$TMPD/srv$nsrv.err" &
  pids="$pids $!"
  for _ in $(seq 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$out" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  return 1
}

# cmp ARGS...: the client with the server and MAC credentials
mac() { "$PKIXCMP" -config "" -server "127.0.0.1:$port" -path pkix/ -ref 4711 \
          -secret pass:test1234 -srvcert "$c/server.crt" "$@"; }
sig() { "$PKIXCMP" -config "" -server "127.0.0.1:$port" -path pkix/ -cert "$c/client_p256.crt" \
          -key "$c/client_p256.key" -untrusted "$c/interm.crt" -trusted "$c/root.crt" "$@"; }
enroll() { echo -newkey "$c/client_p256.key" -subject /CN=dev -certout "$TMPD/new.pem"; }

# subject_issuer FILE: the saved certificate's subject and issuer
cert_is_client() {
  "$OPENSSL" x509 -in "$1" -noout -subject -issuer >"$TMPD/names" 2>&1
  has "$TMPD/names" '^subject=.*CN = pkixcmp test client P-256$' "$2: subject of the saved certificate"
  has "$TMPD/names" '^issuer=.*CN = pkixcmp test intermediate CA$' "$2: issuer of the saved certificate"
  rm -f "$1"
}

start_srv; ok $? "openssl cmp mock server started"

# ---- every command, MAC protection
run_ok "ir (MAC)" mac -cmd ir $(enroll) -cacertsout "$TMPD/capubs.pem" \
  -extracertsout "$TMPD/extra.pem" -chainout "$TMPD/chain.pem"
has "$TMPD/err" "sending certConf" "ir (MAC): certConf sent"
has "$TMPD/err" "received pkiconf" "ir (MAC): pkiConf received"
cert_is_client "$TMPD/new.pem" "ir (MAC)"
"$OPENSSL" x509 -in "$TMPD/capubs.pem" -noout -subject >"$TMPD/n" 2>&1
has "$TMPD/n" "CN = pkixcmp test root CA" "ir: caPubs saved to -cacertsout"
grep -c BEGIN "$TMPD/extra.pem" >"$TMPD/n"
has "$TMPD/n" '^[1-9]' "ir: extraCerts saved to -extracertsout"
"$OPENSSL" x509 -in "$TMPD/chain.pem" -noout -subject >"$TMPD/n" 2>&1
has "$TMPD/n" "CN = pkixcmp test intermediate CA" "ir: -chainout has the intermediate CA"

run_ok "cr (MAC)" mac -cmd cr $(enroll)
cert_is_client "$TMPD/new.pem" "cr (MAC)"

"$OPENSSL" req -new -key "$c/client_p256.key" -subj /CN=csr -out "$TMPD/csr.pem" 2>/dev/null
run_ok "p10cr (MAC)" mac -cmd p10cr -csr "$TMPD/csr.pem" -certout "$TMPD/new.pem"
cert_is_client "$TMPD/new.pem" "p10cr (MAC)"

run_ok "kur (MAC)" mac -cmd kur -oldcert "$c/client_p256.crt" -newkey "$c/client_p256.key" \
  -certout "$TMPD/new.pem"
cert_is_client "$TMPD/new.pem" "kur (MAC)"

run_ok "rr (MAC)" mac -cmd rr -oldcert "$c/client_p256.crt" -revreason 1
serial=0x$("$OPENSSL" x509 -in "$c/client_p256.crt" -noout -serial | sed 's/^serial=//')
issuer=$("$OPENSSL" x509 -in "$c/client_p256.crt" -noout -issuer -nameopt compat | sed 's/^issuer=//')
run_ok "rr by -issuer and -serial (MAC)" mac -cmd rr -issuer "$issuer" -serial "$serial"
run_fail "rr with -serial but no -issuer" mac -cmd rr -serial "$serial"
has "$TMPD/err" "issuer" "rr with -serial but no -issuer: said so"
run_fail "rr of another serial number" mac -cmd rr -issuer "$issuer" -serial 0x1234
run_ok "ir (signature) with -own_trusted" sig -cmd ir $(enroll) -own_trusted "$c/root.crt"
run_fail "ir (signature) with -own_trusted that does not lead to -cert" sig -cmd ir $(enroll) \
  -own_trusted "$c/untrusted_root.crt"
has "$TMPD/err" "does not validate against -own_trusted" "-own_trusted failure: said so"
run_ok "genm (MAC)" mac -cmd genm -infotype signKeyPairTypes
has "$TMPD/out" "genp" "genm: the genp is shown"

# ---- signature protection
run_ok "ir (signature)" sig -cmd ir $(enroll) -srvcertout "$TMPD/srv.pem"
cert_is_client "$TMPD/new.pem" "ir (signature)"
"$OPENSSL" x509 -in "$TMPD/srv.pem" -noout -subject >"$TMPD/n" 2>&1
has "$TMPD/n" "CN = pkixcmp test CMP server" "ir (signature): -srvcertout has the validated server certificate"
touch "$TMPD/srv.pem"
run_ok "ir (MAC) with -srvcertout" mac -cmd ir $(enroll) -srvcertout "$TMPD/srv.pem"
[ ! -e "$TMPD/srv.pem" ]; ok $? "ir (MAC): -srvcertout deleted (no signed response)"
run_ok "kur (signature)" sig -cmd kur -newkey "$c/client_p256.key" -certout "$TMPD/new.pem"
cert_is_client "$TMPD/new.pem" "kur (signature)"
run_ok "rr (signature)" sig -cmd rr -oldcert "$c/client_p256.crt"
run_ok "genm (signature)" sig -cmd genm -infotype signKeyPairTypes
run_ok "-repeat 3 over one connection" mac -cmd ir $(enroll) -repeat 3
cert_is_client "$TMPD/new.pem" "-repeat 3"

# ---- what goes wrong
run_fail "wrong secret" mac -cmd ir $(enroll) -secret pass:wrong
has "$TMPD/err" "MAC|error message" "wrong secret: reported"
run_fail "ir without -certout" mac -cmd ir -newkey "$c/client_p256.key" -subject /CN=x
has "$TMPD/err" "certout" "ir without -certout: said so"
run_fail "path the server does not serve" mac -cmd ir $(enroll) -path nosuch
has "$TMPD/err" "HTTP 404" "wrong path: HTTP 404 named"
run_fail "unexpected server certificate" mac -cmd ir $(enroll) -srvcert "$c/client_rsa.crt"
oldport=$port

# ---- polling
start_srv -poll_count 2 -check_after 0; ok $? "polling server started"
run_ok "ir with polling" mac -cmd ir $(enroll)
has "$TMPD/err" "sending pollReq" "polling: pollReq sent"
cert_is_client "$TMPD/new.pem" "ir with polling"
start_srv -poll_count 3 -check_after 2; ok $? "slow polling server started"
run_fail "polling beyond -total_timeout" mac -cmd ir $(enroll) -total_timeout 3
has "$TMPD/err" "total timeout" "polling beyond -total_timeout: said so"

# ---- implicit confirmation
start_srv -grant_implicitconf; ok $? "implicit-confirm server started"
run_ok "ir with -implicit_confirm" mac -cmd ir $(enroll) -implicit_confirm
grep -q "sending certConf" "$TMPD/err"; [ $? -ne 0 ]; ok $? "implicit confirm: no certConf"
cert_is_client "$TMPD/new.pem" "implicit confirm"

# ---- rejection and error messages
start_srv -pkistatus 2 -failure 9 -statusstring "no POP here"; ok $? "rejecting server started"
run_fail "rejection" mac -cmd ir $(enroll)
has "$TMPD/err" "rejection" "rejection: status named"
has "$TMPD/err" "badPOP" "rejection: failInfo named"
has "$TMPD/err" "no POP here" "rejection: statusString shown"
[ ! -e "$TMPD/new.pem" ]; ok $? "rejection: no certificate saved"

start_srv -send_error; ok $? "error-sending server started"
run_fail "error message" mac -cmd ir $(enroll)
has "$TMPD/err" "error message" "error message: reported as such"

start_srv -send_error -send_unprot_err; ok $? "unprotected-error server started"
run_fail "unprotected error refused" mac -cmd ir $(enroll)
has "$TMPD/err" "not protected" "unprotected error: refused as unprotected"
run_fail "unprotected error with -unprotected_errors" mac -cmd ir $(enroll) -unprotected_errors
has "$TMPD/err" "error message" "-unprotected_errors: the error itself is reported"

# ---- no server
for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null
port=$oldport
run_fail "server gone" mac -cmd ir $(enroll) -msg_timeout 5
has "$TMPD/err" "connect|refused" "server gone: connection failure named"

done_testing
