#!/usr/bin/env bash
# 11-inspect-v3: the structures OpenSSL 3.0 cannot emit (hand-built fixtures
# in test/data/v3) print with their RFC 9810 field and type names.
. "$(dirname "$0")/lib.sh"
d="$top_srcdir/test/data/v3"

# js FIXTURE FILTER DESCRIPTION: jq filter true on the JSON of the fixture
js() {
  "$PKIXCMP" -inspect "$d/$1.der" -inspect_format json > "$TMPD/$1.json" 2>"$TMPD/err" \
    && jq -e "$2" "$TMPD/$1.json" >/dev/null 2>&1
  local s=$?
  ok $s "$1: $3"
  [ $s -eq 0 ] || { echo "# jq '$2' is not true on:"; head -c 1500 "$TMPD/$1.json" | sed 's/^/#   /'; cat "$TMPD/err"; }
}

js certConf_v3_hashalg '.header.pvno == 3 and (.body.content[0].hashAlg | startswith("sha256"))' "pvno 3 and CertStatus.hashAlg"
js ckuann_v3 '.body.content.cAKeyUpdAnnV3.newWithNew.subject | test("untrusted root")' "ckuann with RootCaKeyUpdateContent"
js ckuann_v2 '.body.content.cAKeyUpdAnnV2 | has("oldWithNew") and has("newWithOld") and has("newWithNew")' "ckuann with CAKeyUpdAnnContent"
js ip_v3_envelopeddata '.body.content.response[0].certifiedKeyPair.certOrEncCert.encryptedCert.envelopedData.recipientInfos >= 1' "encryptedCert as EnvelopedData, opened with the CMS API"
js ip_encryptedvalue '.body.content.response[0].certifiedKeyPair.certOrEncCert.encryptedCert.encryptedValue | has("encValue")' "encryptedCert as EncryptedValue"
js ir_v3_popo_encryptedkey '.body.content[0].popo.keyEncipherment.encryptedKey.contentType | startswith("id-ct-encKeyWithID")' "POPOPrivKey.encryptedKey EnvelopedData"
js ir_v3_agreemac '.body.content[0].popo.keyAgreement | has("agreeMAC")' "POPOPrivKey.agreeMAC"
js nested '.body.type == "nested" and (.body.content | length == 2) and .body.content[1].body.type == "genm"' "nested PKIMessages"
js genm_kem '.header.protectionAlg.algorithm | startswith("id-KemBasedMac")' "id-KemBasedMac with KemBMParameter"
js genm_kem '.header.protectionAlg.parameters.len == 32' "KemBMParameter.len"
js genm_kem '.body.content[0].infoValue.kem | startswith("id-alg-ml-kem-768")' "KemCiphertextInfo (id-it 24) typed"
js genm_kem '.body.content[1] | has("infoValue") | not' "absent infoValue stays absent"
js pbmac1 '.header.protectionAlg.parameters.keyDerivationFunc.parameters.iterationCount == 10000' "PBMAC1 with PBKDF2 parameters"
js dhbm '.header.protectionAlg.algorithm | startswith("id-DHBasedMac")' "id-DHBasedMac with DHBMParameter"
js genp_v3_all '[.body.content[].infoType] | any(startswith("id-it-rootCaCert"))' "id-it 20 (unknown to OpenSSL 3.0) by name"
js genp_v3_all '.body.content[] | select(.infoType | startswith("id-it-crlStatusList")) | .infoValue[0].source.dpn != null' "CRLStatus with CRLSource dpn"
js genp_v3_all '.body.content[] | select(.infoType == "1.2.3.4.5") | .infoValue == "0C1C76616C7565206F6620616E20756E6B6E6F776E20696E666F54797065"' "unknown infoType keeps its raw value"
js genp_v3_all '.body.content[] | select(.infoType | startswith("id-it-certReqTemplate")) | .infoValue.keySpec | length >= 1' "CertReqTemplateContent with keySpec"
js ir_controls '[.body.content[0].certReq.controls[].type] | length >= 8' "all controls listed"
js ir_controls '.body.content[0].certReq.controls[] | select(.type | startswith("id-regCtrl-rsaKeyLen")) | .value == 2048' "id-regCtrl-rsaKeyLen typed"
js ir_controls '.body.content[0].certReq.controls[] | select(.type | startswith("id-regCtrl-oldCertID")) | .value.serialNumber != null' "oldCertID as CertId"
js krp '.body.content | has("keyPairHist") and has("newSigCert")' "KeyRecRepContent"
js rann '.body.content | has("willBeRevokedAt") and has("badSinceDate")' "RevAnnContent"
js crlann '.body.content[0].issuer | test("intermediate")' "CRLAnnContent"
js popdecc_v3 '.body.content[0].encryptedRand.recipientInfos >= 1' "Challenge.encryptedRand"
js popdecr '.body.content | length >= 1' "POPODecKeyRespContent"
js rp_full '.body.content | has("revCerts") and has("crls")' "RevRepContent with revCerts and crls"
js error_full '.body.content.pKIStatusInfo.failInfo == ["badAlg","badPOP","unsupportedVersion","duplicateCertReq"]' "failInfo bits 0, 9, 22, 26 by name"
done_testing
