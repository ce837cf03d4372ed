#!/usr/bin/env bash
# 49-client-keygen: the CLI with pkixcmp's in-process mock CA for what
# openssl cmp 3.0's mock server cannot do: central key generation
# (-centralkeygen, -newkeyout, RFC 9483 4.1.6) and the indirect proof of
# possession, where the certificate comes back encrypted for the new key
# (-popo 2: RSA key transport or EC key agreement; RFC 9810 5.2.8.3.2).
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
mock=(-config "" -use_mock_srv -srv_ref 4711 -srv_secret pass:test1234
      -srv_cert "$c/interm.crt" -srv_key "$c/interm.key" -srv_trusted "$c/root.crt"
      -ref 4711 -secret pass:test1234 -out_trusted "$c/root.crt" -untrusted "$c/interm.crt")

# pubkey_of CERT KEY [PASS]: the certificate is for the key
same_key() {
  "$OPENSSL" x509 -in "$1" -noout -pubkey >"$TMPD/a" 2>&1
  "$OPENSSL" pkey -in "$2" ${3:+-passin "$3"} -pubout >"$TMPD/b" 2>&1
  cmp -s "$TMPD/a" "$TMPD/b"
}

run_ok "-centralkeygen" "$PKIXCMP" "${mock[@]}" -cmd ir -subject /CN=ckg -centralkeygen \
  -newkeyout "$TMPD/ckg.key" -certout "$TMPD/ckg.pem"
same_key "$TMPD/ckg.pem" "$TMPD/ckg.key"; ok $? "-centralkeygen: the saved key is the certificate's"
run_ok "-popo -1 (openssl 3.5's spelling)" "$PKIXCMP" "${mock[@]}" -cmd cr -subject /CN=ckg2 -popo -1 \
  -newkeyout "$TMPD/ckg2.key" -certout "$TMPD/ckg2.pem"
same_key "$TMPD/ckg2.pem" "$TMPD/ckg2.key"; ok $? "-popo -1: the saved key is the certificate's"
run_ok "-centralkeygen with -newkeypass" "$PKIXCMP" "${mock[@]}" -cmd ir -subject /CN=ckg3 \
  -centralkeygen -newkeyout "$TMPD/ckg3.key" -newkeypass pass:secret -certout "$TMPD/ckg3.pem"
grep -q "ENCRYPTED PRIVATE KEY" "$TMPD/ckg3.key"; ok $? "-newkeypass: the key file is encrypted"
same_key "$TMPD/ckg3.pem" "$TMPD/ckg3.key" pass:secret; ok $? "-newkeypass: it decrypts to the certificate's key"
run_fail "-centralkeygen without -newkeyout" "$PKIXCMP" "${mock[@]}" -cmd ir -subject /CN=x \
  -centralkeygen -certout "$TMPD/x.pem"
has "$TMPD/err" "newkeyout" "-centralkeygen without -newkeyout: said so"
run_fail "-centralkeygen with -popo 1" "$PKIXCMP" "${mock[@]}" -cmd ir -subject /CN=x \
  -centralkeygen -popo 1 -newkeyout "$TMPD/x.key" -certout "$TMPD/x.pem"

run_ok "-popo 2 with an RSA key: encrypted certificate" "$PKIXCMP" "${mock[@]}" -cmd ir \
  -subject /CN=enc -newkey "$c/client_rsa.key" -popo 2 -certout "$TMPD/enc.pem"
same_key "$TMPD/enc.pem" "$c/client_rsa.key"; ok $? "-popo 2: the decrypted certificate is for the key"
run_ok "-popo 2 with an EC key: encrypted certificate (key agreement)" "$PKIXCMP" "${mock[@]}" -cmd ir \
  -subject /CN=enc3 -newkey "$c/client_p256.key" -popo 2 -certout "$TMPD/enc3.pem"
same_key "$TMPD/enc3.pem" "$c/client_p256.key"; ok $? "-popo 2 with EC: the decrypted certificate is for the key"
run_fail "-popo 2 with an Ed25519 key (no CMS recipient type)" "$PKIXCMP" "${mock[@]}" -cmd ir \
  -subject /CN=ed -newkey "$c/client_ed25519.key" -popo 2 -certout "$TMPD/ed.pem"
has "$TMPD/err" "badPOP" "-popo 2 with Ed25519: refused with badPOP"
done_testing
