#!/usr/bin/env bash
# 42-genm: -cmd genm by -infotype (RFC 9483 4.3) with the CLI: caCerts,
# rootCaCert, certReqTemplate, crlStatusList and a plain genm, against
# pkixcmp's in-process mock (-use_mock_srv) and the system `openssl cmp`
# mock server; openssl's checks before any network I/O, and its output-file
# convention (a file is deleted when nothing of it was received). Asserted:
# exit status, the files, and for failures the reason.
. "$(dirname "$0")/lib.sh"
c="$top_srcdir/test/certs"
T="$TMPD"
srv_pid=""
trap '[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null; rm -rf "$TMPD"' EXIT

# ---- a root CA key update (old root, new root, link certificates) and CRLs
cnf="$T/req.cnf"
printf '[req]\ndistinguished_name=dn\nx509_extensions=v3\n[dn]\n[v3]\n%s\n' \
  'basicConstraints=critical,CA:TRUE' >"$cnf"
printf 'basicConstraints=critical,CA:TRUE\n' >"$T/ext.cnf"
mkroot() { # KEY CERT [SUBJECT]: a self-signed root, "CN=test root" by default
  "$OPENSSL" req -config "$cnf" -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$1" -subj "${3:-/CN=test root}" -days 3650 -out "$2" 2>/dev/null
}
link() { # KEY(subject key) CACERT CAKEY OUT: "CN=test root" with KEY, signed by CAKEY
  "$OPENSSL" req -config "$cnf" -new -key "$1" -subj "/CN=test root" -out "$T/link.csr" 2>/dev/null \
    && "$OPENSSL" x509 -req -in "$T/link.csr" -CA "$2" -CAkey "$3" -set_serial "$RANDOM" \
      -days 365 -extfile "$T/ext.cnf" -out "$4" 2>/dev/null
}
mkroot "$T/old.key" "$T/old.crt" && mkroot "$T/new.key" "$T/new.crt" \
  && link "$T/new.key" "$T/old.crt" "$T/old.key" "$T/nwo.crt" \
  && link "$T/old.key" "$T/new.crt" "$T/new.key" "$T/own.crt" \
  && mkroot "$T/other.key" "$T/other.crt" \
  && link "$T/new.key" "$T/other.crt" "$T/other.key" "$T/bad_nwo.crt" \
  && mkroot "$T/stranger.key" "$T/stranger.crt" "/CN=another root"
ok $? "root CA key update certificates made"

mkdir -p "$T/ca" && : >"$T/ca/index.txt" && echo 01 >"$T/ca/crlnumber"
printf '[ca]\ndefault_ca=CA\n[CA]\ndatabase=%s\ncrlnumber=%s\ndefault_md=sha256\ndefault_crl_days=30\n' \
  "$T/ca/index.txt" "$T/ca/crlnumber" >"$T/ca.cnf"
mkcrl() { # OUT [LASTUPDATE]: a CRL of the intermediate CA
  "$OPENSSL" ca -config "$T/ca.cnf" -gencrl -keyfile "$c/interm.key" -cert "$c/interm.crt" \
    ${2:+-crl_lastupdate "$2"} -out "$1" 2>/dev/null
}
mkcrl "$T/crl.pem" && mkcrl "$T/old_crl.pem" 20200101000000Z
ok $? "CRLs of the intermediate CA made (one current, one of 2020)"

fp() { "$OPENSSL" x509 -in "$1" -noout -fingerprint -sha256 2>/dev/null; }
same_cert() { [ -n "$(fp "$1")" ] && [ "$(fp "$1")" = "$(fp "$2")" ]; }

# the client with MAC credentials; mock: pkixcmp's in-process mock server
cli() { "$PKIXCMP" -config "" -ref 4711 -secret pass:test1234 -cmd genm "$@"; }
mock() {
  cli -use_mock_srv -srv_ref 4711 -srv_secret pass:test1234 -srv_cert "$c/server.crt" \
    -srv_key "$c/server.key" -rsp_cert "$c/client_p256.crt" -rsp_capubs "$c/root.crt" "$@"
}

# ---- checks before any network I/O (port 1: nothing listens)
off() { cli -server 127.0.0.1:1 "$@"; }
run_fail "caCerts without -cacertsout" off -infotype caCerts
has "$T/err" "missing -cacertsout option for -infotype caCerts" "... said so"
run_fail "rootCaCert without -newwithnew" off -infotype rootCaCert -newwithold "$T/x.pem"
has "$T/err" "missing -newwithnew option for -infotype rootCaCert" "... said so"
run_fail "certReqTemplate without -template" off -infotype certReqTemplate -keyspec "$T/k.der"
has "$T/err" "missing -template option for genm with infotype certReqTemplate" "... said so"
run_fail "crlStatusList without -crlout" off -infotype crlStatusList -crlcert "$c/client_p256.crt"
has "$T/err" "missing -crlout for -infotype crlStatusList" "... said so"
run_fail "crlStatusList without -crlcert and -oldcrl" off -infotype crlStatusList -crlout "$T/c.der"
has "$T/err" "missing -oldcrl and no -crlcert given for -infotype crlStatusList" "... said so"
run_fail "crlStatusList with -crlcert and -oldcrl of different issuers" off \
  -infotype crlStatusList -crlcert "$c/interm.crt" -oldcrl "$T/crl.pem" -crlout "$T/c.der"
has "$T/err" "-oldcrl and -crlcert have different issuer" "... said so"
if grep -q "HTTP\|connect" "$T/err"; then ok 1 "no connection was tried"; else ok 0 "no connection was tried"; fi
run_fail "rootCaCert with an -oldwithold that cannot be read" off -infotype rootCaCert \
  -oldwithold "$T/nosuch.pem" -newwithnew "$T/n.pem"

# ---- caCerts
run_ok "caCerts" mock -infotype caCerts -cacertsout "$T/ca.pem"
same_cert "$T/ca.pem" "$c/root.crt"; ok $? "caCerts: -rsp_capubs saved to -cacertsout"

# ---- rootCaCert
upd() {
  mock -infotype rootCaCert -rsp_newwithnew "$T/new.crt" -rsp_newwithold "$T/nwo.crt" \
    -rsp_oldwithnew "$T/own.crt" -newwithnew "$T/nwn.out" -newwithold "$T/nwo.out" \
    -oldwithnew "$T/own.out" "$@"
}
run_ok "rootCaCert with -oldwithold" upd -oldwithold "$T/old.crt"
same_cert "$T/nwn.out" "$T/new.crt" && same_cert "$T/nwo.out" "$T/nwo.crt" \
  && same_cert "$T/own.out" "$T/own.crt"
ok $? "rootCaCert: newWithNew, newWithOld and oldWithNew saved"
rm -f "$T"/*.out
run_ok "rootCaCert without -oldwithold, old root in -trusted" upd -trusted "$T/old.crt"
has "$T/err" "no -oldwithold given" "... warned that -trusted serves"
same_cert "$T/nwn.out" "$T/new.crt"; ok $? "... newWithNew saved"
run_fail "rootCaCert without -oldwithold and without the old root in -trusted" upd \
  -trusted "$c/root.crt"
has "$T/err" "no certificate of the trust store signed newWithOld" "... said why"
run_fail "rootCaCert with a newWithOld not signed by the old root" upd -oldwithold "$T/old.crt" \
  -rsp_newwithold "$T/bad_nwo.crt"
has "$T/err" "signature of newWithOld does not verify" "... said why"
run_fail "rootCaCert with a newWithNew that is not self-signed" upd -oldwithold "$T/old.crt" \
  -rsp_newwithnew "$T/nwo.crt"
has "$T/err" "newWithNew is not self-signed" "... said why"
touch "$T/nwn.out" "$T/nwo.out" "$T/own.out"
run_ok "rootCaCert for another root: no update" upd -oldwithold "$T/stranger.crt"
has "$T/err" "no root CA certificate update available" "... said so"
[ ! -e "$T/nwn.out" ] && [ ! -e "$T/nwo.out" ] && [ ! -e "$T/own.out" ]
ok $? "... -newwithnew, -newwithold and -oldwithnew files deleted"

# ---- certReqTemplate
run_ok "certReqTemplate" mock -infotype certReqTemplate -template "$T/t.der" -keyspec "$T/k.der"
"$OPENSSL" asn1parse -inform DER -in "$T/t.der" >"$T/t.txt" 2>&1
has "$T/t.txt" "^ *0:d=0 .*cons: SEQUENCE" "certReqTemplate: -template is a DER CertTemplate"
"$OPENSSL" asn1parse -inform DER -in "$T/k.der" >"$T/k.txt" 2>&1
has "$T/k.txt" "1\.3\.6\.1\.5\.5\.7\.5\.1\.12" "certReqTemplate: -keyspec has id-regCtrl-rsaKeyLen"
has "$T/k.txt" "prime256v1" "certReqTemplate: -keyspec has id-regCtrl-algId with a curve"

# ---- crlStatusList
crlupd() { mock -infotype crlStatusList -rsp_crl "$T/crl.pem" -crlout "$T/crl.out" "$@"; }
run_ok "crlStatusList with -crlcert" crlupd -crlcert "$c/client_p256.crt"
"$OPENSSL" crl -inform DER -in "$T/crl.out" -noout -issuer >"$T/i.txt" 2>&1
has "$T/i.txt" "CN = pkixcmp test intermediate CA" "crlStatusList: the CRL saved as DER"
run_ok "crlStatusList with an older -oldcrl, -crlform PEM" crlupd -oldcrl "$T/old_crl.pem" -crlform PEM
cmp -s <("$OPENSSL" crl -in "$T/crl.out" -outform DER 2>/dev/null) \
  <("$OPENSSL" crl -in "$T/crl.pem" -outform DER 2>/dev/null)
ok $? "crlStatusList: the newer CRL saved as PEM"
run_ok "crlStatusList with the current -oldcrl: no update" crlupd -oldcrl "$T/crl.pem"
has "$T/err" "no CRL update available" "... said so"
[ ! -e "$T/crl.out" ]; ok $? "... -crlout deleted"

# ---- any other -infotype, options that do not apply
run_ok "signKeyPairTypes: a plain genm" mock -infotype signKeyPairTypes \
  -reqout "$T/r1.der,$T/r2.der" -repeat 2 -template "$T/t2.der"
has "$T/out" "id-it-signKeyPairTypes" "... the genp printed"
has "$T/err" "-template option is ignored unless -cmd 'genm' and -infotype certReqTemplate" \
  "... -template ignored with a warning"
[ ! -e "$T/t2.der" ]; ok $? "... and not written"
n=$("$OPENSSL" asn1parse -inform DER -in "$T/r2.der" 2>/dev/null | grep -c ':1.3.6.1.5.5.7.4.2$\|signKeyPairTypes')
[ "$n" = 1 ]; ok $? "-repeat 2: the second genm has one ITAV too (found $n)"

# ---- against the system openssl cmp mock server: what it supports
start_srv() {
  local out="$T/srv.out"
  port=""
  timeout 60 "$OPENSSL" cmp -config "" -port 0 -srv_ref 4711 -srv_secret pass:test1234 \
    -rsp_cert "$c/client_p256.crt" -rsp_capubs "$c/root.crt" "$@" >"$out" 2>"$T/srv.err" &
  srv_pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/^ACCEPT .*:\([0-9]*\) PID=.*/\1/p' "$out" 2>/dev/null)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  return 1
}
srv() { cli -server "127.0.0.1:$port" "$@"; }
help=$("$OPENSSL" cmp -help 2>&1)
root_opts=""
crl_opts=""
case "$help" in *-rsp_newwithnew*) root_opts=1 ;; esac
case "$help" in *-rsp_crl*) crl_opts=1 ;; esac
start_srv ${root_opts:+-rsp_newwithnew "$T/new.crt" -rsp_newwithold "$T/nwo.crt"} \
  ${crl_opts:+-rsp_crl "$T/crl.pem"}
ok $? "openssl cmp mock server started"

if [ -n "$root_opts" ]; then
  run_ok "openssl mock: rootCaCert" srv -infotype rootCaCert -oldwithold "$T/old.crt" \
    -newwithnew "$T/nwn.out"
  same_cert "$T/nwn.out" "$T/new.crt"; ok $? "openssl mock: newWithNew saved"
else
  run_fail "openssl mock (no rootCaCert support): rootCaCert" srv -infotype rootCaCert \
    -oldwithold "$T/old.crt" -newwithnew "$T/nwn.out"
  has "$T/err" "no id-it-rootCaKeyUpdate but id-it-rootCaCert \(the request echoed" \
    "... the echoed request named as the reason"
fi
if [ -n "$crl_opts" ]; then
  run_ok "openssl mock: crlStatusList" srv -infotype crlStatusList -oldcrl "$T/old_crl.pem" \
    -crlout "$T/crl.out"
  "$OPENSSL" crl -inform DER -in "$T/crl.out" -noout >/dev/null 2>&1; ok $? "openssl mock: CRL saved"
else
  run_fail "openssl mock (no crlStatusList support): crlStatusList" srv -infotype crlStatusList \
    -oldcrl "$T/old_crl.pem" -crlout "$T/crl.out"
  has "$T/err" "no id-it-crls but id-it-crlStatusList \(the request echoed" \
    "... the echoed request named as the reason"
fi
# an echo of certReqTemplate is a certReqTemplate without value: none available
touch "$T/t.der" "$T/k.der"
run_ok "openssl mock: certReqTemplate" srv -infotype certReqTemplate -template "$T/t.der" \
  -keyspec "$T/k.der"
if [ -s "$T/t.der" ]; then
  "$OPENSSL" asn1parse -inform DER -in "$T/t.der" >/dev/null 2>&1; ok $? "openssl mock: template saved"
else
  [ ! -e "$T/t.der" ] && [ ! -e "$T/k.der" ]; ok $? "openssl mock: no template, both files deleted"
fi
run_ok "openssl mock: caCerts" srv -infotype caCerts -cacertsout "$T/ca.pem"
run_ok "openssl mock: signKeyPairTypes" srv -infotype signKeyPairTypes
has "$T/out" "genp" "openssl mock: the genp printed"

done_testing
