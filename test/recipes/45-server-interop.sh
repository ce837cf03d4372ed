#!/usr/bin/env bash
# 45-server-interop: the system `openssl cmp` client (an independent
# implementation) against our mock server, `pkixcmp -port 0`, over HTTP:
# ir, cr, kur, p10cr, rr and genm with MAC and with signature protection,
# implicit confirmation, polling, fixed mode (-rsp_cert/-ref_cert), the
# fault options, -max_msgs and a clean stop. Enrollments check the saved
# certificate's subject and issuer; every refusal checks why.
#
# Our server issues with -srv_cert/-srv_key when no -rsp_cert is given.
# With interm.crt as that CA, the openssl client needs -ignore_keyusage to
# accept signed responses: interm.crt has keyCertSign but no
# digitalSignature. Server C signs as server.crt instead (no CA: what it
# issues names it as issuer but does not validate).
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
interm="CN=pkixcmp test intermediate CA,O=pkixcmp test,C=DE"
root="CN=pkixcmp test root CA,O=pkixcmp test,C=DE"
cmpsrv="CN=pkixcmp test CMP server,O=pkixcmp test,C=DE"
p256="CN=pkixcmp test client P-256,O=pkixcmp test,C=DE"
mac=(-ref 4711 -secret pass:test1234)
sig=(-cert "$c/client_p256.crt" -key "$c/client_p256.key" -trusted "$c/root.crt")
srv_mac=(-srv_ref 4711 -srv_secret pass:test1234)
srv_ca=(-srv_cert "$c/interm.crt" -srv_key "$c/interm.key" -srv_trusted "$c/root.crt"
        -srv_untrusted "$c/interm.crt")

SRV_PID=
SRV_PORT=
trap 'stop_srv >/dev/null 2>&1; rm -rf "$TMPD"' EXIT

# start_srv ARGS...: our mock server on a free port (SRV_PORT, SRV_PID)
start_srv() {
  local i
  # the previous server's ACCEPT line must not be read before the new
  # server's redirection truncates the file
  rm -f "$TMPD/srv.out" "$TMPD/srv.err"
  "$PKIXCMP" -config "" -port 0 "$@" >"$TMPD/srv.out" 2>"$TMPD/srv.err" &
  SRV_PID=$!
  SRV_PORT=
  for i in $(seq 1 100); do
    SRV_PORT=$(sed -n '1s/^ACCEPT \(\[::\]\|0\.0\.0\.0\):\([0-9][0-9]*\) PID=[0-9][0-9]*$/\2/p' \
               "$TMPD/srv.out")
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

# ossl ARGS...: openssl cmp against our server, output in $TMPD/out
ossl() {
  "$OPENSSL" cmp -config "" -batch -server "127.0.0.1:$SRV_PORT" "$@" >"$TMPD/out" 2>&1
}
show() { sed 's/^/# /' "$TMPD/out" | grep -v '^#  ' | tail -6; }
# ossl_ok DESCRIPTION ARGS...: exit 0
ossl_ok() {
  local d=$1; shift
  ossl "$@"; local s=$?
  ok $s "$d"
  [ $s -eq 0 ] || show
}
# ossl_fail DESCRIPTION REGEX ARGS...: exit 1, the output matching REGEX
ossl_fail() {
  local d=$1 re=$2; shift 2
  ossl "$@"; local s=$?
  [ $s -eq 1 ] && grep -Eq -- "$re" "$TMPD/out"; local r=$?
  ok $r "$d"
  [ $r -eq 0 ] || { echo "# exit status $s, expected 1 and /$re/"; show; }
}
# enroll_ok DESCRIPTION CERTFILE SUBJECT ISSUER ARGS...: exit 0, CERTFILE
# saved with that subject and issuer (RFC 2253)
enroll_ok() {
  local d=$1 out=$2 subj=$3 iss=$4 got=; shift 4
  rm -f "$out"
  ossl "$@" -certout "$out"; local s=$?
  [ $s -eq 0 ] && got=$("$OPENSSL" x509 -in "$out" -noout -subject -issuer -nameopt RFC2253)
  [ "$got" = "subject=$subj
issuer=$iss" ]; local r=$?
  ok $r "$d"
  [ $r -eq 0 ] || { echo "# exit status $s; got: $got"; show; }
}
newkey() { "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

for k in k1 k2 k3 k4; do newkey "$TMPD/$k.pem"; done
"$OPENSSL" req -new -key "$TMPD/k4.pem" -subj "/CN=interop p10cr" -out "$TMPD/csr.pem"
ok $? "keys and a CSR made with openssl"

# ---- startup
"$PKIXCMP" -config "" -port 0 -srv_secret pass:x >"$TMPD/out" 2>&1; s=$?
[ $s -eq 1 ] && grep -q "must give -srv_ref" "$TMPD/out"
ok $? "no -srv_ref and no -srv_cert: exit 1, saying so"
"$PKIXCMP" -config "" -port 0 -srv_ref 4711 >"$TMPD/out" 2>&1; s=$?
[ $s -eq 1 ] && grep -q "credentials must be given" "$TMPD/out"
ok $? "no -srv_secret and no -srv_cert: exit 1, saying so"

# ---- server A: MAC and signature, interm.crt issues, caPubs root.crt
start_srv "${srv_mac[@]}" "${srv_ca[@]}" -rsp_capubs "$c/root.crt"
ok $? "server A started: first stdout line ACCEPT [::]:<port> PID=<pid>"
grep -q "PID=$SRV_PID\$" "$TMPD/srv.out"; ok $? "the ACCEPT line names the server's PID"

enroll_ok "ir, MAC: issued by interm for -subject" "$TMPD/ir.pem" "CN=interop ir" "$interm" \
  -cmd ir "${mac[@]}" -newkey "$TMPD/k1.pem" -subject "/CN=interop ir" -cacertsout "$TMPD/capubs.pem"
[ "$("$OPENSSL" x509 -in "$TMPD/capubs.pem" -noout -subject -nameopt RFC2253 2>&1)" = "subject=$root" ]
ok $? "ir: caPubs (-rsp_capubs) saved by -cacertsout: the root"
grep -q "sending CERTCONF" "$TMPD/out"; ok $? "ir: certConf sent (no implicit confirmation asked)"
"$OPENSSL" x509 -in "$TMPD/ir.pem" -noout -pubkey >"$TMPD/got.pub" && \
  "$OPENSSL" pkey -in "$TMPD/k1.pem" -pubout >"$TMPD/want.pub" && cmp -s "$TMPD/got.pub" "$TMPD/want.pub"
ok $? "ir: the certificate holds the requested public key"
"$OPENSSL" verify -CAfile "$c/root.crt" -untrusted "$c/interm.crt" "$TMPD/ir.pem" >/dev/null 2>&1
ok $? "ir: the certificate validates to the root (openssl verify)"
enroll_ok "cr, MAC" "$TMPD/cr.pem" "CN=interop cr" "$interm" \
  -cmd cr "${mac[@]}" -newkey "$TMPD/k2.pem" -subject "/CN=interop cr"
[ "$("$OPENSSL" x509 -in "$TMPD/ir.pem" -noout -serial)" != "$("$OPENSSL" x509 -in "$TMPD/cr.pem" -noout -serial)" ]
ok $? "ir and cr certificates have different serial numbers"
enroll_ok "ir, signed by client_p256 (-ignore_keyusage: interm signs the responses)" \
  "$TMPD/irsig.pem" "CN=interop ir sig" "$interm" \
  -cmd ir "${sig[@]}" -ignore_keyusage -newkey "$TMPD/k3.pem" -subject "/CN=interop ir sig"
enroll_ok "kur, signed with the certificate to update: same subject, new key" "$TMPD/kur.pem" \
  "CN=interop ir sig" "$interm" -cmd kur -cert "$TMPD/irsig.pem" -key "$TMPD/k3.pem" \
  -trusted "$c/root.crt" -ignore_keyusage -newkey "$TMPD/k4.pem"
enroll_ok "kur, MAC, -oldcert the ir certificate" "$TMPD/kur2.pem" "CN=interop ir" "$interm" \
  -cmd kur "${mac[@]}" -oldcert "$TMPD/ir.pem" -newkey "$TMPD/k2.pem"
enroll_ok "p10cr, MAC: the CSR's subject" "$TMPD/p10.pem" "CN=interop p10cr" "$interm" \
  -cmd p10cr "${mac[@]}" -csr "$TMPD/csr.pem"
ossl_ok "rr, MAC, of the cr certificate" -cmd rr "${mac[@]}" -oldcert "$TMPD/cr.pem"
ossl_fail "rr of it again: certRevoked" "certRevoked" -cmd rr "${mac[@]}" -oldcert "$TMPD/cr.pem"
ossl_fail "kur of the revoked certificate: certRevoked" "certRevoked" \
  -cmd kur "${mac[@]}" -oldcert "$TMPD/cr.pem" -newkey "$TMPD/k1.pem" -certout "$TMPD/x.pem"
ossl_fail "rr of a certificate the server did not issue: badCertId" "badCertId" \
  -cmd rr "${mac[@]}" -oldcert "$c/client_p256.crt"
ossl_ok "rr, signed, of the p10cr certificate with -revreason 1" \
  -cmd rr "${sig[@]}" -ignore_keyusage -oldcert "$TMPD/p10.pem" -revreason 1
ossl_ok "genm caCerts, MAC" -cmd genm "${mac[@]}" -infotype caCerts -cacertsout "$TMPD/cacerts.pem" \
  -rspout "$TMPD/genp.der"
"$OPENSSL" asn1parse -inform DER -in "$TMPD/genp.der" >"$TMPD/genp.txt" 2>&1
has "$TMPD/genp.txt" ":pkixcmp test root CA" "genm caCerts: the genp carries the root (-rsp_capubs)"
ossl_ok "genm signKeyPairTypes, signed" -cmd genm "${sig[@]}" -ignore_keyusage -infotype signKeyPairTypes
has "$TMPD/out" "signKeyPairTypes" "genm signKeyPairTypes: answered"
ossl_ok "genm without infotype" -cmd genm "${mac[@]}"
enroll_ok "ir -implicit_confirm, not granted" "$TMPD/ic.pem" "CN=interop ic" "$interm" \
  -cmd ir "${mac[@]}" -implicit_confirm -newkey "$TMPD/k1.pem" -subject "/CN=interop ic"
grep -q "sending CERTCONF" "$TMPD/out"; ok $? "not granted: certConf sent"
ossl_fail "control: an unprotected ir is refused: badMessageCheck" "badMessageCheck.*not protected" \
  -cmd ir -unprotected_requests "${mac[@]}" -newkey "$TMPD/k1.pem" -subject "/CN=x" -certout "$TMPD/x.pem"
ossl_fail "control: an ir with a wrong secret gets an error message" "received ERROR" \
  -cmd ir -ref 4711 -secret pass:wrong -newkey "$TMPD/k1.pem" -subject "/CN=x" -certout "$TMPD/x.pem"
has "$TMPD/srv.err" "refusing ir: MAC does not match" "the server refused it for its MAC"
stop_srv; ok $? "server A: SIGTERM stops it, exit status 0"

# ---- server B: implicit confirmation granted, polling, unprotected requests accepted
start_srv "${srv_mac[@]}" "${srv_ca[@]}" -grant_implicitconf -poll_count 2 -check_after 0 \
  -accept_unprotected
ok $? "server B started"
enroll_ok "ir -implicit_confirm with polling" "$TMPD/poll.pem" "CN=interop poll" "$interm" \
  -cmd ir "${mac[@]}" -implicit_confirm -newkey "$TMPD/k1.pem" -subject "/CN=interop poll"
! grep -q "sending CERTCONF" "$TMPD/out"; ok $? "granted: no certConf"
[ "$(grep -c "sending POLLREQ" "$TMPD/out")" -eq 2 ]; ok $? "two pollReqs (-poll_count 2)"
enroll_ok "cr with polling, unprotected request accepted (-accept_unprotected)" "$TMPD/unp.pem" \
  "CN=interop unprotected" "$interm" -cmd cr -unprotected_requests "${mac[@]}" \
  -newkey "$TMPD/k2.pem" -subject "/CN=interop unprotected"
stop_srv; ok $? "server B stopped"

# ---- server C: signs as server.crt (no secret), which also issues
start_srv -srv_cert "$c/server.crt" -srv_key "$c/server.key" -srv_trusted "$c/root.crt" \
  -srv_untrusted "$c/interm.crt"
ok $? "server C started"
has "$TMPD/srv.err" "no CA certificate" "server C warns that server.crt is no CA certificate"
enroll_ok "ir, signed, server signs as server.crt (no -ignore_keyusage)" "$TMPD/c.pem" \
  "CN=interop c" "$cmpsrv" -cmd ir "${sig[@]}" -untrusted "$c/interm.crt" \
  -newkey "$TMPD/k1.pem" -subject "/CN=interop c"
ossl_fail "ir, MAC: server C has no secret" "received ERROR" \
  -cmd ir "${mac[@]}" -newkey "$TMPD/k1.pem" -subject "/CN=x" -certout "$TMPD/x.pem"
stop_srv; ok $? "server C stopped"

# ---- server D: fixed mode as openssl's mock (-rsp_cert, -ref_cert)
start_srv "${srv_mac[@]}" -rsp_cert "$c/client_p256.crt" -ref_cert "$c/client_p256.crt"
ok $? "server D started"
enroll_ok "ir in fixed mode: the -rsp_cert" "$TMPD/fix.pem" "$p256" "$interm" \
  -cmd ir "${mac[@]}" -newkey "$c/client_p256.key" -subject "/CN=ignored"
enroll_ok "kur of the -ref_cert in fixed mode" "$TMPD/fix2.pem" "$p256" "$interm" \
  -cmd kur "${mac[@]}" -oldcert "$c/client_p256.crt" -newkey "$c/client_p256.key"
ossl_ok "rr of the -ref_cert" -cmd rr "${mac[@]}" -oldcert "$c/client_p256.crt"
ossl_fail "rr of another certificate: badCertId" "badCertId" \
  -cmd rr "${mac[@]}" -oldcert "$TMPD/ir.pem"
stop_srv; ok $? "server D stopped"

# ---- server E: -pkistatus rejection with -failure and -statusstring
start_srv "${srv_mac[@]}" "${srv_ca[@]}" -pkistatus 2 -failure 9 -statusstring "refused by test"
ok $? "server E started"
ossl_fail "ir with -pkistatus 2 -failure 9: rejected, badPOP, the statusString" \
  "rejection.*badPOP.*refused by test" \
  -cmd ir "${mac[@]}" -newkey "$TMPD/k1.pem" -subject "/CN=x" -certout "$TMPD/x.pem"
ossl_fail "rr with -pkistatus 2: rejected" "rejection.*badPOP" -cmd rr "${mac[@]}" -oldcert "$TMPD/ir.pem"
stop_srv; ok $? "server E stopped"

start_srv "${srv_mac[@]}" "${srv_ca[@]}" -pkistatus 2 -failurebits 6 -failure 9
ok $? "server E2 started (-failurebits wins over -failure)"
ossl_fail "ir: failInfo badMessageCheck, badRequest" "badMessageCheck.*badRequest" \
  -cmd ir "${mac[@]}" -newkey "$TMPD/k1.pem" -subject "/CN=x" -certout "$TMPD/x.pem"
! grep -q badPOP "$TMPD/out"; ok $? "ir: no badPOP (-failure is overridden)"
stop_srv; ok $? "server E2 stopped"

# ---- server F: -send_error
start_srv "${srv_mac[@]}" "${srv_ca[@]}" -send_error
ok $? "server F started"
ossl_fail "ir with -send_error: an error message" "received error" \
  -cmd ir "${mac[@]}" -newkey "$TMPD/k1.pem" -subject "/CN=x" -certout "$TMPD/x.pem"
ossl_fail "genm with -send_error: an error message" "received error" -cmd genm "${mac[@]}"
stop_srv; ok $? "server F stopped"

# ---- server G: -max_msgs 2 ends after ir and certConf
start_srv "${srv_mac[@]}" "${srv_ca[@]}" -max_msgs 2
ok $? "server G started"
enroll_ok "ir against -max_msgs 2" "$TMPD/g.pem" "CN=interop g" "$interm" \
  -cmd ir "${mac[@]}" -newkey "$TMPD/k1.pem" -subject "/CN=interop g"
for i in $(seq 1 50); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
wait "$SRV_PID"; s=$?; SRV_PID=
[ $s -eq 0 ]; ok $? "server G exits 0 by itself after 2 messages (exit status $s)"

done_testing
