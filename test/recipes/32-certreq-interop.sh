#!/usr/bin/env bash
# 32-certreq-interop: the system `openssl cmp` mock server (an independent
# CRMF implementation) accepts the CertReqMsgs pkixcmp builds: test/tools/mkreq
# writes an ir, cr or kur with our template and signature POP, MAC-protected by
# pkixcmp_msg_protect(); `openssl cmp -reqin` sends it, and the mock server
# verifies the POP (and, for kur, the oldCertID control) before it issues the
# -rsp_cert. Controls that must fail: a POP with a flipped bit (badPOP), an
# oldCertID naming another certificate ("wrong certid").
. "$(dirname "$0")/lib.sh"
MK="$top_builddir/test/tools/mkreq"
c="$top_srcdir/test/certs"
out="$TMPD/cert.pem"
srv_name="/C=DE/O=pkixcmp test/CN=pkixcmp test CMP server"
mac=(-ref 4711 -secret pass:test1234 -srv_ref 4711 -srv_secret pass:test1234)
our_mac=(-secret test1234 -ref 4711 -recipient "$srv_name")

# ossl KEY ARGS...: openssl cmp with its mock server issuing client_KEY.crt
ossl() {
  local k=$1; shift
  rm -f "$out"
  "$OPENSSL" cmp -config "" -batch -use_mock_srv -recipient "$srv_name" \
    -rsp_cert "$c/client_$k.crt" "${mac[@]}" -subject "/CN=ignored with -reqin" \
    -newkey "$c/client_$k.key" -certout "$out" "$@" >"$TMPD/out" 2>&1
}
# accepted DESCRIPTION KEY ARGS...: openssl cmp must succeed and save the cert
accepted() {
  local desc=$1 k=$2; shift 2
  ossl "$k" "$@"; local s=$?
  [ $s -eq 0 ] && [ -s "$out" ]; local r=$?
  ok $r "$desc"
  [ $r -eq 0 ] || sed 's/^/# /' "$TMPD/out" | tail -8
}
# refused DESCRIPTION REGEX KEY ARGS...: openssl cmp must fail, saying REGEX
refused() {
  local desc=$1 re=$2 k=$3; shift 3
  ossl "$k" "$@"; local s=$?
  [ $s -ne 0 ] && grep -Eq "$re" "$TMPD/out"; local r=$?
  ok $r "$desc"
  [ $r -eq 0 ] || sed 's/^/# /' "$TMPD/out" | tail -8
}

for k in rsa rsapss p256 p384 ed25519 ed448; do
  "$MK" "$TMPD/ir_$k.der" -newkey "$c/client_$k.key" "${our_mac[@]}" \
    -subject "/C=DE/O=pkixcmp test/CN=pkixcmp test client $k"
  ok $? "mkreq: ir with a POP by client_$k"
  accepted "openssl mock server accepts our CertReqMsg with a POP by client_$k" \
    "$k" -cmd ir -reqin "$TMPD/ir_$k.der"
done

"$MK" "$TMPD/cr_p384.der" -cmd cr -digest SHA384 -newkey "$c/client_p384.key" "${our_mac[@]}"
ok $? "mkreq: cr with an ecdsa-with-SHA384 POP"
accepted "openssl mock server accepts our cr with an ecdsa-with-SHA384 POP" \
  p384 -cmd cr -reqin "$TMPD/cr_p384.der"

"$MK" "$TMPD/ir_nosubject.der" -no_subject -newkey "$c/client_p256.key" "${our_mac[@]}"
ok $? "mkreq: ir without subject (POP over poposkInput with publicKeyMAC)"
accepted "openssl mock server accepts our POP over poposkInput" \
  p256 -cmd ir -reqin "$TMPD/ir_nosubject.der"

"$MK" "$TMPD/ir_tampered.der" -tamper -newkey "$c/client_rsa.key" "${our_mac[@]}"
ok $? "mkreq: ir with a flipped bit in the POP signature"
refused "control: openssl mock server refuses the flipped POP with badPOP" \
  "badPOP" rsa -cmd ir -reqin "$TMPD/ir_tampered.der"

"$MK" "$TMPD/kur.der" -cmd kur -oldcert "$c/client_p256.crt" -newkey "$c/client_p256.key" \
  "${our_mac[@]}"
ok $? "mkreq: kur with oldCertID of client_p256.crt"
accepted "openssl mock server accepts our kur: POP and oldCertID" \
  p256 -cmd kur -oldcert "$c/client_p256.crt" -reqin "$TMPD/kur.der"
"$MK" "$TMPD/kur_other.der" -cmd kur -oldcert "$c/client_rsa.crt" -newkey "$c/client_p256.key" \
  "${our_mac[@]}"
refused "control: openssl mock server refuses an oldCertID naming another certificate" \
  "wrong certid" p256 -cmd kur -oldcert "$c/client_p256.crt" -reqin "$TMPD/kur_other.der"
done_testing
