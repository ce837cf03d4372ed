#!/usr/bin/env bash
# 10-inspect: pkixcmp -inspect prints openssl cmp's messages (DER, PEM,
# base64) as text and JSON, and refuses malformed input with exit status 1,
# naming the ASN.1 type and byte offset.
. "$(dirname "$0")/lib.sh"
d="$top_srcdir/test/data"

# jq_is FILE FILTER DESCRIPTION: the jq filter must be true on the JSON file
jq_is() {
  jq -e "$2" "$1" >/dev/null 2>&1; local s=$?
  ok $s "$3"
  [ $s -eq 0 ] || { echo "# jq '$2' is not true on:"; head -40 "$1" | sed 's/^/#   /'; }
}

run_ok "inspect ir_mac.der" "$PKIXCMP" -inspect "$d/ir_mac.der"
cp "$TMPD/out" "$TMPD/ir.txt"
has "$TMPD/ir.txt" '^  pvno: 2$' "text shows pvno"
has "$TMPD/ir.txt" '^  type: ir$' "text shows the body type"
has "$TMPD/ir.txt" 'algorithm: id-PasswordBasedMac \(1\.2\.840\.113533\.7\.66\.13\)' "text names the protection algorithm"
has "$TMPD/ir.txt" 'iterationCount: 500' "text shows the PBM parameters"
has "$TMPD/ir.txt" 'senderKID: 34:37:31:31' "text shows senderKID (the reference 4711) in hex"
has "$TMPD/ir.txt" 'subject: /C=DE/O=pkixcmp test/CN=pkixcmp test client P-256' "text shows the template subject"

run_ok "inspect ir_mac.der as JSON" "$PKIXCMP" -inspect "$d/ir_mac.der" -inspect_format json
cp "$TMPD/out" "$TMPD/ir.json"
jq_is "$TMPD/ir.json" '.header.pvno == 2' "JSON: pvno is the number 2"
jq_is "$TMPD/ir.json" '.body.type == "ir"' "JSON: body type"
jq_is "$TMPD/ir.json" '.body.content[0].certReq.certReqId == 0' "JSON: certReqId"
jq_is "$TMPD/ir.json" '.body.content[0].popo | has("signature")' "JSON: POP type signature"
jq_is "$TMPD/ir.json" '.header.transactionID | test("^[0-9A-F]{32}$")' "JSON: transactionID as hex"
# the text and JSON trees hold the same transactionID
tid=$(jq -r .header.transactionID "$TMPD/ir.json")
tid_text=$(sed -n 's/^  transactionID: //p' "$TMPD/ir.txt" | tr -d ':')
[ "$tid" = "$tid_text" ]; ok $? "text and JSON show the same transactionID"

run_ok "inspect ip_rejected_mac.der as JSON" "$PKIXCMP" -inspect "$d/ip_rejected_mac.der" -inspect_format json
cp "$TMPD/out" "$TMPD/rej.json"
jq_is "$TMPD/rej.json" '.body.content.response[0].status.status == "rejection"' "JSON: status by name"
jq_is "$TMPD/rej.json" '.body.content.response[0].status.failInfo == ["badPOP"]' "JSON: failInfo bit names"
jq_is "$TMPD/rej.json" '.body.content.response[0].status.statusString == ["test rejection"]' "JSON: statusString"

run_ok "inspect ip_mac.der as JSON" "$PKIXCMP" -inspect "$d/ip_mac.der" -inspect_format json
jq_is "$TMPD/out" '.body.content.response[0].certifiedKeyPair.certOrEncCert.certificate.subject | test("CN=pkixcmp test client P-256")' \
  "JSON: the issued certificate's subject"
run_ok "inspect ip_sig.der as JSON" "$PKIXCMP" -inspect "$d/ip_sig.der" -inspect_format json
jq_is "$TMPD/out" '.extraCerts | length >= 1 and (.[0].subject | test("CMP server"))' "JSON: extraCerts listed by subject"

run_ok "inspect genp_signKeyPairTypes_mac.der as JSON" "$PKIXCMP" -inspect "$d/genp_signKeyPairTypes_mac.der" -inspect_format json
jq_is "$TMPD/out" '.body.content[0].infoType | startswith("id-it-signKeyPairTypes")' "JSON: genp item by name"

run_ok "inspect rr_mac.der" "$PKIXCMP" -inspect "$d/rr_mac.der"
has "$TMPD/out" 'serialNumber: ' "text shows the serial number to revoke"
run_ok "inspect pollRep_mac.der" "$PKIXCMP" -inspect "$d/pollRep_mac.der"
has "$TMPD/out" 'checkAfter: 0' "text shows checkAfter"
run_ok "inspect certConf_mac.der" "$PKIXCMP" -inspect "$d/certConf_mac.der"
has "$TMPD/out" '^ *certHash:' "text shows certHash"

# PEM (any label) and bare base64 give the same tree as DER
"$PKIXCMP" -inspect "$d/ir_mac.der" > "$TMPD/der.txt"
{ echo "-----BEGIN PKIMESSAGE-----"; base64 -w 64 "$d/ir_mac.der"; echo "-----END PKIMESSAGE-----"; } > "$TMPD/ir.pem"
run_ok "inspect PEM" "$PKIXCMP" -inspect "$TMPD/ir.pem"
cmp -s "$TMPD/out" "$TMPD/der.txt"; ok $? "PEM gives the same output as DER"
base64 "$d/ir_mac.der" > "$TMPD/ir.b64"
run_ok "inspect base64" "$PKIXCMP" -inspect "$TMPD/ir.b64"
cmp -s "$TMPD/out" "$TMPD/der.txt"; ok $? "base64 gives the same output as DER"

# failures: exit status 1 and a precise message
run_fail "missing file" "$PKIXCMP" -inspect "$TMPD/nonexistent.der"
has "$TMPD/err" "cannot open .*nonexistent.der" "missing file is named"
printf 'this is not a message' > "$TMPD/junk"
run_fail "junk input" "$PKIXCMP" -inspect "$TMPD/junk"
has "$TMPD/err" "neither DER, PEM nor" "junk is called what it is"
run_fail "bad -inspect_format" "$PKIXCMP" -inspect "$d/ir_mac.der" -inspect_format xml
has "$TMPD/err" "must be text or json" "bad format is named"
run_fail "message over -max_msg_size" "$PKIXCMP" -inspect "$d/ir_mac.der" -max_msg_size 100
has "$TMPD/err" "exceed|limit" "size limit error says so"
head -c 200 "$d/ir_mac.der" > "$TMPD/trunc.der"
run_fail "truncated message" "$PKIXCMP" -inspect "$TMPD/trunc.der"
has "$TMPD/err" "DER truncated: PKIMessage: .*offset [0-9]+" "truncation names type and offset"

bad="$d/v3/bad"
run_fail "indefinite length" "$PKIXCMP" -inspect "$bad/indefinite_header.der"
has "$TMPD/err" "indefinite length .*offset 3" "indefinite length at its offset"
run_fail "trailing byte" "$PKIXCMP" -inspect "$bad/trailing_byte.der"
has "$TMPD/err" "trailing byte at offset [0-9]+" "trailing byte at its offset"
run_fail "pvno as OCTET STRING" "$PKIXCMP" -inspect "$bad/pvno_octetstring.der"
has "$TMPD/err" "header.*pvno.*expected INTEGER, found 0x04.*offset 5" "wrong tag names the field, the tags and the offset"
run_fail "body tag [27]" "$PKIXCMP" -inspect "$bad/body_tag27.der"
has "$TMPD/err" "body.*found 0xbb.*offset [0-9]+" "unknown body tag named"
run_fail "implicit BOOLEAN not 0xFF" "$PKIXCMP" -inspect "$bad/boolean_not_ff.der"
has "$TMPD/err" "archiveRemGenPrivKey BOOLEAN is not 0x00 or 0xFF" "non-DER BOOLEAN is refused"
done_testing
