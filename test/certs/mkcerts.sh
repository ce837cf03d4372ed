#!/usr/bin/env bash
# Generate the pkixcmp test PKI into the directory holding this script.
#
# Usage: test/certs/mkcerts.sh        (from any working directory)
# Env:   OPENSSL  openssl binary to use (default: openssl from PATH)
#
# Everything (keys included) is regenerated on every run. Only the openssl
# command line tool is used; written for OpenSSL 3.0 and later.
set -eu

OPENSSL=${OPENSSL:-openssl}
DIR=$(cd "$(dirname "$0")" && pwd)
cd "$DIR"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pkixcmp-mkcerts.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

DAYS=20000            # about 54 years for the "good" certificates
DN_PREFIX="/C=DE/O=pkixcmp test"

# ----------------------------------------------------------------- config
# One file serves as `req` config, as x509 -extfile and as `ca` config.
CNF=$TMP/pki.cnf
cat >"$CNF" <<EOF
[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = unused

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_cmp_ra ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = 1.3.6.1.5.5.7.3.28
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_tls_server ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# end-entity, signature-only keys (EC, EdDSA, RSA-PSS)
[ v3_ee_sig ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# end-entity, rsaEncryption keys
[ v3_ee_rsa ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_ee_noskid ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
subjectKeyIdentifier   = none
authorityKeyIdentifier = keyid:always

[ v3_ee_nodigsig ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, keyEncipherment
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# throwaway CA database for certificates with explicit validity dates
[ ca ]
default_ca = tmp_ca
[ tmp_ca ]
database        = $TMP/index.txt
new_certs_dir   = $TMP/newcerts
serial          = $TMP/serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
email_in_dn     = no
copy_extensions = none
[ policy_any ]
commonName = supplied
EOF
mkdir "$TMP/newcerts"
: >"$TMP/index.txt"
echo 01 >"$TMP/serial"

# ----------------------------------------------------------------- helpers
# random positive 127-bit serial number in hex
serial() {
    local hex
    hex=$("$OPENSSL" rand -hex 16)
    printf '0x%x%s' $(( 0x${hex:0:1} & 7 )) "${hex:1}"
}

# genkey FILE ALG [pkeyopt...]
genkey() {
    local out=$1 alg=$2
    shift 2
    local opts=()
    for o in "$@"; do opts+=(-pkeyopt "$o"); done
    "$OPENSSL" genpkey -algorithm "$alg" ${opts[@]+"${opts[@]}"} -out "$out" 2>/dev/null
}

# selfsigned NAME CN
selfsigned() {
    "$OPENSSL" req -new -x509 -config "$CNF" -extensions v3_ca \
        -key "$1.key" -subj "$DN_PREFIX/CN=$2" -sha256 -days "$DAYS" \
        -set_serial "$(serial)" -out "$1.crt"
}

# issue NAME CN ISSUER EXT_SECTION  -- NAME.key must exist; validity = $DAYS
issue() {
    local name=$1 cn=$2 issuer=$3 ext=$4
    "$OPENSSL" req -new -config "$CNF" -key "$name.key" \
        -subj "$DN_PREFIX/CN=$cn" -out "$TMP/$name.csr"
    "$OPENSSL" x509 -req -in "$TMP/$name.csr" \
        -CA "$issuer.crt" -CAkey "$issuer.key" -set_serial "$(serial)" \
        -sha256 -days "$DAYS" -extfile "$CNF" -extensions "$ext" \
        -out "$name.crt" 2>/dev/null
}

# issue_dated NAME CN ISSUER EXT_SECTION STARTDATE ENDDATE
issue_dated() {
    local name=$1 cn=$2 issuer=$3 ext=$4 start=$5 end=$6
    "$OPENSSL" req -new -config "$CNF" -key "$name.key" \
        -subj "$DN_PREFIX/CN=$cn" -out "$TMP/$name.csr"
    local sn
    sn=$(serial)
    echo "${sn#0x}" >"$TMP/serial"   # `openssl ca` takes the serial from here
    "$OPENSSL" ca -batch -config "$CNF" -cert "$issuer.crt" -keyfile "$issuer.key" \
        -in "$TMP/$name.csr" -extfile "$CNF" -extensions "$ext" \
        -startdate "$start" -enddate "$end" -preserveDN -notext \
        -out "$name.crt" 2>/dev/null
}

# ----------------------------------------------------------------- clean
rm -f ./*.crt ./*.key ./*.pem ./*.srl

# ----------------------------------------------------------------- CAs
genkey root.key RSA rsa_keygen_bits:3072
selfsigned root "pkixcmp test root CA"

genkey interm.key RSA rsa_keygen_bits:2048
issue interm "pkixcmp test intermediate CA" root v3_ca

genkey untrusted_root.key RSA rsa_keygen_bits:2048
selfsigned untrusted_root "pkixcmp untrusted root CA"

# ----------------------------------------------------------------- servers
genkey server.key EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
issue server "pkixcmp test CMP server" interm v3_cmp_ra

genkey tls_server.key EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
issue tls_server "localhost" interm v3_tls_server

# ----------------------------------------------------------------- clients
genkey client_rsa.key RSA rsa_keygen_bits:2048
issue client_rsa "pkixcmp test client RSA" interm v3_ee_rsa

genkey client_rsapss.key RSA-PSS rsa_keygen_bits:2048
issue client_rsapss "pkixcmp test client RSA-PSS" interm v3_ee_sig

genkey client_p256.key EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
issue client_p256 "pkixcmp test client P-256" interm v3_ee_sig

genkey client_p384.key EC ec_paramgen_curve:P-384 ec_param_enc:named_curve
issue client_p384 "pkixcmp test client P-384" interm v3_ee_sig

genkey client_ed25519.key ED25519
issue client_ed25519 "pkixcmp test client Ed25519" interm v3_ee_sig

genkey client_ed448.key ED448
issue client_ed448 "pkixcmp test client Ed448" interm v3_ee_sig

# encrypted copy of the P-256 client key, pass phrase "test"
"$OPENSSL" pkey -in client_p256.key -aes-256-cbc -passout pass:test \
    -out client_p256_enc.key

# ----------------------------------------------------------------- bad ones
genkey bad_expired.key EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
issue_dated bad_expired "pkixcmp test bad expired" interm v3_ee_sig \
    20000101000000Z 20010101000000Z

genkey bad_notyetvalid.key EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
issue_dated bad_notyetvalid "pkixcmp test bad not yet valid" interm v3_ee_sig \
    20900101000000Z 21000101000000Z

genkey bad_untrusted.key EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
issue bad_untrusted "pkixcmp test bad untrusted" untrusted_root v3_ee_sig

genkey bad_noskid.key EC ec_paramgen_curve:P-256 ec_param_enc:named_curve
issue bad_noskid "pkixcmp test bad no SKID" interm v3_ee_noskid

genkey bad_nodigsig.key RSA rsa_keygen_bits:2048
issue bad_nodigsig "pkixcmp test bad no digitalSignature" interm v3_ee_nodigsig

# ----------------------------------------------------------------- bundles
cat interm.crt root.crt >chain.pem
cat root.crt >trusted.pem

chmod 644 ./*.crt ./*.pem
echo "mkcerts.sh: test PKI written to $DIR"
