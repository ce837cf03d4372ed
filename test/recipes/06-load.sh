#!/usr/bin/env bash
# 06-load: credentials as openssl cmp loads them (OSSL_STORE): certificates
# in PEM, DER, PKCS#12 and "file:" URIs, files with several certificates,
# comma/space lists; private keys in PEM, DER, traditional and PKCS#8 form,
# public keys; CSRs and CRLs in PEM and DER; trust stores with the
# verification options applied.
. "$(dirname "$0")/lib.sh"
: "${top_builddir:=$top_srcdir/build}"
PROBE=${PROBE:-$top_builddir/test/tools/cli_probe}
c="$top_srcdir/test/certs"
t="$TMPD"

# fixtures in other formats, made with the openssl command line
"$OPENSSL" x509 -in "$c/server.crt" -outform DER -out "$t/server.der"
"$OPENSSL" pkey -in "$c/client_p384.key" -outform DER -out "$t/p384.der"
"$OPENSSL" pkey -in "$c/client_p384.key" -pubout -out "$t/p384_pub.pem"
"$OPENSSL" rsa -in "$c/client_rsa.key" -traditional -out "$t/rsa_trad.pem" 2>/dev/null
"$OPENSSL" pkcs12 -export -in "$c/client_p256.crt" -inkey "$c/client_p256.key" \
  -certfile "$c/chain.pem" -passout pass:p12pass -out "$t/client.p12"
printf '[req]\ndistinguished_name = dn\n[dn]\n' > "$t/req.cnf"
"$OPENSSL" req -new -config "$t/req.cnf" -key "$c/client_p256.key" -subj "/CN=csr test" -out "$t/csr.pem"
"$OPENSSL" req -in "$t/csr.pem" -outform DER -out "$t/csr.der"
cp "$t/csr.der" "$t/csr_badsig.der" # the last byte is inside the ECDSA signature
n=$(wc -c < "$t/csr.der")
printf '\001' | dd of="$t/csr_badsig.der" bs=1 seek=$((n - 1)) conv=notrunc 2>/dev/null
cmp -s "$t/csr.der" "$t/csr_badsig.der" && printf '\002' | dd of="$t/csr_badsig.der" bs=1 seek=$((n - 1)) conv=notrunc 2>/dev/null
mkdir "$t/ca" && : > "$t/ca/index.txt" && echo 01 > "$t/ca/crlnumber"
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s\ncrlnumber = %s\ndefault_md = sha256\ndefault_crl_days = 30\n' \
  "$t/ca/index.txt" "$t/ca/crlnumber" > "$t/ca.cnf"
"$OPENSSL" ca -config "$t/ca.cnf" -keyfile "$c/interm.key" -cert "$c/interm.crt" -revoke "$c/bad_nodigsig.crt" 2>/dev/null
"$OPENSSL" ca -config "$t/ca.cnf" -keyfile "$c/interm.key" -cert "$c/interm.crt" -gencrl -out "$t/crl.pem" 2>/dev/null
"$OPENSSL" crl -in "$t/crl.pem" -outform DER -out "$t/crl.der"
export OPENSSL_CONF="$TMPD/none.cnf"

# certificates
run_ok "PEM certificate" "$PROBE" cert "$c/client_rsa.crt"
has "$TMPD/out" '^cert: C = DE, O = pkixcmp test, CN = pkixcmp test client RSA$' "PEM certificate subject"
run_ok "DER certificate" "$PROBE" cert "$t/server.der"
has "$TMPD/out" 'CN = pkixcmp test CMP server$' "DER certificate subject"
run_ok "file: URI" "$PROBE" cert "file:$c/root.crt"
has "$TMPD/out" 'CN = pkixcmp test root CA$' "file: URI subject"
run_ok "a file with several certificates: the first" "$PROBE" cert "$c/chain.pem"
has "$TMPD/out" 'CN = pkixcmp test intermediate CA$' "the first of chain.pem"
run_ok "chain: first and the rest" "$PROBE" chain "$c/chain.pem"
has "$TMPD/out" '^leaf: .*intermediate CA$' "the leaf"
has "$TMPD/out" '^1 certificate\(s\)$' "one more"
run_ok "a list of files, comma and space separated" "$PROBE" certs "$c/chain.pem, $c/server.crt $t/server.der"
has "$TMPD/out" '^4 certificate\(s\)$' "all certificates of all files"
run_fail "missing certificate file" "$PROBE" cert "$t/nope.crt"
has "$TMPD/err" "cannot open certificate '.*nope.crt'" "missing file named"
run_fail "a key is no certificate" "$PROBE" cert "$c/client_rsa.key"
has "$TMPD/err" "cannot load certificate from '.*client_rsa.key'" "wrong content named"
run_fail "a list with a bad file fails" "$PROBE" certs "$c/root.crt,$t/nope.crt"
run_ok "expired certificate loads, with a warning" "$PROBE" cert "$c/bad_expired.crt"
has "$TMPD/err" "certificate from '.*bad_expired.crt' with subject '.*' has expired" "expiry warned about"
run_ok "not yet valid certificate loads, with a warning" "$PROBE" cert "$c/bad_notyetvalid.crt"
has "$TMPD/err" "is not yet valid" "not yet valid warned about"
run_ok "-attime applies to the warning" "$PROBE" cert "$c/bad_expired.crt" -attime 970000000
! grep -q "has expired" "$TMPD/err"; ok $? "valid in 2000-09"

# PKCS#12 with -keypass
run_ok "PKCS#12 certificate and chain" "$PROBE" chain "$t/client.p12" -keypass pass:p12pass
has "$TMPD/out" '^leaf: .*client P-256$' "PKCS#12 leaf"
has "$TMPD/out" '^2 certificate\(s\)$' "PKCS#12 chain"
run_ok "PKCS#12 key" "$PROBE" key "$t/client.p12" -keypass pass:p12pass
has "$TMPD/out" '^key: EC 256 bits, private$' "PKCS#12 key"
run_fail "PKCS#12 wrong pass phrase" "$PROBE" chain "$t/client.p12" -keypass pass:wrong -batch
has "$TMPD/err" "wrong pass phrase" "wrong PKCS#12 pass phrase said"

# keys
run_ok "PKCS#8 PEM key" "$PROBE" key "$c/client_rsa.key"
has "$TMPD/out" '^key: RSA 2048 bits, private$' "RSA key"
run_ok "traditional PEM key" "$PROBE" key "$t/rsa_trad.pem"
has "$TMPD/out" '^key: RSA 2048 bits, private$' "traditional RSA key"
run_ok "DER key" "$PROBE" key "$t/p384.der"
has "$TMPD/out" '^key: EC 384 bits, private$' "DER EC key"
run_ok "Ed448 key via file: URI" "$PROBE" key "file:$c/client_ed448.key"
has "$TMPD/out" '^key: ED448 456 bits, private$' "Ed448 key"
run_fail "a public key is no private key" "$PROBE" key "$t/p384_pub.pem"
has "$TMPD/err" "cannot load private key from '.*p384_pub.pem'" "public key refused as private key"
run_ok "public key" "$PROBE" pubkey "$t/p384_pub.pem"
has "$TMPD/out" '^key: EC 384 bits, public$' "public key loaded"
run_ok "public key from a private key file" "$PROBE" pubkey "$c/client_p384.key"
run_fail "a certificate is no key" "$PROBE" key "$c/root.crt"
run_fail "-keyform ENGINE without -engine" "$PROBE" key "$c/client_rsa.key" -keyform ENGINE
has "$TMPD/err" "-keyform ENGINE needs -engine" "missing engine named"

# CSRs and CRLs
run_ok "PEM CSR" "$PROBE" csr "$t/csr.pem"
has "$TMPD/out" '^csr: CN = csr test$' "PEM CSR subject"
run_ok "DER CSR" "$PROBE" csr "$t/csr.der"
has "$TMPD/out" '^csr: CN = csr test$' "DER CSR subject"
! grep -q "self-signature" "$TMPD/err"; ok $? "no signature warning for a good CSR"
run_ok "CSR with a bad signature loads, with a warning" "$PROBE" csr "$t/csr_badsig.der"
has "$TMPD/err" "self-signature of PKCS#10 CSR .* does not match|error while verifying the self-signature" "bad CSR signature warned about"
run_fail "a certificate is no CSR" "$PROBE" csr "$c/root.crt"
has "$TMPD/err" "neither PEM nor DER PKCS#10" "not a CSR said"
run_fail "missing CSR" "$PROBE" csr "$t/nope.csr"
run_ok "PEM CRL" "$PROBE" crl "$t/crl.pem"
has "$TMPD/out" '^crl: 1 revoked$' "PEM CRL with one revoked certificate"
run_ok "DER CRL" "$PROBE" crl "$t/crl.der"
has "$TMPD/out" '^crl: 1 revoked$' "DER CRL"
run_fail "a certificate is no CRL" "$PROBE" crl "$c/root.crt"

# trust stores with the verification options
v() { "$PROBE" verify "$@"; }
run_ok "chain to the anchor" v "$c/client_p256.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt"
has "$TMPD/out" '^verify: OK$' "verified"
run_fail "no intermediate" v "$c/client_p256.crt" -trusted "$c/root.crt"
has "$TMPD/out" 'unable to get local issuer certificate' "missing issuer said"
run_fail "intermediate as anchor needs -partial_chain" v "$c/client_p256.crt" -trusted "$c/interm.crt"
run_ok "-partial_chain" v "$c/client_p256.crt" -trusted "$c/interm.crt" -partial_chain
run_fail "-attime after expiry" v "$c/client_p256.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -attime 4000000000
has "$TMPD/out" 'certificate has expired' "-attime applied"
run_fail "expired certificate" v "$c/bad_expired.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt"
run_ok "-no_check_time" v "$c/bad_expired.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -no_check_time
run_fail "-verify_depth 0" v "$c/client_p256.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -verify_depth 0
has "$TMPD/out" 'certificate chain too long' "-verify_depth applied"
run_fail "-crl_check without CRLs" v "$c/client_p256.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -crl_check
has "$TMPD/out" 'unable to get certificate CRL' "-crl_check applied"
run_fail "-purpose: tls_server is no sslclient" v "$c/tls_server.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -purpose sslclient
run_ok "-purpose sslserver" v "$c/tls_server.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -purpose sslserver
run_ok "-verify_hostname is not for -trusted" v "$c/client_p256.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -verify_hostname nomatch.example
run_fail "-policy_check -explicit_policy: the test PKI has no policies" v "$c/client_p256.crt" -trusted "$c/root.crt" -untrusted "$c/interm.crt" -explicit_policy -policy 1.2.3.4
run_fail "unknown -purpose" v "$c/client_p256.crt" -trusted "$c/root.crt" -purpose nosuch
has "$TMPD/err" "unknown -purpose 'nosuch'" "unknown purpose named"
run_fail "unknown -verify_name" v "$c/client_p256.crt" -trusted "$c/root.crt" -verify_name nosuch
has "$TMPD/err" "unknown -verify_name 'nosuch'" "unknown verify_name named"
run_fail "bad -policy" v "$c/client_p256.crt" -trusted "$c/root.crt" -policy "not an oid"
has "$TMPD/err" "invalid -policy 'not an oid'" "bad policy named"
run_fail "bad -verify_ip" v "$c/client_p256.crt" -trusted "$c/root.crt" -verify_ip 1.2.3
has "$TMPD/err" "invalid -verify_ip '1.2.3'" "bad IP named"
done_testing
