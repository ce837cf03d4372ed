#!/usr/bin/env bash
# Regenerate the DER PKIMessage fixtures in the directory holding this script,
# using the `openssl cmp` client against its in-process mock server
# (-use_mock_srv). Needs the test PKI from ../certs (see ../certs/mkcerts.sh).
#
# Usage: test/data/mkfixtures.sh       (from any working directory)
# Env:   OPENSSL  openssl binary to use (default: openssl from PATH)
#
# Written for (and checked with) OpenSSL 3.0; newer versions should work too.
set -eu

OPENSSL=${OPENSSL:-openssl}
DIR=$(cd "$(dirname "$0")" && pwd)
cd "$DIR"
C=../certs          # relative, so that the commands in README.md stay short

for f in root.crt interm.crt server.crt server.key client_p256.crt client_p256.key; do
    [ -f "$C/$f" ] || { echo "missing $C/$f: run test/certs/mkcerts.sh first" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pkixcmp-fixtures.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ----------------------------------------------------------------- options
SUBJECT="/C=DE/O=pkixcmp test/CN=pkixcmp test client P-256"
RECIPIENT="/C=DE/O=pkixcmp test/CN=pkixcmp test CMP server"

CMP=("$OPENSSL" cmp -config "" -batch -use_mock_srv -recipient "$RECIPIENT"
     -rsp_cert "$C/client_p256.crt")
# MAC (PBM) protection on both sides
MAC=(-ref 4711 -secret pass:test1234 -srv_ref 4711 -srv_secret pass:test1234)
# signature protection: client signs with client_p256, server with server.crt
SIG_SRV=(-srv_cert "$C/server.crt" -srv_key "$C/server.key"
         -srv_trusted "$C/root.crt" -srv_untrusted "$C/interm.crt")
SIG=(-cert "$C/client_p256.crt" -key "$C/client_p256.key"
     -trusted "$C/root.crt" -untrusted "$C/interm.crt" "${SIG_SRV[@]}")
# enrollment of the client_p256 key (the mock server always returns -rsp_cert)
ENROLL=(-subject "$SUBJECT" -newkey "$C/client_p256.key" -certout "$TMP/new.crt")

# ----------------------------------------------------------------- helpers
# cmp_run ok|fail LOGNAME ARGS...  -- run one transaction, check the exit code
cmp_run() {
    local expect=$1 name=$2 rc=0
    shift 2
    "${CMP[@]}" "$@" >"$TMP/$name.log" 2>&1 || rc=$?
    if { [ "$expect" = ok ] && [ $rc -ne 0 ]; } ||
       { [ "$expect" = fail ] && [ $rc -eq 0 ]; }; then
        cat "$TMP/$name.log" >&2
        echo "mkfixtures.sh: $name: unexpected exit code $rc" >&2
        exit 1
    fi
}

# check FILE TAG  -- FILE must be a PKIMessage whose body is [TAG]
check() {
    local f=$1 tag=$2 got
    [ -s "$f" ] || { echo "mkfixtures.sh: $f was not written" >&2; exit 1; }
    # 2nd element of the outer SEQUENCE (depth 1) is the PKIBody
    got=$("$OPENSSL" asn1parse -inform DER -in "$f" -i |
          awk '/d=1 /{n++; if (n == 2) {print; exit}}' |
          sed -n 's/.*cont \[ *\([0-9]*\) *\].*/\1/p')
    if [ "$got" != "$tag" ]; then
        echo "mkfixtures.sh: $f: body tag [$got], expected [$tag]" >&2
        exit 1
    fi
}

rm -f ./*.der ./*.csr

# PKCS#10 request for p10cr
"$OPENSSL" req -new -key "$C/client_p256.key" -subj "$SUBJECT" -sha256 \
    -out p10cr.csr

# ----------------------------------------------------------------- MAC + signature
for p in mac sig; do
    if [ $p = mac ]; then PROT=("${MAC[@]}"); else PROT=("${SIG[@]}"); fi

    # ir -> ip, certConf -> pkiConf
    cmp_run ok ir_$p -cmd ir "${PROT[@]}" "${ENROLL[@]}" \
        -reqout ir_$p.der,certConf_$p.der -rspout ip_$p.der,pkiConf_$p.der

    # cr -> cp (certConf/pkiConf of this transaction are not kept)
    cmp_run ok cr_$p -cmd cr "${PROT[@]}" "${ENROLL[@]}" \
        -reqout cr_$p.der -rspout cp_$p.der

    # kur -> kup, updating client_p256.crt
    cmp_run ok kur_$p -cmd kur "${PROT[@]}" "${ENROLL[@]}" \
        -oldcert "$C/client_p256.crt" -reqout kur_$p.der -rspout kup_$p.der

    # p10cr -> cp
    cmp_run ok p10cr_$p -cmd p10cr "${PROT[@]}" -csr p10cr.csr \
        -certout "$TMP/new.crt" -reqout p10cr_$p.der -rspout cp_p10cr_$p.der

    # rr -> rp, revoking client_p256.crt (must equal -rsp_cert for the mock)
    cmp_run ok rr_$p -cmd rr "${PROT[@]}" -oldcert "$C/client_p256.crt" \
        -reqout rr_$p.der -rspout rp_$p.der

    # genm -> genp, without infoType (empty genm content) and with one
    cmp_run ok genm_$p -cmd genm "${PROT[@]}" \
        -reqout genm_$p.der -rspout genp_$p.der
    cmp_run ok genm_signKeyPairTypes_$p -cmd genm -infotype signKeyPairTypes \
        "${PROT[@]}" -reqout genm_signKeyPairTypes_$p.der \
        -rspout genp_signKeyPairTypes_$p.der

    # ir answered by error (the client then fails)
    cmp_run fail error_$p -cmd ir "${PROT[@]}" "${ENROLL[@]}" -send_error \
        -reqout "$TMP/ir_err_$p.der" -rspout error_$p.der

    # ir -> ip(waiting), pollReq -> pollRep, pollReq -> ip, ...
    cmp_run ok poll_$p -cmd ir "${PROT[@]}" "${ENROLL[@]}" \
        -poll_count 2 -check_after 0 \
        -reqout "$TMP/ir_poll_$p.der,pollReq_$p.der" \
        -rspout ip_waiting_$p.der,pollRep_$p.der
done

# ----------------------------------------------------------------- extras
# implicit confirmation requested and granted: no certConf/pkiConf
cmp_run ok implicitconf -cmd ir "${MAC[@]}" "${ENROLL[@]}" \
    -implicit_confirm -grant_implicitconf \
    -reqout ir_implicitconf_mac.der -rspout ip_implicitconf_mac.der

# negative ip: status rejection (2), failInfo badPOP (bit 9)
cmp_run fail rejected -cmd ir "${MAC[@]}" "${ENROLL[@]}" \
    -pkistatus 2 -failure 9 -statusstring "test rejection" \
    -reqout "$TMP/ir_rej.der" -rspout ip_rejected_mac.der

# unprotected request (mock server told to accept it), signed ip
cmp_run ok unprot -cmd ir -unprotected_requests -accept_unprotected \
    "${SIG_SRV[@]}" -trusted "$C/root.crt" -untrusted "$C/interm.crt" \
    "${ENROLL[@]}" \
    -reqout ir_unprotected.der -rspout "$TMP/ip_unprot.der"

# unprotected error message, accepted by the client with -unprotected_errors
cmp_run fail unprot_err -cmd ir "${MAC[@]}" "${ENROLL[@]}" \
    -send_error -send_unprotected -unprotected_errors \
    -reqout "$TMP/ir_unprot_err.der" -rspout error_unprotected.der

# signature protection with other client key types (3.0 cannot sign CMP
# messages with RSA-PSS, Ed25519 or Ed448 keys: "unsupported key type")
for k in rsa p384; do
    cmp_run ok ir_sig_$k -cmd ir -cert "$C/client_$k.crt" -key "$C/client_$k.key" \
        -trusted "$C/root.crt" -untrusted "$C/interm.crt" "${SIG_SRV[@]}" \
        "${ENROLL[@]}" -reqout ir_sig_$k.der -rspout ip_sig_$k.der
done

# POPO signatures made with each client key type (MAC protection; the mock
# server answers with the certificate of that same key)
for k in rsa rsapss p384 ed25519 ed448; do
    cmp_run ok ir_popo_$k -cmd ir "${MAC[@]}" -rsp_cert "$C/client_$k.crt" \
        -subject "/C=DE/O=pkixcmp test/CN=pkixcmp test client $k" \
        -newkey "$C/client_$k.key" -certout "$TMP/new.crt" \
        -reqout ir_popo_${k}_mac.der,certConf_popo_${k}_mac.der \
        -rspout ip_popo_${k}_mac.der
done

# ----------------------------------------------------------------- check
for p in mac sig; do
    check ir_$p.der 0;       check ip_$p.der 1
    check certConf_$p.der 24; check pkiConf_$p.der 19
    check cr_$p.der 2;       check cp_$p.der 3
    check kur_$p.der 7;      check kup_$p.der 8
    check p10cr_$p.der 4;    check cp_p10cr_$p.der 3
    check rr_$p.der 11;      check rp_$p.der 12
    check genm_$p.der 21;    check genp_$p.der 22
    check genm_signKeyPairTypes_$p.der 21; check genp_signKeyPairTypes_$p.der 22
    check error_$p.der 23
    check ip_waiting_$p.der 1
    check pollReq_$p.der 25; check pollRep_$p.der 26
done
check ir_implicitconf_mac.der 0; check ip_implicitconf_mac.der 1
check ip_rejected_mac.der 1
check ir_unprotected.der 0
check error_unprotected.der 23
for k in rsa p384; do check ir_sig_$k.der 0; check ip_sig_$k.der 1; done
for k in rsa rsapss p384 ed25519 ed448; do
    check ir_popo_${k}_mac.der 0; check certConf_popo_${k}_mac.der 24
    check ip_popo_${k}_mac.der 1
done

n=(./*.der)
echo "mkfixtures.sh: ${#n[@]} fixtures written to $DIR"
