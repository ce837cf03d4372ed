/*
 * asn1_crmf.c - ASN.1 templates of CRMF (RFC 4211 Appendix B, module
 * PKIXCRMF-2005, DEFINITIONS IMPLICIT TAGS).
 *
 * In the IMPLICIT environment a tag on a CHOICE (Name, Time, GeneralName,
 * EncryptedKey, POPOPrivKey) is necessarily EXPLICIT (X.680 31.2.7); every
 * other tag here is IMPLICIT. The ASN.1 definition is above each template.
 */
#include "asn1_types.h"
#include "internal.h"
#include "spki.h"

/* AttributeTypeAndValue ::= SEQUENCE {
 *     type         OBJECT IDENTIFIER,
 *     value        ANY DEFINED BY type } */
ASN1_SEQUENCE(PKIXCMP_AttributeTypeAndValue) = {
    ASN1_SIMPLE(PKIXCMP_AttributeTypeAndValue, type, ASN1_OBJECT),
    ASN1_SIMPLE(PKIXCMP_AttributeTypeAndValue, value, ASN1_ANY),
} ASN1_SEQUENCE_END(PKIXCMP_AttributeTypeAndValue)

/* Controls ::= SEQUENCE SIZE(1..MAX) OF AttributeTypeAndValue */
ASN1_ITEM_TEMPLATE(PKIXCMP_Controls) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, Controls,
                          PKIXCMP_AttributeTypeAndValue)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_Controls)

/* OptionalValidity ::= SEQUENCE {
 *     notBefore  [0] Time OPTIONAL,
 *     notAfter   [1] Time OPTIONAL } -- at least one MUST be present */
ASN1_SEQUENCE(PKIXCMP_OptionalValidity) = {
    ASN1_EXP_OPT(PKIXCMP_OptionalValidity, notBefore, ASN1_TIME, 0),
    ASN1_EXP_OPT(PKIXCMP_OptionalValidity, notAfter, ASN1_TIME, 1),
} ASN1_SEQUENCE_END(PKIXCMP_OptionalValidity)

/* CertTemplate ::= SEQUENCE {
 *     version      [0] Version               OPTIONAL,
 *     serialNumber [1] INTEGER               OPTIONAL,
 *     signingAlg   [2] AlgorithmIdentifier   OPTIONAL,
 *     issuer       [3] Name                  OPTIONAL,
 *     validity     [4] OptionalValidity      OPTIONAL,
 *     subject      [5] Name                  OPTIONAL,
 *     publicKey    [6] SubjectPublicKeyInfo  OPTIONAL,
 *     issuerUID    [7] UniqueIdentifier      OPTIONAL,
 *     subjectUID   [8] UniqueIdentifier      OPTIONAL,
 *     extensions   [9] Extensions            OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CertTemplate) = {
    ASN1_IMP_OPT(PKIXCMP_CertTemplate, version, ASN1_INTEGER, 0),
    ASN1_IMP_OPT(PKIXCMP_CertTemplate, serialNumber, ASN1_INTEGER, 1),
    ASN1_IMP_OPT(PKIXCMP_CertTemplate, signingAlg, X509_ALGOR, 2),
    ASN1_EXP_OPT(PKIXCMP_CertTemplate, issuer, X509_NAME, 3),
    ASN1_IMP_OPT(PKIXCMP_CertTemplate, validity, PKIXCMP_OptionalValidity, 4),
    ASN1_EXP_OPT(PKIXCMP_CertTemplate, subject, X509_NAME, 5),
    ASN1_IMP_OPT(PKIXCMP_CertTemplate, publicKey, PXC_PUBKEY, 6),
    ASN1_IMP_OPT(PKIXCMP_CertTemplate, issuerUID, ASN1_BIT_STRING, 7),
    ASN1_IMP_OPT(PKIXCMP_CertTemplate, subjectUID, ASN1_BIT_STRING, 8),
    ASN1_IMP_SEQUENCE_OF_OPT(PKIXCMP_CertTemplate, extensions, X509_EXTENSION, 9),
} ASN1_SEQUENCE_END(PKIXCMP_CertTemplate)

/* CertId ::= SEQUENCE {
 *     issuer           GeneralName,
 *     serialNumber     INTEGER } */
ASN1_SEQUENCE(PKIXCMP_CertId) = {
    ASN1_SIMPLE(PKIXCMP_CertId, issuer, GENERAL_NAME),
    ASN1_SIMPLE(PKIXCMP_CertId, serialNumber, ASN1_INTEGER),
} ASN1_SEQUENCE_END(PKIXCMP_CertId)

/* SinglePubInfo ::= SEQUENCE {
 *     pubMethod    INTEGER { dontCare(0), x500(1), web(2), ldap(3) },
 *     pubLocation  GeneralName OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_SinglePubInfo) = {
    ASN1_SIMPLE(PKIXCMP_SinglePubInfo, pubMethod, ASN1_INTEGER),
    ASN1_OPT(PKIXCMP_SinglePubInfo, pubLocation, GENERAL_NAME),
} ASN1_SEQUENCE_END(PKIXCMP_SinglePubInfo)

/* PKIPublicationInfo ::= SEQUENCE {
 *     action     INTEGER { dontPublish(0), pleasePublish(1) },
 *     pubInfos   SEQUENCE SIZE (1..MAX) OF SinglePubInfo OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_PKIPublicationInfo) = {
    ASN1_SIMPLE(PKIXCMP_PKIPublicationInfo, action, ASN1_INTEGER),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_PKIPublicationInfo, pubInfos, PKIXCMP_SinglePubInfo),
} ASN1_SEQUENCE_END(PKIXCMP_PKIPublicationInfo)

/* EncryptedValue ::= SEQUENCE {
 *     intendedAlg   [0] AlgorithmIdentifier  OPTIONAL,
 *     symmAlg       [1] AlgorithmIdentifier  OPTIONAL,
 *     encSymmKey    [2] BIT STRING           OPTIONAL,
 *     keyAlg        [3] AlgorithmIdentifier  OPTIONAL,
 *     valueHint     [4] OCTET STRING         OPTIONAL,
 *     encValue       BIT STRING } */
ASN1_SEQUENCE(PKIXCMP_EncryptedValue) = {
    ASN1_IMP_OPT(PKIXCMP_EncryptedValue, intendedAlg, X509_ALGOR, 0),
    ASN1_IMP_OPT(PKIXCMP_EncryptedValue, symmAlg, X509_ALGOR, 1),
    ASN1_IMP_OPT(PKIXCMP_EncryptedValue, encSymmKey, ASN1_BIT_STRING, 2),
    ASN1_IMP_OPT(PKIXCMP_EncryptedValue, keyAlg, X509_ALGOR, 3),
    ASN1_IMP_OPT(PKIXCMP_EncryptedValue, valueHint, ASN1_OCTET_STRING, 4),
    ASN1_SIMPLE(PKIXCMP_EncryptedValue, encValue, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(PKIXCMP_EncryptedValue)

/* EncryptedKey ::= CHOICE {
 *     encryptedValue        EncryptedValue,   -- Deprecated
 *     envelopedData     [0] EnvelopedData } */
ASN1_CHOICE(PKIXCMP_EncryptedKey) = {
    ASN1_SIMPLE(PKIXCMP_EncryptedKey, value.encryptedValue, PKIXCMP_EncryptedValue),
    ASN1_IMP(PKIXCMP_EncryptedKey, value.envelopedData, ASN1_SEQUENCE, 0),
} ASN1_CHOICE_END(PKIXCMP_EncryptedKey)

/*
 * DER (X.690 11.1): a BOOLEAN TRUE is 0xFF. OpenSSL's decoder keeps any
 * non-zero octet and encodes it back unchanged, and the structural check
 * cannot see this one BOOLEAN under its IMPLICIT tag, so check it here.
 */
static int archive_options_cb(int op, ASN1_VALUE **pval, const ASN1_ITEM *it, void *exarg)
{
    const PKIXCMP_PKIArchiveOptions *ao = (const PKIXCMP_PKIArchiveOptions *)*pval;

    (void)it;
    (void)exarg;
    if (op != ASN1_OP_D2I_POST || ao->type != 2)
        return 1;
    if (ao->value.archiveRemGenPrivKey != 0 && ao->value.archiveRemGenPrivKey != 0xFF) {
        PXC_ERR(PKIXCMP_E_ASN1_DECODE,
                "PKIArchiveOptions: archiveRemGenPrivKey BOOLEAN is not 0x00 or 0xFF");
        return 0;
    }
    return 1;
}

/* PKIArchiveOptions ::= CHOICE {
 *     encryptedPrivKey     [0] EncryptedKey,
 *     keyGenParameters     [1] KeyGenParameters,   -- OCTET STRING
 *     archiveRemGenPrivKey [2] BOOLEAN } */
ASN1_CHOICE_cb(PKIXCMP_PKIArchiveOptions, archive_options_cb) = {
    ASN1_EXP(PKIXCMP_PKIArchiveOptions, value.encryptedPrivKey, PKIXCMP_EncryptedKey, 0),
    ASN1_IMP(PKIXCMP_PKIArchiveOptions, value.keyGenParameters, ASN1_OCTET_STRING, 1),
    ASN1_IMP(PKIXCMP_PKIArchiveOptions, value.archiveRemGenPrivKey, ASN1_BOOLEAN, 2),
} ASN1_CHOICE_END_cb(PKIXCMP_PKIArchiveOptions, PKIXCMP_PKIArchiveOptions, type)

/* PKMACValue ::= SEQUENCE {
 *     algId  AlgorithmIdentifier,
 *     value  BIT STRING } */
ASN1_SEQUENCE(PKIXCMP_PKMACValue) = {
    ASN1_SIMPLE(PKIXCMP_PKMACValue, algId, X509_ALGOR),
    ASN1_SIMPLE(PKIXCMP_PKMACValue, value, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(PKIXCMP_PKMACValue)

/* authInfo CHOICE {
 *     sender              [0] GeneralName,
 *     publicKeyMAC        PKMACValue } */
ASN1_CHOICE(PKIXCMP_AuthInfo) = {
    ASN1_EXP(PKIXCMP_AuthInfo, value.sender, GENERAL_NAME, 0),
    ASN1_SIMPLE(PKIXCMP_AuthInfo, value.publicKeyMAC, PKIXCMP_PKMACValue),
} ASN1_CHOICE_END(PKIXCMP_AuthInfo)

/* POPOSigningKeyInput ::= SEQUENCE {
 *     authInfo            CHOICE { ... },
 *     publicKey           SubjectPublicKeyInfo } */
ASN1_SEQUENCE(PKIXCMP_POPOSigningKeyInput) = {
    ASN1_SIMPLE(PKIXCMP_POPOSigningKeyInput, authInfo, PKIXCMP_AuthInfo),
    ASN1_SIMPLE(PKIXCMP_POPOSigningKeyInput, publicKey, PXC_PUBKEY),
} ASN1_SEQUENCE_END(PKIXCMP_POPOSigningKeyInput)

/* POPOSigningKey ::= SEQUENCE {
 *     poposkInput           [0] POPOSigningKeyInput OPTIONAL,
 *     algorithmIdentifier   AlgorithmIdentifier,
 *     signature             BIT STRING } */
ASN1_SEQUENCE(PKIXCMP_POPOSigningKey) = {
    ASN1_IMP_OPT(PKIXCMP_POPOSigningKey, poposkInput, PKIXCMP_POPOSigningKeyInput, 0),
    ASN1_SIMPLE(PKIXCMP_POPOSigningKey, algorithmIdentifier, X509_ALGOR),
    ASN1_SIMPLE(PKIXCMP_POPOSigningKey, signature, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(PKIXCMP_POPOSigningKey)

/* POPOPrivKey ::= CHOICE {
 *     thisMessage       [0] BIT STRING,         -- Deprecated
 *     subsequentMessage [1] SubsequentMessage,  -- INTEGER
 *     dhMAC             [2] BIT STRING,         -- Deprecated
 *     agreeMAC          [3] PKMACValue,
 *     encryptedKey      [4] EnvelopedData } */
ASN1_CHOICE(PKIXCMP_POPOPrivKey) = {
    ASN1_IMP(PKIXCMP_POPOPrivKey, value.thisMessage, ASN1_BIT_STRING, 0),
    ASN1_IMP(PKIXCMP_POPOPrivKey, value.subsequentMessage, ASN1_INTEGER, 1),
    ASN1_IMP(PKIXCMP_POPOPrivKey, value.dhMAC, ASN1_BIT_STRING, 2),
    ASN1_IMP(PKIXCMP_POPOPrivKey, value.agreeMAC, PKIXCMP_PKMACValue, 3),
    ASN1_IMP(PKIXCMP_POPOPrivKey, value.encryptedKey, ASN1_SEQUENCE, 4),
} ASN1_CHOICE_END(PKIXCMP_POPOPrivKey)

/* ProofOfPossession ::= CHOICE {
 *     raVerified        [0] NULL,
 *     signature         [1] POPOSigningKey,
 *     keyEncipherment   [2] POPOPrivKey,
 *     keyAgreement      [3] POPOPrivKey } */
ASN1_CHOICE(PKIXCMP_ProofOfPossession) = {
    ASN1_IMP(PKIXCMP_ProofOfPossession, value.raVerified, ASN1_NULL, 0),
    ASN1_IMP(PKIXCMP_ProofOfPossession, value.signature, PKIXCMP_POPOSigningKey, 1),
    ASN1_EXP(PKIXCMP_ProofOfPossession, value.keyEncipherment, PKIXCMP_POPOPrivKey, 2),
    ASN1_EXP(PKIXCMP_ProofOfPossession, value.keyAgreement, PKIXCMP_POPOPrivKey, 3),
} ASN1_CHOICE_END(PKIXCMP_ProofOfPossession)

/* CertRequest ::= SEQUENCE {
 *     certReqId     INTEGER,
 *     certTemplate  CertTemplate,
 *     controls      Controls OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CertRequest) = {
    ASN1_SIMPLE(PKIXCMP_CertRequest, certReqId, ASN1_INTEGER),
    ASN1_SIMPLE(PKIXCMP_CertRequest, certTemplate, PKIXCMP_CertTemplate),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_CertRequest, controls, PKIXCMP_AttributeTypeAndValue),
} ASN1_SEQUENCE_END(PKIXCMP_CertRequest)

/* CertReqMsg ::= SEQUENCE {
 *     certReq   CertRequest,
 *     popo      ProofOfPossession  OPTIONAL,
 *     regInfo   SEQUENCE SIZE(1..MAX) OF AttributeTypeAndValue OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CertReqMsg) = {
    ASN1_SIMPLE(PKIXCMP_CertReqMsg, certReq, PKIXCMP_CertRequest),
    ASN1_OPT(PKIXCMP_CertReqMsg, popo, PKIXCMP_ProofOfPossession),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_CertReqMsg, regInfo, PKIXCMP_AttributeTypeAndValue),
} ASN1_SEQUENCE_END(PKIXCMP_CertReqMsg)

/* CertReqMessages ::= SEQUENCE SIZE (1..MAX) OF CertReqMsg */
ASN1_ITEM_TEMPLATE(PKIXCMP_CertReqMessages) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, CertReqMessages, PKIXCMP_CertReqMsg)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_CertReqMessages)

/* EncKeyWithID ::= SEQUENCE {
 *     privateKey           PrivateKeyInfo,
 *     identifier CHOICE {
 *         string             UTF8String,
 *         generalName        GeneralName } OPTIONAL } */
ASN1_CHOICE(PKIXCMP_EncKeyWithIDIdentifier) = {
    ASN1_SIMPLE(PKIXCMP_EncKeyWithIDIdentifier, value.string, ASN1_UTF8STRING),
    ASN1_SIMPLE(PKIXCMP_EncKeyWithIDIdentifier, value.generalName, GENERAL_NAME),
} ASN1_CHOICE_END(PKIXCMP_EncKeyWithIDIdentifier)

ASN1_SEQUENCE(PKIXCMP_EncKeyWithID) = {
    ASN1_SIMPLE(PKIXCMP_EncKeyWithID, privateKey, PKCS8_PRIV_KEY_INFO),
    ASN1_OPT(PKIXCMP_EncKeyWithID, identifier, PKIXCMP_EncKeyWithIDIdentifier),
} ASN1_SEQUENCE_END(PKIXCMP_EncKeyWithID)
