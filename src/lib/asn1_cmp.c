/*
 * asn1_cmp.c - ASN.1 templates of CMP (RFC 9810 Appendix F, module
 * PKIXCMP-2023, DEFINITIONS EXPLICIT TAGS): every [n] here is EXPLICIT.
 * The ASN.1 definition is above each template.
 */
#include "asn1_types.h"
#include "cert_der.h"

/* PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
 * OpenSSL refuses OPTIONAL on an item template, so untagged OPTIONAL fields of
 * this type (and of Controls) use ASN1_SEQUENCE_OF_OPT on the element. */
ASN1_ITEM_TEMPLATE(PKIXCMP_PKIFreeText) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, PKIFreeText, ASN1_UTF8STRING)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_PKIFreeText)

/* InfoTypeAndValue ::= SEQUENCE {
 *     infoType    INFO-TYPE-AND-VALUE.&id({SupportedInfoSet}),
 *     infoValue   INFO-TYPE-AND-VALUE.&Type({SupportedInfoSet}{@infoType}) }
 * infoValue is OPTIONAL as in section 5.3.19 (the 1988 syntax): genm
 * requests for caCerts, certReqTemplate ... carry no value. */
ASN1_SEQUENCE(PKIXCMP_InfoTypeAndValue) = {
    ASN1_SIMPLE(PKIXCMP_InfoTypeAndValue, infoType, ASN1_OBJECT),
    ASN1_OPT(PKIXCMP_InfoTypeAndValue, infoValue, ASN1_ANY),
} ASN1_SEQUENCE_END(PKIXCMP_InfoTypeAndValue)

/* GenMsgContent ::= SEQUENCE OF InfoTypeAndValue */
ASN1_ITEM_TEMPLATE(PKIXCMP_GenMsgContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, GenMsgContent, PKIXCMP_InfoTypeAndValue)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_GenMsgContent)

/* GenRepContent ::= SEQUENCE OF InfoTypeAndValue */
ASN1_ITEM_TEMPLATE(PKIXCMP_GenRepContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, GenRepContent, PKIXCMP_InfoTypeAndValue)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_GenRepContent)

/* PKIHeader ::= SEQUENCE {
 *     pvno                INTEGER { cmp1999(1), cmp2000(2), cmp2021(3) },
 *     sender              GeneralName,
 *     recipient           GeneralName,
 *     messageTime     [0] GeneralizedTime         OPTIONAL,
 *     protectionAlg   [1] AlgorithmIdentifier     OPTIONAL,
 *     senderKID       [2] KeyIdentifier           OPTIONAL,
 *     recipKID        [3] KeyIdentifier           OPTIONAL,
 *     transactionID   [4] OCTET STRING            OPTIONAL,
 *     senderNonce     [5] OCTET STRING            OPTIONAL,
 *     recipNonce      [6] OCTET STRING            OPTIONAL,
 *     freeText        [7] PKIFreeText             OPTIONAL,
 *     generalInfo     [8] SEQUENCE SIZE (1..MAX) OF
 *                         InfoTypeAndValue     OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_PKIHeader) = {
    ASN1_SIMPLE(PKIXCMP_PKIHeader, pvno, ASN1_INTEGER),
    ASN1_SIMPLE(PKIXCMP_PKIHeader, sender, GENERAL_NAME),
    ASN1_SIMPLE(PKIXCMP_PKIHeader, recipient, GENERAL_NAME),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, messageTime, ASN1_GENERALIZEDTIME, 0),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, protectionAlg, X509_ALGOR, 1),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, senderKID, ASN1_OCTET_STRING, 2),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, recipKID, ASN1_OCTET_STRING, 3),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, transactionID, ASN1_OCTET_STRING, 4),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, senderNonce, ASN1_OCTET_STRING, 5),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, recipNonce, ASN1_OCTET_STRING, 6),
    ASN1_EXP_OPT(PKIXCMP_PKIHeader, freeText, PKIXCMP_PKIFreeText, 7),
    ASN1_EXP_SEQUENCE_OF_OPT(PKIXCMP_PKIHeader, generalInfo, PKIXCMP_InfoTypeAndValue, 8),
} ASN1_SEQUENCE_END(PKIXCMP_PKIHeader)

/* PKIStatus ::= INTEGER { accepted (0) .. keyUpdateWarning (6) }
 * PKIFailureInfo ::= BIT STRING { badAlg (0) .. duplicateCertReq (26) }
 * Primitive items of their own (not item templates, which cannot be absent
 * when OPTIONAL), so the printer can name their values. */
IMPLEMENT_ASN1_TYPE_ex(PKIXCMP_PKIStatus, ASN1_INTEGER, 0)
IMPLEMENT_ASN1_TYPE_ex(PKIXCMP_PKIFailureInfo, ASN1_BIT_STRING, 0)

/* PKIStatusInfo ::= SEQUENCE {
 *     status        PKIStatus,
 *     statusString  PKIFreeText     OPTIONAL,
 *     failInfo      PKIFailureInfo  OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_PKIStatusInfo) = {
    ASN1_SIMPLE(PKIXCMP_PKIStatusInfo, status, PKIXCMP_PKIStatus),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_PKIStatusInfo, statusString, ASN1_UTF8STRING),
    ASN1_OPT(PKIXCMP_PKIStatusInfo, failInfo, PKIXCMP_PKIFailureInfo),
} ASN1_SEQUENCE_END(PKIXCMP_PKIStatusInfo)

/* CertOrEncCert ::= CHOICE {
 *     certificate     [0] CMPCertificate,
 *     encryptedCert   [1] EncryptedKey } */
ASN1_CHOICE(PKIXCMP_CertOrEncCert) = {
    ASN1_EXP(PKIXCMP_CertOrEncCert, value.certificate, PXC_CERT, 0),
    ASN1_EXP(PKIXCMP_CertOrEncCert, value.encryptedCert, PKIXCMP_EncryptedKey, 1),
} ASN1_CHOICE_END(PKIXCMP_CertOrEncCert)

/* CertifiedKeyPair ::= SEQUENCE {
 *     certOrEncCert       CertOrEncCert,
 *     privateKey      [0] EncryptedKey      OPTIONAL,
 *     publicationInfo [1] PKIPublicationInfo  OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CertifiedKeyPair) = {
    ASN1_SIMPLE(PKIXCMP_CertifiedKeyPair, certOrEncCert, PKIXCMP_CertOrEncCert),
    ASN1_EXP_OPT(PKIXCMP_CertifiedKeyPair, privateKey, PKIXCMP_EncryptedKey, 0),
    ASN1_EXP_OPT(PKIXCMP_CertifiedKeyPair, publicationInfo, PKIXCMP_PKIPublicationInfo, 1),
} ASN1_SEQUENCE_END(PKIXCMP_CertifiedKeyPair)

/* CertResponse ::= SEQUENCE {
 *     certReqId           INTEGER,
 *     status              PKIStatusInfo,
 *     certifiedKeyPair    CertifiedKeyPair    OPTIONAL,
 *     rspInfo             OCTET STRING        OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CertResponse) = {
    ASN1_SIMPLE(PKIXCMP_CertResponse, certReqId, ASN1_INTEGER),
    ASN1_SIMPLE(PKIXCMP_CertResponse, status, PKIXCMP_PKIStatusInfo),
    ASN1_OPT(PKIXCMP_CertResponse, certifiedKeyPair, PKIXCMP_CertifiedKeyPair),
    ASN1_OPT(PKIXCMP_CertResponse, rspInfo, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(PKIXCMP_CertResponse)

/* CertRepMessage ::= SEQUENCE {
 *     caPubs       [1] SEQUENCE SIZE (1..MAX) OF CMPCertificate OPTIONAL,
 *     response         SEQUENCE OF CertResponse } */
ASN1_SEQUENCE(PKIXCMP_CertRepMessage) = {
    ASN1_EXP_SEQUENCE_OF_OPT(PKIXCMP_CertRepMessage, caPubs, X509, 1),
    ASN1_SEQUENCE_OF(PKIXCMP_CertRepMessage, response, PKIXCMP_CertResponse),
} ASN1_SEQUENCE_END(PKIXCMP_CertRepMessage)

/* Challenge ::= SEQUENCE {
 *     owf                 AlgorithmIdentifier OPTIONAL,
 *     witness             OCTET STRING,
 *     challenge           OCTET STRING,
 *     encryptedRand   [0] EnvelopedData OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_Challenge) = {
    ASN1_OPT(PKIXCMP_Challenge, owf, X509_ALGOR),
    ASN1_SIMPLE(PKIXCMP_Challenge, witness, ASN1_OCTET_STRING),
    ASN1_SIMPLE(PKIXCMP_Challenge, challenge, ASN1_OCTET_STRING),
    ASN1_EXP_OPT(PKIXCMP_Challenge, encryptedRand, ASN1_SEQUENCE, 0),
} ASN1_SEQUENCE_END(PKIXCMP_Challenge)

/* POPODecKeyChallContent ::= SEQUENCE OF Challenge */
ASN1_ITEM_TEMPLATE(PKIXCMP_POPODecKeyChallContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, POPODecKeyChallContent, PKIXCMP_Challenge)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_POPODecKeyChallContent)

/* POPODecKeyRespContent ::= SEQUENCE OF INTEGER */
ASN1_ITEM_TEMPLATE(PKIXCMP_POPODecKeyRespContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, POPODecKeyRespContent, ASN1_INTEGER)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_POPODecKeyRespContent)

/* Rand ::= SEQUENCE {
 *     int                  INTEGER,
 *     sender               GeneralName } */
ASN1_SEQUENCE(PKIXCMP_Rand) = {
    ASN1_SIMPLE(PKIXCMP_Rand, int_, ASN1_INTEGER),
    ASN1_SIMPLE(PKIXCMP_Rand, sender, GENERAL_NAME),
} ASN1_SEQUENCE_END(PKIXCMP_Rand)

/* KeyRecRepContent ::= SEQUENCE {
 *     status                  PKIStatusInfo,
 *     newSigCert          [0] CMPCertificate OPTIONAL,
 *     caCerts             [1] SEQUENCE SIZE (1..MAX) OF CMPCertificate OPTIONAL,
 *     keyPairHist         [2] SEQUENCE SIZE (1..MAX) OF CertifiedKeyPair OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_KeyRecRepContent) = {
    ASN1_SIMPLE(PKIXCMP_KeyRecRepContent, status, PKIXCMP_PKIStatusInfo),
    ASN1_EXP_OPT(PKIXCMP_KeyRecRepContent, newSigCert, X509, 0),
    ASN1_EXP_SEQUENCE_OF_OPT(PKIXCMP_KeyRecRepContent, caCerts, X509, 1),
    ASN1_EXP_SEQUENCE_OF_OPT(PKIXCMP_KeyRecRepContent, keyPairHist, PKIXCMP_CertifiedKeyPair, 2),
} ASN1_SEQUENCE_END(PKIXCMP_KeyRecRepContent)

/* RevDetails ::= SEQUENCE {
 *     certDetails         CertTemplate,
 *     crlEntryDetails     Extensions{{...}}    OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_RevDetails) = {
    ASN1_SIMPLE(PKIXCMP_RevDetails, certDetails, PKIXCMP_CertTemplate),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_RevDetails, crlEntryDetails, X509_EXTENSION),
} ASN1_SEQUENCE_END(PKIXCMP_RevDetails)

/* RevReqContent ::= SEQUENCE OF RevDetails */
ASN1_ITEM_TEMPLATE(PKIXCMP_RevReqContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, RevReqContent, PKIXCMP_RevDetails)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_RevReqContent)

/* RevRepContent ::= SEQUENCE {
 *     status       SEQUENCE SIZE (1..MAX) OF PKIStatusInfo,
 *     revCerts [0] SEQUENCE SIZE (1..MAX) OF CertId OPTIONAL,
 *     crls     [1] SEQUENCE SIZE (1..MAX) OF CertificateList OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_RevRepContent) = {
    ASN1_SEQUENCE_OF(PKIXCMP_RevRepContent, status, PKIXCMP_PKIStatusInfo),
    ASN1_EXP_SEQUENCE_OF_OPT(PKIXCMP_RevRepContent, revCerts, PKIXCMP_CertId, 0),
    ASN1_EXP_SEQUENCE_OF_OPT(PKIXCMP_RevRepContent, crls, X509_CRL, 1),
} ASN1_SEQUENCE_END(PKIXCMP_RevRepContent)

/* CAKeyUpdAnnContent ::= SEQUENCE {
 *     oldWithNew   CMPCertificate, -- old pub signed with new priv
 *     newWithOld   CMPCertificate, -- new pub signed with old priv
 *     newWithNew   CMPCertificate  -- new pub signed with new priv } */
ASN1_SEQUENCE(PKIXCMP_CAKeyUpdAnnContent) = {
    ASN1_SIMPLE(PKIXCMP_CAKeyUpdAnnContent, oldWithNew, X509),
    ASN1_SIMPLE(PKIXCMP_CAKeyUpdAnnContent, newWithOld, X509),
    ASN1_SIMPLE(PKIXCMP_CAKeyUpdAnnContent, newWithNew, X509),
} ASN1_SEQUENCE_END(PKIXCMP_CAKeyUpdAnnContent)

/* RootCaKeyUpdateContent ::= SEQUENCE {
 *     newWithNew       CMPCertificate,
 *     newWithOld   [0] CMPCertificate OPTIONAL,
 *     oldWithNew   [1] CMPCertificate OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_RootCaKeyUpdateContent) = {
    ASN1_SIMPLE(PKIXCMP_RootCaKeyUpdateContent, newWithNew, X509),
    ASN1_EXP_OPT(PKIXCMP_RootCaKeyUpdateContent, newWithOld, X509, 0),
    ASN1_EXP_OPT(PKIXCMP_RootCaKeyUpdateContent, oldWithNew, X509, 1),
} ASN1_SEQUENCE_END(PKIXCMP_RootCaKeyUpdateContent)

/* CAKeyUpdContent ::= CHOICE {
 *     cAKeyUpdAnnV2      CAKeyUpdAnnContent, -- deprecated
 *     cAKeyUpdAnnV3  [0] RootCaKeyUpdateContent } */
ASN1_CHOICE(PKIXCMP_CAKeyUpdContent) = {
    ASN1_SIMPLE(PKIXCMP_CAKeyUpdContent, value.cAKeyUpdAnnV2, PKIXCMP_CAKeyUpdAnnContent),
    ASN1_EXP(PKIXCMP_CAKeyUpdContent, value.cAKeyUpdAnnV3, PKIXCMP_RootCaKeyUpdateContent, 0),
} ASN1_CHOICE_END(PKIXCMP_CAKeyUpdContent)

/* RevAnnContent ::= SEQUENCE {
 *     status              PKIStatus,
 *     certId              CertId,
 *     willBeRevokedAt     GeneralizedTime,
 *     badSinceDate        GeneralizedTime,
 *     crlDetails          Extensions{{...}}  OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_RevAnnContent) = {
    ASN1_SIMPLE(PKIXCMP_RevAnnContent, status, PKIXCMP_PKIStatus),
    ASN1_SIMPLE(PKIXCMP_RevAnnContent, certId, PKIXCMP_CertId),
    ASN1_SIMPLE(PKIXCMP_RevAnnContent, willBeRevokedAt, ASN1_GENERALIZEDTIME),
    ASN1_SIMPLE(PKIXCMP_RevAnnContent, badSinceDate, ASN1_GENERALIZEDTIME),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_RevAnnContent, crlDetails, X509_EXTENSION),
} ASN1_SEQUENCE_END(PKIXCMP_RevAnnContent)

/* CRLAnnContent ::= SEQUENCE OF CertificateList */
ASN1_ITEM_TEMPLATE(PKIXCMP_CRLAnnContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, CRLAnnContent, X509_CRL)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_CRLAnnContent)

/* ErrorMsgContent ::= SEQUENCE {
 *     pKIStatusInfo          PKIStatusInfo,
 *     errorCode              INTEGER           OPTIONAL,
 *     errorDetails           PKIFreeText       OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_ErrorMsgContent) = {
    ASN1_SIMPLE(PKIXCMP_ErrorMsgContent, pKIStatusInfo, PKIXCMP_PKIStatusInfo),
    ASN1_OPT(PKIXCMP_ErrorMsgContent, errorCode, ASN1_INTEGER),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_ErrorMsgContent, errorDetails, ASN1_UTF8STRING),
} ASN1_SEQUENCE_END(PKIXCMP_ErrorMsgContent)

/* CertStatus ::= SEQUENCE {
 *     certHash    OCTET STRING,
 *     certReqId   INTEGER,
 *     statusInfo  PKIStatusInfo OPTIONAL,
 *     hashAlg [0] AlgorithmIdentifier{DIGEST-ALGORITHM, {...}} OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CertStatus) = {
    ASN1_SIMPLE(PKIXCMP_CertStatus, certHash, ASN1_OCTET_STRING),
    ASN1_SIMPLE(PKIXCMP_CertStatus, certReqId, ASN1_INTEGER),
    ASN1_OPT(PKIXCMP_CertStatus, statusInfo, PKIXCMP_PKIStatusInfo),
    ASN1_EXP_OPT(PKIXCMP_CertStatus, hashAlg, X509_ALGOR, 0),
} ASN1_SEQUENCE_END(PKIXCMP_CertStatus)

/* CertConfirmContent ::= SEQUENCE OF CertStatus */
ASN1_ITEM_TEMPLATE(PKIXCMP_CertConfirmContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, CertConfirmContent, PKIXCMP_CertStatus)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_CertConfirmContent)

/* PollReqContent ::= SEQUENCE OF SEQUENCE { certReqId INTEGER } */
ASN1_SEQUENCE(PKIXCMP_PollReq) = {
    ASN1_SIMPLE(PKIXCMP_PollReq, certReqId, ASN1_INTEGER),
} ASN1_SEQUENCE_END(PKIXCMP_PollReq)
ASN1_ITEM_TEMPLATE(PKIXCMP_PollReqContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, PollReqContent, PKIXCMP_PollReq)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_PollReqContent)

/* PollRepContent ::= SEQUENCE OF SEQUENCE {
 *     certReqId              INTEGER,
 *     checkAfter             INTEGER,  -- time in seconds
 *     reason                 PKIFreeText OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_PollRep) = {
    ASN1_SIMPLE(PKIXCMP_PollRep, certReqId, ASN1_INTEGER),
    ASN1_SIMPLE(PKIXCMP_PollRep, checkAfter, ASN1_INTEGER),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_PollRep, reason, ASN1_UTF8STRING),
} ASN1_SEQUENCE_END(PKIXCMP_PollRep)
ASN1_ITEM_TEMPLATE(PKIXCMP_PollRepContent) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, PollRepContent, PKIXCMP_PollRep)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_PollRepContent)

/* PKIMessages ::= SEQUENCE SIZE (1..MAX) OF PKIMessage */
ASN1_ITEM_TEMPLATE(PKIXCMP_PKIMessages) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, PKIMessages, PKIXCMP_PKIMessage)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_PKIMessages)

/* PKIBody ::= CHOICE {
 *     ir [0] CertReqMessages, ip [1] CertRepMessage, cr [2] CertReqMessages,
 *     cp [3] CertRepMessage, p10cr [4] CertificationRequest,
 *     popdecc [5] POPODecKeyChallContent, popdecr [6] POPODecKeyRespContent,
 *     kur [7] CertReqMessages, kup [8] CertRepMessage, krr [9] CertReqMessages,
 *     krp [10] KeyRecRepContent, rr [11] RevReqContent, rp [12] RevRepContent,
 *     ccr [13] CertReqMessages, ccp [14] CertRepMessage,
 *     ckuann [15] CAKeyUpdContent, cann [16] CertAnnContent,
 *     rann [17] RevAnnContent, crlann [18] CRLAnnContent,
 *     pkiconf [19] PKIConfirmContent, nested [20] NestedMessageContent,
 *     genm [21] GenMsgContent, genp [22] GenRepContent,
 *     error [23] ErrorMsgContent, certConf [24] CertConfirmContent,
 *     pollReq [25] PollReqContent, pollRep [26] PollRepContent }
 * The arms are in tag order, so the CHOICE selector equals the tag. */
ASN1_CHOICE(PKIXCMP_PKIBody) = {
    ASN1_EXP(PKIXCMP_PKIBody, value.ir, PKIXCMP_CertReqMessages, 0),
    ASN1_EXP(PKIXCMP_PKIBody, value.ip, PKIXCMP_CertRepMessage, 1),
    ASN1_EXP(PKIXCMP_PKIBody, value.cr, PKIXCMP_CertReqMessages, 2),
    ASN1_EXP(PKIXCMP_PKIBody, value.cp, PKIXCMP_CertRepMessage, 3),
    ASN1_EXP(PKIXCMP_PKIBody, value.p10cr, X509_REQ, 4),
    ASN1_EXP(PKIXCMP_PKIBody, value.popdecc, PKIXCMP_POPODecKeyChallContent, 5),
    ASN1_EXP(PKIXCMP_PKIBody, value.popdecr, PKIXCMP_POPODecKeyRespContent, 6),
    ASN1_EXP(PKIXCMP_PKIBody, value.kur, PKIXCMP_CertReqMessages, 7),
    ASN1_EXP(PKIXCMP_PKIBody, value.kup, PKIXCMP_CertRepMessage, 8),
    ASN1_EXP(PKIXCMP_PKIBody, value.krr, PKIXCMP_CertReqMessages, 9),
    ASN1_EXP(PKIXCMP_PKIBody, value.krp, PKIXCMP_KeyRecRepContent, 10),
    ASN1_EXP(PKIXCMP_PKIBody, value.rr, PKIXCMP_RevReqContent, 11),
    ASN1_EXP(PKIXCMP_PKIBody, value.rp, PKIXCMP_RevRepContent, 12),
    ASN1_EXP(PKIXCMP_PKIBody, value.ccr, PKIXCMP_CertReqMessages, 13),
    ASN1_EXP(PKIXCMP_PKIBody, value.ccp, PKIXCMP_CertRepMessage, 14),
    ASN1_EXP(PKIXCMP_PKIBody, value.ckuann, PKIXCMP_CAKeyUpdContent, 15),
    ASN1_EXP(PKIXCMP_PKIBody, value.cann, X509, 16),
    ASN1_EXP(PKIXCMP_PKIBody, value.rann, PKIXCMP_RevAnnContent, 17),
    ASN1_EXP(PKIXCMP_PKIBody, value.crlann, PKIXCMP_CRLAnnContent, 18),
    ASN1_EXP(PKIXCMP_PKIBody, value.pkiconf, ASN1_NULL, 19),
    ASN1_EXP(PKIXCMP_PKIBody, value.nested, PKIXCMP_PKIMessages, 20),
    ASN1_EXP(PKIXCMP_PKIBody, value.genm, PKIXCMP_GenMsgContent, 21),
    ASN1_EXP(PKIXCMP_PKIBody, value.genp, PKIXCMP_GenRepContent, 22),
    ASN1_EXP(PKIXCMP_PKIBody, value.error, PKIXCMP_ErrorMsgContent, 23),
    ASN1_EXP(PKIXCMP_PKIBody, value.certConf, PKIXCMP_CertConfirmContent, 24),
    ASN1_EXP(PKIXCMP_PKIBody, value.pollReq, PKIXCMP_PollReqContent, 25),
    ASN1_EXP(PKIXCMP_PKIBody, value.pollRep, PKIXCMP_PollRepContent, 26),
} ASN1_CHOICE_END(PKIXCMP_PKIBody)

/* PKIMessage ::= SEQUENCE {
 *     header           PKIHeader,
 *     body             PKIBody,
 *     protection   [0] PKIProtection OPTIONAL,
 *     extraCerts   [1] SEQUENCE SIZE (1..MAX) OF CMPCertificate OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_PKIMessage) = {
    ASN1_SIMPLE(PKIXCMP_PKIMessage, header, PKIXCMP_PKIHeader),
    ASN1_SIMPLE(PKIXCMP_PKIMessage, body, PKIXCMP_PKIBody),
    ASN1_EXP_OPT(PKIXCMP_PKIMessage, protection, ASN1_BIT_STRING, 0),
    ASN1_EXP_SEQUENCE_OF_OPT(PKIXCMP_PKIMessage, extraCerts, X509, 1),
} ASN1_SEQUENCE_END(PKIXCMP_PKIMessage)

/* ProtectedPart ::= SEQUENCE { header PKIHeader, body PKIBody } */
ASN1_SEQUENCE(PKIXCMP_ProtectedPart) = {
    ASN1_SIMPLE(PKIXCMP_ProtectedPart, header, PKIXCMP_PKIHeader),
    ASN1_SIMPLE(PKIXCMP_ProtectedPart, body, PKIXCMP_PKIBody),
} ASN1_SEQUENCE_END(PKIXCMP_ProtectedPart)

/* PBMParameter ::= SEQUENCE {
 *     salt                OCTET STRING,
 *     owf                 AlgorithmIdentifier{DIGEST-ALGORITHM, {...}},
 *     iterationCount      INTEGER,
 *     mac                 AlgorithmIdentifier{MAC-ALGORITHM, {...}} } */
ASN1_SEQUENCE(PKIXCMP_PBMParameter) = {
    ASN1_SIMPLE(PKIXCMP_PBMParameter, salt, ASN1_OCTET_STRING),
    ASN1_SIMPLE(PKIXCMP_PBMParameter, owf, X509_ALGOR),
    ASN1_SIMPLE(PKIXCMP_PBMParameter, iterationCount, ASN1_INTEGER),
    ASN1_SIMPLE(PKIXCMP_PBMParameter, mac, X509_ALGOR),
} ASN1_SEQUENCE_END(PKIXCMP_PBMParameter)

/* DHBMParameter ::= SEQUENCE {
 *     owf                 AlgorithmIdentifier{DIGEST-ALGORITHM, {...}},
 *     mac                 AlgorithmIdentifier{MAC-ALGORITHM, {...}} } */
ASN1_SEQUENCE(PKIXCMP_DHBMParameter) = {
    ASN1_SIMPLE(PKIXCMP_DHBMParameter, owf, X509_ALGOR),
    ASN1_SIMPLE(PKIXCMP_DHBMParameter, mac, X509_ALGOR),
} ASN1_SEQUENCE_END(PKIXCMP_DHBMParameter)

/* KemBMParameter ::= SEQUENCE {
 *     kdf              AlgorithmIdentifier{KEY-DERIVATION, {...}},
 *     kemContext   [0] OCTET STRING OPTIONAL,
 *     len              INTEGER (1..MAX),
 *     mac              AlgorithmIdentifier{MAC-ALGORITHM, {...}} } */
ASN1_SEQUENCE(PKIXCMP_KemBMParameter) = {
    ASN1_SIMPLE(PKIXCMP_KemBMParameter, kdf, X509_ALGOR),
    ASN1_EXP_OPT(PKIXCMP_KemBMParameter, kemContext, ASN1_OCTET_STRING, 0),
    ASN1_SIMPLE(PKIXCMP_KemBMParameter, len, ASN1_INTEGER),
    ASN1_SIMPLE(PKIXCMP_KemBMParameter, mac, X509_ALGOR),
} ASN1_SEQUENCE_END(PKIXCMP_KemBMParameter)

/* KemCiphertextInfo ::= SEQUENCE {
 *     kem              AlgorithmIdentifier{KEM-ALGORITHM, {...}},
 *     ct               OCTET STRING } */
ASN1_SEQUENCE(PKIXCMP_KemCiphertextInfo) = {
    ASN1_SIMPLE(PKIXCMP_KemCiphertextInfo, kem, X509_ALGOR),
    ASN1_SIMPLE(PKIXCMP_KemCiphertextInfo, ct, ASN1_OCTET_STRING),
} ASN1_SEQUENCE_END(PKIXCMP_KemCiphertextInfo)

/* KemOtherInfo ::= SEQUENCE {
 *     staticString     PKIFreeText,          -- MUST be "CMP-KEM"
 *     transactionID    OCTET STRING,
 *     kemContext   [0] OCTET STRING OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_KemOtherInfo) = {
    ASN1_SIMPLE(PKIXCMP_KemOtherInfo, staticString, PKIXCMP_PKIFreeText),
    ASN1_SIMPLE(PKIXCMP_KemOtherInfo, transactionID, ASN1_OCTET_STRING),
    ASN1_EXP_OPT(PKIXCMP_KemOtherInfo, kemContext, ASN1_OCTET_STRING, 0),
} ASN1_SEQUENCE_END(PKIXCMP_KemOtherInfo)

/* PBMAC1-params ::= SEQUENCE {                       -- RFC 8018 A.5
 *     keyDerivationFunc AlgorithmIdentifier {{PBMAC1-KDFs}},
 *     messageAuthScheme AlgorithmIdentifier {{PBMAC1-MACs}} } */
ASN1_SEQUENCE(PKIXCMP_PBMAC1Params) = {
    ASN1_SIMPLE(PKIXCMP_PBMAC1Params, keyDerivationFunc, X509_ALGOR),
    ASN1_SIMPLE(PKIXCMP_PBMAC1Params, messageAuthScheme, X509_ALGOR),
} ASN1_SEQUENCE_END(PKIXCMP_PBMAC1Params)

/* PBKDF2-params ::= SEQUENCE {                       -- RFC 8018 A.2
 *     salt CHOICE { specified OCTET STRING,
 *                   otherSource AlgorithmIdentifier {{PBKDF2-SaltSources}} },
 *     iterationCount INTEGER (1..MAX),
 *     keyLength INTEGER (1..MAX) OPTIONAL,
 *     prf AlgorithmIdentifier {{PBKDF2-PRFs}} DEFAULT algid-hmacWithSHA1 } */
ASN1_SEQUENCE(PKIXCMP_PBKDF2Params) = {
    ASN1_SIMPLE(PKIXCMP_PBKDF2Params, salt, ASN1_ANY),
    ASN1_SIMPLE(PKIXCMP_PBKDF2Params, iterationCount, ASN1_INTEGER),
    ASN1_OPT(PKIXCMP_PBKDF2Params, keyLength, ASN1_INTEGER),
    ASN1_OPT(PKIXCMP_PBKDF2Params, prf, X509_ALGOR),
} ASN1_SEQUENCE_END(PKIXCMP_PBKDF2Params)

/* OOBCertHash ::= SEQUENCE {
 *     hashAlg     [0] AlgorithmIdentifier{DIGEST-ALGORITHM, {...}} OPTIONAL,
 *     certId      [1] CertId                  OPTIONAL,
 *     hashVal         BIT STRING } */
ASN1_SEQUENCE(PKIXCMP_OOBCertHash) = {
    ASN1_EXP_OPT(PKIXCMP_OOBCertHash, hashAlg, X509_ALGOR, 0),
    ASN1_EXP_OPT(PKIXCMP_OOBCertHash, certId, PKIXCMP_CertId, 1),
    ASN1_SIMPLE(PKIXCMP_OOBCertHash, hashVal, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(PKIXCMP_OOBCertHash)

/* CertReqTemplateContent ::= SEQUENCE {
 *     certTemplate           CertTemplate,
 *     keySpec                Controls OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CertReqTemplateContent) = {
    ASN1_SIMPLE(PKIXCMP_CertReqTemplateContent, certTemplate, PKIXCMP_CertTemplate),
    ASN1_SEQUENCE_OF_OPT(PKIXCMP_CertReqTemplateContent, keySpec, PKIXCMP_AttributeTypeAndValue),
} ASN1_SEQUENCE_END(PKIXCMP_CertReqTemplateContent)

/* CRLSource ::= CHOICE {
 *     dpn          [0] DistributionPointName,
 *     issuer       [1] GeneralNames } */
ASN1_CHOICE(PKIXCMP_CRLSource) = {
    ASN1_EXP(PKIXCMP_CRLSource, value.dpn, DIST_POINT_NAME, 0),
    ASN1_EXP(PKIXCMP_CRLSource, value.issuer, GENERAL_NAMES, 1),
} ASN1_CHOICE_END(PKIXCMP_CRLSource)

/* CRLStatus ::= SEQUENCE {
 *     source       CRLSource,
 *     thisUpdate   Time OPTIONAL } */
ASN1_SEQUENCE(PKIXCMP_CRLStatus) = {
    ASN1_SIMPLE(PKIXCMP_CRLStatus, source, PKIXCMP_CRLSource),
    ASN1_OPT(PKIXCMP_CRLStatus, thisUpdate, ASN1_TIME),
} ASN1_SEQUENCE_END(PKIXCMP_CRLStatus)

/* Lists used as InfoTypeAndValue values (RFC 9810 section 5.3.19). */
ASN1_ITEM_TEMPLATE(PKIXCMP_AlgorithmIdentifiers) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, AlgorithmIdentifiers, X509_ALGOR)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_AlgorithmIdentifiers)
ASN1_ITEM_TEMPLATE(PKIXCMP_ObjectIdentifiers) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, ObjectIdentifiers, ASN1_OBJECT)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_ObjectIdentifiers)
ASN1_ITEM_TEMPLATE(PKIXCMP_UTF8Strings) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, UTF8Strings, ASN1_UTF8STRING)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_UTF8Strings)
ASN1_ITEM_TEMPLATE(PKIXCMP_CMPCertificates) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, CMPCertificates, X509)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_CMPCertificates)
ASN1_ITEM_TEMPLATE(PKIXCMP_CertificateLists) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, CertificateLists, X509_CRL)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_CertificateLists)
ASN1_ITEM_TEMPLATE(PKIXCMP_CRLStatusList) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, CRLStatusList, PKIXCMP_CRLStatus)
ASN1_ITEM_TEMPLATE_END(PKIXCMP_CRLStatusList)
