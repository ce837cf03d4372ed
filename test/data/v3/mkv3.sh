#!/usr/bin/env bash
# Regenerate the hand-built CMP v2/v3 DER fixtures in test/data/v3.
#
# Usage: test/data/v3/mkv3.sh        (from any working directory)
# Env:   OPENSSL  openssl binary to use (default: openssl from PATH)
#        PYTHON   python3 binary (default: python3)
#
# Nothing of pkixcmp is used. The openssl CLI makes the CRLs, the link
# certificates and every CMS EnvelopedData/SignedData; mkv3.py (Python 3,
# stdlib only) assembles the CMP structures byte by byte with a small DER
# TLV helper. Afterwards every file is checked:
#   * mkv3.py's own strict DER walker (done while writing),
#   * `openssl asn1parse` must parse each good file completely,
#   * a few bodies are rebuilt independently with `openssl asn1parse
#     -genconf` (genconf/*.cnf) and must be byte-identical.
#
# Output is deterministic (fixed dates, serials, nonces, RSA PKCS#1 v1.5
# signatures) except for parts made with randomness: CMS EnvelopedData
# (random content-encryption key / IV), RSA key transport in EncryptedValue
# and the popdecc v2 challenge, the ECDSA SignedData in ip_v3_envelopeddata.
set -eu

OPENSSL=${OPENSSL:-openssl}
PYTHON=${PYTHON:-python3}
DIR=$(cd "$(dirname "$0")" && pwd)
CERTS=$(cd "$DIR/../../certs" && pwd)
cd "$DIR"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pkixcmp-mkv3.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ------------------------------------------------------------ CA config
CNF=$TMP/ca.cnf
cat >"$CNF" <<EOF
[ ca ]
default_ca = tmp_ca
[ tmp_ca ]
database         = \$ENV::CADIR/index.txt
new_certs_dir    = \$ENV::CADIR
serial           = \$ENV::CADIR/serial
crlnumber        = \$ENV::CADIR/crlnumber
default_md       = sha256
policy           = policy_any
unique_subject   = no
email_in_dn      = no
copy_extensions  = none
crl_extensions   = crl_ext
[ policy_any ]
countryName            = optional
organizationName       = optional
commonName             = supplied
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ v3_link ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = unused
EOF

newca() {   # newca <dir> <crlnumber> <serial>
    mkdir -p "$1"
    : >"$1/index.txt"
    echo "$2" >"$1/crlnumber"
    echo "$3" >"$1/serial"
}
serial_of() { "$OPENSSL" x509 -in "$1" -noout -serial | sed 's/^serial=//'; }

# ---------------------------------------------------------------- CRLs
# Deterministic: fixed lastUpdate/nextUpdate and revocation dates written
# straight into the index file, RSA PKCS#1 v1.5 signatures.
export CADIR=$TMP/interm_ca
newca "$CADIR" 1000 01
printf 'R\t491231235959Z\t260101000000Z,keyCompromise\t%s\tunknown\t/CN=pkixcmp test client RSA\n' \
    "$(serial_of "$CERTS/client_rsa.crt")" >>"$CADIR/index.txt"
printf 'R\t491231235959Z\t260102000000Z,superseded\t%s\tunknown\t/CN=pkixcmp test client P-256\n' \
    "$(serial_of "$CERTS/client_p256.crt")" >>"$CADIR/index.txt"
"$OPENSSL" ca -batch -config "$CNF" -gencrl -cert "$CERTS/interm.crt" \
    -keyfile "$CERTS/interm.key" -crl_lastupdate 20260101120000Z \
    -crl_nextupdate 20260201120000Z -out "$TMP/interm.crl.pem" 2>/dev/null
"$OPENSSL" crl -in "$TMP/interm.crl.pem" -outform DER -out "$TMP/interm.crl.der"

export CADIR=$TMP/root_ca
newca "$CADIR" 01 01
"$OPENSSL" ca -batch -config "$CNF" -gencrl -cert "$CERTS/root.crt" \
    -keyfile "$CERTS/root.key" -crl_lastupdate 20260101120000Z \
    -crl_nextupdate 20270101120000Z -out "$TMP/root.crl.pem" 2>/dev/null
"$OPENSSL" crl -in "$TMP/root.crl.pem" -outform DER -out "$TMP/root.crl.der"

# --------------------------------------------------- root CA key update
# "old" root = root.crt, "new" root = untrusted_root.crt (newWithNew).
# newWithOld: new root's name+key, signed by the old root key;
# oldWithNew: old root's name+key, signed by the new root key.
"$OPENSSL" x509 -x509toreq -in "$CERTS/untrusted_root.crt" \
    -signkey "$CERTS/untrusted_root.key" -out "$TMP/new.csr" 2>/dev/null
"$OPENSSL" x509 -x509toreq -in "$CERTS/root.crt" \
    -signkey "$CERTS/root.key" -out "$TMP/old.csr" 2>/dev/null
export CADIR=$TMP/link_old
newca "$CADIR" 01 4E57574F   # "NWWO"
"$OPENSSL" ca -batch -config "$CNF" -cert "$CERTS/root.crt" -keyfile "$CERTS/root.key" \
    -in "$TMP/new.csr" -extensions v3_link -preserveDN -notext \
    -startdate 20260101000000Z -enddate 20460101000000Z \
    -out "$TMP/newWithOld.pem" 2>/dev/null
export CADIR=$TMP/link_new
newca "$CADIR" 01 4F57574E   # "OWWN"
"$OPENSSL" ca -batch -config "$CNF" -cert "$CERTS/untrusted_root.crt" \
    -keyfile "$CERTS/untrusted_root.key" \
    -in "$TMP/old.csr" -extensions v3_link -preserveDN -notext \
    -startdate 20260101000000Z -enddate 20460101000000Z \
    -out "$TMP/oldWithNew.pem" 2>/dev/null
"$OPENSSL" verify -CAfile "$CERTS/root.crt" "$TMP/newWithOld.pem" >/dev/null
"$OPENSSL" verify -CAfile "$CERTS/untrusted_root.crt" "$TMP/oldWithNew.pem" >/dev/null

# ------------------------------------------------------------ build
OPENSSL=$OPENSSL "$PYTHON" "$DIR/mkv3.py" "$CERTS" "$TMP" "$DIR"

# ------------------------------------------------------------ check
fail=0
for f in "$DIR"/*.der; do
    if ! "$OPENSSL" asn1parse -inform DER -in "$f" -i >"$TMP/parse.txt" 2>&1; then
        echo "asn1parse FAILED: $f" >&2; fail=1; continue
    fi
    # the outermost element must end exactly at the end of the file
    len=$(wc -c <"$f")
    hl_l=$(head -1 "$TMP/parse.txt" | sed -n 's/.*hl= *\([0-9]*\) l= *\([0-9]*\).*/\1 \2/p')
    set -- $hl_l
    if [ $(($1 + $2)) -ne "$len" ]; then
        echo "trailing data / length mismatch: $f" >&2; fail=1
    fi
done

# Independent re-encoding of some bodies with ASN1_generate_nconf.
CERTHASH=$("$OPENSSL" x509 -in "$CERTS/client_rsa.crt" -outform DER |
    "$OPENSSL" dgst -sha256 -binary | od -An -tx1 | tr -d ' \n')
for cnf in "$DIR"/genconf/*.cnf; do
    name=$(basename "$cnf" .cnf)
    sed "s/@CERTHASH@/$CERTHASH/" "$cnf" >"$TMP/g.cnf"
    "$OPENSSL" asn1parse -genconf "$TMP/g.cnf" -out "$TMP/g.der" >/dev/null
    "$PYTHON" "$DIR/mkv3.py" --body "$DIR/$name.der" >"$TMP/body.der"
    if ! cmp -s "$TMP/g.der" "$TMP/body.der"; then
        echo "genconf mismatch: $name" >&2; fail=1
    fi
done
[ $fail -eq 0 ] || { echo "mkv3.sh: checks FAILED" >&2; exit 1; }
echo "mkv3.sh: $(ls "$DIR"/*.der | wc -l) good + $(ls "$DIR"/bad/*.der | wc -l) bad fixtures written and checked"
