#!/usr/bin/env bash
# 30-protect-interop: the system `openssl cmp` (an independent implementation)
# accepts messages that pkixcmp protects, in both directions:
#  - requests: `openssl cmp -reqin` sends our re-protected ir to its mock
#    server, which verifies the protection (MAC or signature);
#  - responses: `openssl cmp -rspin` reads our re-protected ip and pkiconf
#    and verifies them as a client.
# Each accepted case has a control that must fail (wrong secret, untrusted
# signer), so the tests cannot pass by openssl not checking.
. "$(dirname "$0")/lib.sh"
RP="$top_builddir/test/tools/reprotect"
d="$top_srcdir/test/data"
c="$top_srcdir/test/certs"
out="$TMPD/cert.pem"
srv_name="/C=DE/O=pkixcmp test/CN=pkixcmp test CMP server"
enroll=(-subject "/C=DE/O=pkixcmp test/CN=pkixcmp test client P-256"
        -newkey "$c/client_p256.key" -certout "$out")
mock=(-use_mock_srv -recipient "$srv_name" -rsp_cert "$c/client_p256.crt")
mac=(-ref 4711 -secret pass:test1234 -srv_ref 4711 -srv_secret pass:test1234)
srv_sig=(-srv_cert "$c/server.crt" -srv_key "$c/server.key" -srv_trusted "$c/root.crt")

# ossl_ok DESCRIPTION ARGS...: openssl cmp must succeed and save the cert
ossl_ok() {
  local desc=$1; shift
  rm -f "$out"
  "$OPENSSL" cmp -config "" -batch "$@" >"$TMPD/out" 2>&1; local s=$?
  [ $s -eq 0 ] && [ -s "$out" ]; local r=$?
  ok $r "$desc"
  [ $r -eq 0 ] || sed 's/^/# /' "$TMPD/out" | tail -8
}
# ossl_fail DESCRIPTION REGEX ARGS...: openssl cmp must fail, saying REGEX
ossl_fail() {
  local desc=$1 re=$2; shift 2
  "$OPENSSL" cmp -config "" -batch "$@" >"$TMPD/out" 2>&1; local s=$?
  [ $s -ne 0 ] && grep -Eq "$re" "$TMPD/out"; local r=$?
  ok $r "$desc"
  [ $r -eq 0 ] || sed 's/^/# /' "$TMPD/out" | tail -8
}

# ---- requests protected by pkixcmp, verified by openssl's mock server
"$RP" "$d/ir_mac.der" "$TMPD/ir_pbm.der" -secret test1234 -ref 4711; ok $? "reprotect ir with PBM"
ossl_ok "openssl mock server accepts our PBM-protected ir (hmac-sha1, 500 iterations)" \
  -cmd ir "${mock[@]}" "${mac[@]}" "${enroll[@]}" -reqin "$TMPD/ir_pbm.der"
"$RP" "$d/ir_mac.der" "$TMPD/ir_pbm256.der" -secret test1234 -ref 4711 -mac HMAC-SHA256 -iter 2047
ok $? "reprotect ir with PBM hmac-sha256, 2047 iterations"
ossl_ok "openssl mock server accepts our PBM with HMAC-SHA256 and 2047 iterations" \
  -cmd ir "${mock[@]}" "${mac[@]}" "${enroll[@]}" -reqin "$TMPD/ir_pbm256.der"
"$RP" "$d/ir_mac.der" "$TMPD/ir_wrong.der" -secret wrong -ref 4711
ossl_fail "control: openssl mock server refuses our ir MAC-protected with a wrong secret" \
  "error|failed" -cmd ir "${mock[@]}" "${mac[@]}" "${enroll[@]}" -reqin "$TMPD/ir_wrong.der"

for k in p256 rsa rsapss p384 ed25519 ed448; do
  "$RP" "$d/ir_sig.der" "$TMPD/ir_sig_$k.der" -cert "$c/client_$k.crt" -key "$c/client_$k.key" \
    -untrusted "$c/interm.crt"
  ok $? "reprotect ir with a signature by client_$k"
  ossl_ok "openssl mock server accepts our ir signed by client_$k (chain in extraCerts)" \
    -cmd ir "${mock[@]}" "${srv_sig[@]}" -cert "$c/client_p256.crt" -key "$c/client_p256.key" \
    -trusted "$c/root.crt" -untrusted "$c/interm.crt" "${enroll[@]}" -reqin "$TMPD/ir_sig_$k.der"
done
"$RP" "$d/ir_sig.der" "$TMPD/ir_sig_untrusted.der" -cert "$c/bad_untrusted.crt" -key "$c/bad_untrusted.key"
ossl_fail "control: openssl mock server refuses our ir signed by an untrusted certificate" \
  "error|failed" -cmd ir "${mock[@]}" "${srv_sig[@]}" -cert "$c/client_p256.crt" \
  -key "$c/client_p256.key" -trusted "$c/root.crt" -untrusted "$c/interm.crt" "${enroll[@]}" \
  -reqin "$TMPD/ir_sig_untrusted.der"

# ---- responses protected by pkixcmp, verified by the openssl cmp client
"$RP" "$d/ip_mac.der" "$TMPD/ip_pbm.der" -secret test1234 -ref 4711 && \
  "$RP" "$d/pkiConf_mac.der" "$TMPD/pkiconf_pbm.der" -secret test1234 -ref 4711
ok $? "reprotect ip and pkiconf with PBM"
ossl_ok "openssl client accepts our PBM-protected ip and pkiconf" \
  -cmd ir -ref 4711 -secret pass:test1234 "${enroll[@]}" -rspin "$TMPD/ip_pbm.der,$TMPD/pkiconf_pbm.der"
ossl_fail "control: openssl client with another secret refuses them" "pbm|protection" \
  -cmd ir -ref 4711 -secret pass:other "${enroll[@]}" -rspin "$TMPD/ip_pbm.der,$TMPD/pkiconf_pbm.der"

"$RP" "$d/ip_sig.der" "$TMPD/ip_srv.der" -cert "$c/server.crt" -key "$c/server.key" -untrusted "$c/interm.crt" && \
  "$RP" "$d/pkiConf_sig.der" "$TMPD/pkiconf_srv.der" -cert "$c/server.crt" -key "$c/server.key" -untrusted "$c/interm.crt"
ok $? "reprotect ip and pkiconf with the server's key"
ossl_ok "openssl client accepts our signed ip and pkiconf, chain from extraCerts to -trusted root" \
  -cmd ir -cert "$c/client_p256.crt" -key "$c/client_p256.key" -trusted "$c/root.crt" \
  "${enroll[@]}" -rspin "$TMPD/ip_srv.der,$TMPD/pkiconf_srv.der"
ossl_fail "control: openssl client trusting another root refuses them" "error|failed|not trust" \
  -cmd ir -cert "$c/client_p256.crt" -key "$c/client_p256.key" -trusted "$c/untrusted_root.crt" \
  "${enroll[@]}" -rspin "$TMPD/ip_srv.der,$TMPD/pkiconf_srv.der"

# every signature algorithm of pkixcmp, verified by openssl with a pinned -srvcert
for k in rsa rsapss p384 ed25519 ed448; do
  "$RP" "$d/ip_sig.der" "$TMPD/ip_$k.der" -cert "$c/client_$k.crt" -key "$c/client_$k.key" && \
    "$RP" "$d/pkiConf_sig.der" "$TMPD/pc_$k.der" -cert "$c/client_$k.crt" -key "$c/client_$k.key"
  ok $? "reprotect ip and pkiconf signed by client_$k"
  ossl_ok "openssl client accepts our ip and pkiconf signed by client_$k (-srvcert)" \
    -cmd ir -cert "$c/client_p256.crt" -key "$c/client_p256.key" -srvcert "$c/client_$k.crt" \
    "${enroll[@]}" -rspin "$TMPD/ip_$k.der,$TMPD/pc_$k.der"
done
ossl_fail "control: openssl client pinning another -srvcert refuses them" "does not match expected sender" \
  -cmd ir -cert "$c/client_p256.crt" -key "$c/client_p256.key" -srvcert "$c/client_rsa.crt" \
  "${enroll[@]}" -rspin "$TMPD/ip_ed448.der,$TMPD/pc_ed448.der"
done_testing
