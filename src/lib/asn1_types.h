/*
 * asn1_types.h - C structures and ASN.1 items of every type of the CMP
 * (RFC 9810, module PKIXCMP-2023) and CRMF (RFC 4211, PKIXCRMF-2005)
 * modules. Templates: asn1_crmf.c and asn1_cmp.c.
 *
 * Naming: each C type is PKIXCMP_ followed by the ASN.1 type name exactly as
 * the RFC spells it, and each member is named as the RFC's field, so the
 * template's type and field names (which OpenSSL keeps as strings) are the
 * RFC's names in error messages and in the printer.
 *
 * Representation choices:
 *  - CMPCertificate is X509: its only arm is untagged, so it is bit-for-bit
 *    a Certificate.
 *  - EnvelopedData is kept as its exact DER (ASN1_STRING of the whole TLV,
 *    including an IMPLICIT tag where there is one); envdata.c converts it to
 *    and from OpenSSL's CMS API.
 *  - InfoTypeAndValue.infoValue and AttributeTypeAndValue.value are ANY: the
 *    typed view comes from the table in asn1_itav.c, so unknown OIDs keep
 *    their raw value.
 *  - A CHOICE is { int type; union { ... } value; }, type being the arm's
 *    index in its template (for PKIBody equal to the tag number).
 */
#ifndef PKIXCMP_ASN1_TYPES_H
#define PKIXCMP_ASN1_TYPES_H

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/safestack.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <pkixcmp/msg.h>

/* ------------------------------------------------------------------ CRMF */

/* AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY DEFINED BY type } */
typedef struct {
    ASN1_OBJECT *type;
    ASN1_TYPE *value;
} PKIXCMP_AttributeTypeAndValue;
DECLARE_ASN1_ITEM(PKIXCMP_AttributeTypeAndValue)
DEFINE_STACK_OF(PKIXCMP_AttributeTypeAndValue)

/* Controls ::= SEQUENCE SIZE(1..MAX) OF AttributeTypeAndValue */
typedef STACK_OF(PKIXCMP_AttributeTypeAndValue) PKIXCMP_Controls;
DECLARE_ASN1_ITEM(PKIXCMP_Controls)

/* OptionalValidity ::= SEQUENCE { notBefore [0] Time OPT, notAfter [1] Time OPT } */
typedef struct {
    ASN1_TIME *notBefore;
    ASN1_TIME *notAfter;
} PKIXCMP_OptionalValidity;
DECLARE_ASN1_ITEM(PKIXCMP_OptionalValidity)

/* CertTemplate ::= SEQUENCE { version [0] .. extensions [9], all OPTIONAL } */
typedef struct {
    ASN1_INTEGER *version;
    ASN1_INTEGER *serialNumber;
    X509_ALGOR *signingAlg;
    X509_NAME *issuer;
    PKIXCMP_OptionalValidity *validity;
    X509_NAME *subject;
    X509_PUBKEY *publicKey;
    ASN1_BIT_STRING *issuerUID;
    ASN1_BIT_STRING *subjectUID;
    STACK_OF(X509_EXTENSION) *extensions;
} PKIXCMP_CertTemplate;
DECLARE_ASN1_ITEM(PKIXCMP_CertTemplate)

/* CertId ::= SEQUENCE { issuer GeneralName, serialNumber INTEGER } */
typedef struct {
    GENERAL_NAME *issuer;
    ASN1_INTEGER *serialNumber;
} PKIXCMP_CertId;
DECLARE_ASN1_ITEM(PKIXCMP_CertId)
DEFINE_STACK_OF(PKIXCMP_CertId)

/* SinglePubInfo ::= SEQUENCE { pubMethod INTEGER, pubLocation GeneralName OPT } */
typedef struct {
    ASN1_INTEGER *pubMethod;
    GENERAL_NAME *pubLocation;
} PKIXCMP_SinglePubInfo;
DECLARE_ASN1_ITEM(PKIXCMP_SinglePubInfo)
DEFINE_STACK_OF(PKIXCMP_SinglePubInfo)

/* PKIPublicationInfo ::= SEQUENCE { action INTEGER, pubInfos SEQ OF OPT } */
typedef struct {
    ASN1_INTEGER *action;
    STACK_OF(PKIXCMP_SinglePubInfo) *pubInfos;
} PKIXCMP_PKIPublicationInfo;
DECLARE_ASN1_ITEM(PKIXCMP_PKIPublicationInfo)

/* EncryptedValue ::= SEQUENCE { intendedAlg [0] .. valueHint [4], encValue } */
typedef struct {
    X509_ALGOR *intendedAlg;
    X509_ALGOR *symmAlg;
    ASN1_BIT_STRING *encSymmKey;
    X509_ALGOR *keyAlg;
    ASN1_OCTET_STRING *valueHint;
    ASN1_BIT_STRING *encValue;
} PKIXCMP_EncryptedValue;
DECLARE_ASN1_ITEM(PKIXCMP_EncryptedValue)

/* EncryptedKey ::= CHOICE { encryptedValue, envelopedData [0] EnvelopedData } */
#define PKIXCMP_ENCRYPTEDKEY_ENCRYPTEDVALUE 0
#define PKIXCMP_ENCRYPTEDKEY_ENVELOPEDDATA 1
typedef struct {
    int type;
    union {
        PKIXCMP_EncryptedValue *encryptedValue;
        ASN1_STRING *envelopedData; /* DER of [0] IMPLICIT EnvelopedData */
    } value;
} PKIXCMP_EncryptedKey;
DECLARE_ASN1_ITEM(PKIXCMP_EncryptedKey)

/* PKIArchiveOptions ::= CHOICE { encryptedPrivKey [0], keyGenParameters [1],
 *                                archiveRemGenPrivKey [2] BOOLEAN } */
typedef struct {
    int type;
    union {
        PKIXCMP_EncryptedKey *encryptedPrivKey;
        ASN1_OCTET_STRING *keyGenParameters;
        ASN1_BOOLEAN archiveRemGenPrivKey;
    } value;
} PKIXCMP_PKIArchiveOptions;
DECLARE_ASN1_ITEM(PKIXCMP_PKIArchiveOptions)

/* PKMACValue ::= SEQUENCE { algId AlgorithmIdentifier, value BIT STRING } */
typedef struct {
    X509_ALGOR *algId;
    ASN1_BIT_STRING *value;
} PKIXCMP_PKMACValue;
DECLARE_ASN1_ITEM(PKIXCMP_PKMACValue)

/* authInfo CHOICE { sender [0] GeneralName, publicKeyMAC PKMACValue } */
typedef struct {
    int type;
    union {
        GENERAL_NAME *sender;
        PKIXCMP_PKMACValue *publicKeyMAC;
    } value;
} PKIXCMP_AuthInfo;
DECLARE_ASN1_ITEM(PKIXCMP_AuthInfo)

/* POPOSigningKeyInput ::= SEQUENCE { authInfo, publicKey SubjectPublicKeyInfo } */
typedef struct {
    PKIXCMP_AuthInfo *authInfo;
    X509_PUBKEY *publicKey;
} PKIXCMP_POPOSigningKeyInput;
DECLARE_ASN1_ITEM(PKIXCMP_POPOSigningKeyInput)

/* POPOSigningKey ::= SEQUENCE { poposkInput [0] OPT, algorithmIdentifier,
 *                               signature BIT STRING } */
typedef struct {
    PKIXCMP_POPOSigningKeyInput *poposkInput;
    X509_ALGOR *algorithmIdentifier;
    ASN1_BIT_STRING *signature;
} PKIXCMP_POPOSigningKey;
DECLARE_ASN1_ITEM(PKIXCMP_POPOSigningKey)

/* POPOPrivKey ::= CHOICE { thisMessage [0] BIT STRING, subsequentMessage [1]
 *   INTEGER, dhMAC [2] BIT STRING, agreeMAC [3] PKMACValue,
 *   encryptedKey [4] EnvelopedData } */
typedef struct {
    int type;
    union {
        ASN1_BIT_STRING *thisMessage;
        ASN1_INTEGER *subsequentMessage;
        ASN1_BIT_STRING *dhMAC;
        PKIXCMP_PKMACValue *agreeMAC;
        ASN1_STRING *encryptedKey; /* DER of [4] IMPLICIT EnvelopedData */
    } value;
} PKIXCMP_POPOPrivKey;
DECLARE_ASN1_ITEM(PKIXCMP_POPOPrivKey)

/* ProofOfPossession ::= CHOICE { raVerified [0] NULL, signature [1],
 *   keyEncipherment [2] POPOPrivKey, keyAgreement [3] POPOPrivKey } */
#define PKIXCMP_POP_RAVERIFIED 0
#define PKIXCMP_POP_SIGNATURE 1
#define PKIXCMP_POP_KEYENCIPHERMENT 2
#define PKIXCMP_POP_KEYAGREEMENT 3
typedef struct {
    int type;
    union {
        ASN1_NULL *raVerified;
        PKIXCMP_POPOSigningKey *signature;
        PKIXCMP_POPOPrivKey *keyEncipherment;
        PKIXCMP_POPOPrivKey *keyAgreement;
    } value;
} PKIXCMP_ProofOfPossession;
DECLARE_ASN1_ITEM(PKIXCMP_ProofOfPossession)

/* CertRequest ::= SEQUENCE { certReqId, certTemplate, controls OPT } */
typedef struct {
    ASN1_INTEGER *certReqId;
    PKIXCMP_CertTemplate *certTemplate;
    PKIXCMP_Controls *controls;
} PKIXCMP_CertRequest;
DECLARE_ASN1_ITEM(PKIXCMP_CertRequest)

/* CertReqMsg ::= SEQUENCE { certReq, popo OPT, regInfo OPT } */
typedef struct {
    PKIXCMP_CertRequest *certReq;
    PKIXCMP_ProofOfPossession *popo;
    STACK_OF(PKIXCMP_AttributeTypeAndValue) *regInfo;
} PKIXCMP_CertReqMsg;
DECLARE_ASN1_ITEM(PKIXCMP_CertReqMsg)
DEFINE_STACK_OF(PKIXCMP_CertReqMsg)

/* CertReqMessages ::= SEQUENCE SIZE (1..MAX) OF CertReqMsg */
typedef STACK_OF(PKIXCMP_CertReqMsg) PKIXCMP_CertReqMessages;
DECLARE_ASN1_ITEM(PKIXCMP_CertReqMessages)

/* EncKeyWithID ::= SEQUENCE { privateKey PrivateKeyInfo,
 *   identifier CHOICE { string UTF8String, generalName GeneralName } OPT } */
typedef struct {
    int type;
    union {
        ASN1_UTF8STRING *string;
        GENERAL_NAME *generalName;
    } value;
} PKIXCMP_EncKeyWithIDIdentifier;
DECLARE_ASN1_ITEM(PKIXCMP_EncKeyWithIDIdentifier)
typedef struct {
    PKCS8_PRIV_KEY_INFO *privateKey;
    PKIXCMP_EncKeyWithIDIdentifier *identifier;
} PKIXCMP_EncKeyWithID;
DECLARE_ASN1_ITEM(PKIXCMP_EncKeyWithID)

/* Values of the controls and regInfo that are not of an OpenSSL type. */
typedef ASN1_UTF8STRING PKIXCMP_UTF8Pairs;
typedef ASN1_INTEGER PKIXCMP_RsaKeyLenCtrl;

/* ------------------------------------------------------------------- CMP */

/* PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String */
typedef STACK_OF(ASN1_UTF8STRING) PKIXCMP_PKIFreeText;
DECLARE_ASN1_ITEM(PKIXCMP_PKIFreeText)

/* InfoTypeAndValue ::= SEQUENCE { infoType OID, infoValue ANY OPTIONAL } */
typedef struct {
    ASN1_OBJECT *infoType;
    ASN1_TYPE *infoValue;
} PKIXCMP_InfoTypeAndValue;
DECLARE_ASN1_ITEM(PKIXCMP_InfoTypeAndValue)
DEFINE_STACK_OF(PKIXCMP_InfoTypeAndValue)

/* GenMsgContent, GenRepContent ::= SEQUENCE OF InfoTypeAndValue */
typedef STACK_OF(PKIXCMP_InfoTypeAndValue) PKIXCMP_GenMsgContent;
DECLARE_ASN1_ITEM(PKIXCMP_GenMsgContent)
typedef STACK_OF(PKIXCMP_InfoTypeAndValue) PKIXCMP_GenRepContent;
DECLARE_ASN1_ITEM(PKIXCMP_GenRepContent)

/* PKIHeader ::= SEQUENCE { pvno, sender, recipient, [0]..[8] OPTIONAL } */
typedef struct {
    ASN1_INTEGER *pvno;
    GENERAL_NAME *sender;
    GENERAL_NAME *recipient;
    ASN1_GENERALIZEDTIME *messageTime;
    X509_ALGOR *protectionAlg;
    ASN1_OCTET_STRING *senderKID;
    ASN1_OCTET_STRING *recipKID;
    ASN1_OCTET_STRING *transactionID;
    ASN1_OCTET_STRING *senderNonce;
    ASN1_OCTET_STRING *recipNonce;
    PKIXCMP_PKIFreeText *freeText;
    STACK_OF(PKIXCMP_InfoTypeAndValue) *generalInfo;
} PKIXCMP_PKIHeader;
DECLARE_ASN1_ITEM(PKIXCMP_PKIHeader)

/* PKIStatus ::= INTEGER; PKIFailureInfo ::= BIT STRING (named bits 0..26) */
typedef ASN1_INTEGER PKIXCMP_PKIStatus;
DECLARE_ASN1_ITEM(PKIXCMP_PKIStatus)
typedef ASN1_BIT_STRING PKIXCMP_PKIFailureInfo;
DECLARE_ASN1_ITEM(PKIXCMP_PKIFailureInfo)

/* PKIStatusInfo ::= SEQUENCE { status, statusString OPT, failInfo OPT } */
typedef struct {
    PKIXCMP_PKIStatus *status;
    PKIXCMP_PKIFreeText *statusString;
    PKIXCMP_PKIFailureInfo *failInfo;
} PKIXCMP_PKIStatusInfo;
DECLARE_ASN1_ITEM(PKIXCMP_PKIStatusInfo)
DEFINE_STACK_OF(PKIXCMP_PKIStatusInfo)

/* CertOrEncCert ::= CHOICE { certificate [0] CMPCertificate,
 *                            encryptedCert [1] EncryptedKey } */
#define PKIXCMP_CERTORENCCERT_CERTIFICATE 0
#define PKIXCMP_CERTORENCCERT_ENCRYPTEDCERT 1
typedef struct {
    int type;
    union {
        X509 *certificate;
        PKIXCMP_EncryptedKey *encryptedCert;
    } value;
} PKIXCMP_CertOrEncCert;
DECLARE_ASN1_ITEM(PKIXCMP_CertOrEncCert)

/* CertifiedKeyPair ::= SEQUENCE { certOrEncCert, privateKey [0] OPT,
 *                                 publicationInfo [1] OPT } */
typedef struct {
    PKIXCMP_CertOrEncCert *certOrEncCert;
    PKIXCMP_EncryptedKey *privateKey;
    PKIXCMP_PKIPublicationInfo *publicationInfo;
} PKIXCMP_CertifiedKeyPair;
DECLARE_ASN1_ITEM(PKIXCMP_CertifiedKeyPair)
DEFINE_STACK_OF(PKIXCMP_CertifiedKeyPair)

/* CertResponse ::= SEQUENCE { certReqId, status, certifiedKeyPair OPT,
 *                             rspInfo OCTET STRING OPT } */
typedef struct {
    ASN1_INTEGER *certReqId;
    PKIXCMP_PKIStatusInfo *status;
    PKIXCMP_CertifiedKeyPair *certifiedKeyPair;
    ASN1_OCTET_STRING *rspInfo;
} PKIXCMP_CertResponse;
DECLARE_ASN1_ITEM(PKIXCMP_CertResponse)
DEFINE_STACK_OF(PKIXCMP_CertResponse)

/* CertRepMessage ::= SEQUENCE { caPubs [1] OPT, response SEQ OF CertResponse } */
typedef struct {
    STACK_OF(X509) *caPubs;
    STACK_OF(PKIXCMP_CertResponse) *response;
} PKIXCMP_CertRepMessage;
DECLARE_ASN1_ITEM(PKIXCMP_CertRepMessage)

/* Challenge ::= SEQUENCE { owf OPT, witness, challenge,
 *                          encryptedRand [0] EnvelopedData OPT } */
typedef struct {
    X509_ALGOR *owf;
    ASN1_OCTET_STRING *witness;
    ASN1_OCTET_STRING *challenge;
    ASN1_STRING *encryptedRand; /* DER of EnvelopedData (EXPLICIT [0]) */
} PKIXCMP_Challenge;
DECLARE_ASN1_ITEM(PKIXCMP_Challenge)
DEFINE_STACK_OF(PKIXCMP_Challenge)

/* POPODecKeyChallContent ::= SEQUENCE OF Challenge */
typedef STACK_OF(PKIXCMP_Challenge) PKIXCMP_POPODecKeyChallContent;
DECLARE_ASN1_ITEM(PKIXCMP_POPODecKeyChallContent)
/* POPODecKeyRespContent ::= SEQUENCE OF INTEGER */
typedef STACK_OF(ASN1_INTEGER) PKIXCMP_POPODecKeyRespContent;
DECLARE_ASN1_ITEM(PKIXCMP_POPODecKeyRespContent)

/* Rand ::= SEQUENCE { int INTEGER, sender GeneralName } */
typedef struct {
    ASN1_INTEGER *int_; /* "int" in the RFC, a C keyword */
    GENERAL_NAME *sender;
} PKIXCMP_Rand;
DECLARE_ASN1_ITEM(PKIXCMP_Rand)

/* KeyRecRepContent ::= SEQUENCE { status, newSigCert [0] OPT,
 *                                 caCerts [1] OPT, keyPairHist [2] OPT } */
typedef struct {
    PKIXCMP_PKIStatusInfo *status;
    X509 *newSigCert;
    STACK_OF(X509) *caCerts;
    STACK_OF(PKIXCMP_CertifiedKeyPair) *keyPairHist;
} PKIXCMP_KeyRecRepContent;
DECLARE_ASN1_ITEM(PKIXCMP_KeyRecRepContent)

/* RevDetails ::= SEQUENCE { certDetails CertTemplate, crlEntryDetails OPT } */
typedef struct {
    PKIXCMP_CertTemplate *certDetails;
    STACK_OF(X509_EXTENSION) *crlEntryDetails;
} PKIXCMP_RevDetails;
DECLARE_ASN1_ITEM(PKIXCMP_RevDetails)
DEFINE_STACK_OF(PKIXCMP_RevDetails)

/* RevReqContent ::= SEQUENCE OF RevDetails */
typedef STACK_OF(PKIXCMP_RevDetails) PKIXCMP_RevReqContent;
DECLARE_ASN1_ITEM(PKIXCMP_RevReqContent)

/* RevRepContent ::= SEQUENCE { status, revCerts [0] OPT, crls [1] OPT } */
typedef struct {
    STACK_OF(PKIXCMP_PKIStatusInfo) *status;
    STACK_OF(PKIXCMP_CertId) *revCerts;
    STACK_OF(X509_CRL) *crls;
} PKIXCMP_RevRepContent;
DECLARE_ASN1_ITEM(PKIXCMP_RevRepContent)

/* CAKeyUpdAnnContent ::= SEQUENCE { oldWithNew, newWithOld, newWithNew } */
typedef struct {
    X509 *oldWithNew;
    X509 *newWithOld;
    X509 *newWithNew;
} PKIXCMP_CAKeyUpdAnnContent;
DECLARE_ASN1_ITEM(PKIXCMP_CAKeyUpdAnnContent)

/* RootCaKeyUpdateContent ::= SEQUENCE { newWithNew, newWithOld [0] OPT,
 *                                       oldWithNew [1] OPT } */
typedef struct {
    X509 *newWithNew;
    X509 *newWithOld;
    X509 *oldWithNew;
} PKIXCMP_RootCaKeyUpdateContent;
DECLARE_ASN1_ITEM(PKIXCMP_RootCaKeyUpdateContent)

/* CAKeyUpdContent ::= CHOICE { cAKeyUpdAnnV2 CAKeyUpdAnnContent,
 *                              cAKeyUpdAnnV3 [0] RootCaKeyUpdateContent } */
typedef struct {
    int type;
    union {
        PKIXCMP_CAKeyUpdAnnContent *cAKeyUpdAnnV2;
        PKIXCMP_RootCaKeyUpdateContent *cAKeyUpdAnnV3;
    } value;
} PKIXCMP_CAKeyUpdContent;
DECLARE_ASN1_ITEM(PKIXCMP_CAKeyUpdContent)

/* RevAnnContent ::= SEQUENCE { status, certId, willBeRevokedAt,
 *                              badSinceDate, crlDetails OPT } */
typedef struct {
    PKIXCMP_PKIStatus *status;
    PKIXCMP_CertId *certId;
    ASN1_GENERALIZEDTIME *willBeRevokedAt;
    ASN1_GENERALIZEDTIME *badSinceDate;
    STACK_OF(X509_EXTENSION) *crlDetails;
} PKIXCMP_RevAnnContent;
DECLARE_ASN1_ITEM(PKIXCMP_RevAnnContent)

/* CRLAnnContent ::= SEQUENCE OF CertificateList */
typedef STACK_OF(X509_CRL) PKIXCMP_CRLAnnContent;
DECLARE_ASN1_ITEM(PKIXCMP_CRLAnnContent)

/* ErrorMsgContent ::= SEQUENCE { pKIStatusInfo, errorCode OPT, errorDetails OPT } */
typedef struct {
    PKIXCMP_PKIStatusInfo *pKIStatusInfo;
    ASN1_INTEGER *errorCode;
    PKIXCMP_PKIFreeText *errorDetails;
} PKIXCMP_ErrorMsgContent;
DECLARE_ASN1_ITEM(PKIXCMP_ErrorMsgContent)

/* CertStatus ::= SEQUENCE { certHash, certReqId, statusInfo OPT, hashAlg [0] OPT } */
typedef struct {
    ASN1_OCTET_STRING *certHash;
    ASN1_INTEGER *certReqId;
    PKIXCMP_PKIStatusInfo *statusInfo;
    X509_ALGOR *hashAlg;
} PKIXCMP_CertStatus;
DECLARE_ASN1_ITEM(PKIXCMP_CertStatus)
DEFINE_STACK_OF(PKIXCMP_CertStatus)

/* CertConfirmContent ::= SEQUENCE OF CertStatus */
typedef STACK_OF(PKIXCMP_CertStatus) PKIXCMP_CertConfirmContent;
DECLARE_ASN1_ITEM(PKIXCMP_CertConfirmContent)

/* PollReqContent ::= SEQUENCE OF SEQUENCE { certReqId INTEGER } */
typedef struct {
    ASN1_INTEGER *certReqId;
} PKIXCMP_PollReq;
DECLARE_ASN1_ITEM(PKIXCMP_PollReq)
DEFINE_STACK_OF(PKIXCMP_PollReq)
typedef STACK_OF(PKIXCMP_PollReq) PKIXCMP_PollReqContent;
DECLARE_ASN1_ITEM(PKIXCMP_PollReqContent)

/* PollRepContent ::= SEQUENCE OF SEQUENCE { certReqId, checkAfter, reason OPT } */
typedef struct {
    ASN1_INTEGER *certReqId;
    ASN1_INTEGER *checkAfter;
    PKIXCMP_PKIFreeText *reason;
} PKIXCMP_PollRep;
DECLARE_ASN1_ITEM(PKIXCMP_PollRep)
DEFINE_STACK_OF(PKIXCMP_PollRep)
typedef STACK_OF(PKIXCMP_PollRep) PKIXCMP_PollRepContent;
DECLARE_ASN1_ITEM(PKIXCMP_PollRepContent)

/* PKIMessage is the public opaque PKIXCMP_MSG. */
typedef struct pkixcmp_msg_st PKIXCMP_PKIMessage;
DECLARE_ASN1_ITEM(PKIXCMP_PKIMessage)
DEFINE_STACK_OF(PKIXCMP_PKIMessage)

/* PKIMessages ::= SEQUENCE SIZE (1..MAX) OF PKIMessage (NestedMessageContent) */
typedef STACK_OF(PKIXCMP_PKIMessage) PKIXCMP_PKIMessages;
DECLARE_ASN1_ITEM(PKIXCMP_PKIMessages)

/* PKIBody ::= CHOICE { ir [0] ... pollRep [26] }; type = tag number */
typedef struct {
    int type;
    union {
        PKIXCMP_CertReqMessages *ir;
        PKIXCMP_CertRepMessage *ip;
        PKIXCMP_CertReqMessages *cr;
        PKIXCMP_CertRepMessage *cp;
        X509_REQ *p10cr;
        PKIXCMP_POPODecKeyChallContent *popdecc;
        PKIXCMP_POPODecKeyRespContent *popdecr;
        PKIXCMP_CertReqMessages *kur;
        PKIXCMP_CertRepMessage *kup;
        PKIXCMP_CertReqMessages *krr;
        PKIXCMP_KeyRecRepContent *krp;
        PKIXCMP_RevReqContent *rr;
        PKIXCMP_RevRepContent *rp;
        PKIXCMP_CertReqMessages *ccr;
        PKIXCMP_CertRepMessage *ccp;
        PKIXCMP_CAKeyUpdContent *ckuann;
        X509 *cann;
        PKIXCMP_RevAnnContent *rann;
        PKIXCMP_CRLAnnContent *crlann;
        ASN1_NULL *pkiconf;
        PKIXCMP_PKIMessages *nested;
        PKIXCMP_GenMsgContent *genm;
        PKIXCMP_GenRepContent *genp;
        PKIXCMP_ErrorMsgContent *error;
        PKIXCMP_CertConfirmContent *certConf;
        PKIXCMP_PollReqContent *pollReq;
        PKIXCMP_PollRepContent *pollRep;
    } value;
} PKIXCMP_PKIBody;
DECLARE_ASN1_ITEM(PKIXCMP_PKIBody)

/* PKIMessage ::= SEQUENCE { header, body, protection [0] OPT, extraCerts [1] OPT } */
struct pkixcmp_msg_st {
    PKIXCMP_PKIHeader *header;
    PKIXCMP_PKIBody *body;
    ASN1_BIT_STRING *protection;
    STACK_OF(X509) *extraCerts;
};

/* ProtectedPart ::= SEQUENCE { header PKIHeader, body PKIBody } */
typedef struct {
    PKIXCMP_PKIHeader *header;
    PKIXCMP_PKIBody *body;
} PKIXCMP_ProtectedPart;
DECLARE_ASN1_ITEM(PKIXCMP_ProtectedPart)

/* PBMParameter ::= SEQUENCE { salt, owf, iterationCount, mac } */
typedef struct {
    ASN1_OCTET_STRING *salt;
    X509_ALGOR *owf;
    ASN1_INTEGER *iterationCount;
    X509_ALGOR *mac;
} PKIXCMP_PBMParameter;
DECLARE_ASN1_ITEM(PKIXCMP_PBMParameter)

/* DHBMParameter ::= SEQUENCE { owf, mac } */
typedef struct {
    X509_ALGOR *owf;
    X509_ALGOR *mac;
} PKIXCMP_DHBMParameter;
DECLARE_ASN1_ITEM(PKIXCMP_DHBMParameter)

/* KemBMParameter ::= SEQUENCE { kdf, kemContext [0] OPT, len, mac } */
typedef struct {
    X509_ALGOR *kdf;
    ASN1_OCTET_STRING *kemContext;
    ASN1_INTEGER *len;
    X509_ALGOR *mac;
} PKIXCMP_KemBMParameter;
DECLARE_ASN1_ITEM(PKIXCMP_KemBMParameter)

/* KemCiphertextInfo ::= SEQUENCE { kem AlgorithmIdentifier, ct OCTET STRING } */
typedef struct {
    X509_ALGOR *kem;
    ASN1_OCTET_STRING *ct;
} PKIXCMP_KemCiphertextInfo;
DECLARE_ASN1_ITEM(PKIXCMP_KemCiphertextInfo)

/* KemOtherInfo ::= SEQUENCE { staticString, transactionID, kemContext [0] OPT } */
typedef struct {
    PKIXCMP_PKIFreeText *staticString;
    ASN1_OCTET_STRING *transactionID;
    ASN1_OCTET_STRING *kemContext;
} PKIXCMP_KemOtherInfo;
DECLARE_ASN1_ITEM(PKIXCMP_KemOtherInfo)

/* PBMAC1-params ::= SEQUENCE { keyDerivationFunc, messageAuthScheme } (RFC 8018) */
typedef struct {
    X509_ALGOR *keyDerivationFunc;
    X509_ALGOR *messageAuthScheme;
} PKIXCMP_PBMAC1Params;
DECLARE_ASN1_ITEM(PKIXCMP_PBMAC1Params)

/* PBKDF2-params ::= SEQUENCE { salt CHOICE { specified OCTET STRING,
 *   otherSource AlgorithmIdentifier }, iterationCount, keyLength OPT,
 *   prf AlgorithmIdentifier DEFAULT hmacWithSHA1 } (RFC 8018) */
typedef struct {
    ASN1_TYPE *salt;
    ASN1_INTEGER *iterationCount;
    ASN1_INTEGER *keyLength;
    X509_ALGOR *prf;
} PKIXCMP_PBKDF2Params;
DECLARE_ASN1_ITEM(PKIXCMP_PBKDF2Params)

/* OOBCertHash ::= SEQUENCE { hashAlg [0] OPT, certId [1] OPT, hashVal } */
typedef struct {
    X509_ALGOR *hashAlg;
    PKIXCMP_CertId *certId;
    ASN1_BIT_STRING *hashVal;
} PKIXCMP_OOBCertHash;
DECLARE_ASN1_ITEM(PKIXCMP_OOBCertHash)

/* CertReqTemplateContent ::= SEQUENCE { certTemplate, keySpec Controls OPT } */
typedef struct {
    PKIXCMP_CertTemplate *certTemplate;
    PKIXCMP_Controls *keySpec;
} PKIXCMP_CertReqTemplateContent;
DECLARE_ASN1_ITEM(PKIXCMP_CertReqTemplateContent)

/* CRLSource ::= CHOICE { dpn [0] DistributionPointName, issuer [1] GeneralNames } */
typedef struct {
    int type;
    union {
        DIST_POINT_NAME *dpn;
        GENERAL_NAMES *issuer;
    } value;
} PKIXCMP_CRLSource;
DECLARE_ASN1_ITEM(PKIXCMP_CRLSource)

/* CRLStatus ::= SEQUENCE { source CRLSource, thisUpdate Time OPT } */
typedef struct {
    PKIXCMP_CRLSource *source;
    ASN1_TIME *thisUpdate;
} PKIXCMP_CRLStatus;
DECLARE_ASN1_ITEM(PKIXCMP_CRLStatus)
DEFINE_STACK_OF(PKIXCMP_CRLStatus)

/* Value types of InfoTypeAndValue (RFC 9810 section 5.3.19) that are lists. */
typedef STACK_OF(X509_ALGOR) PKIXCMP_AlgorithmIdentifiers;
DECLARE_ASN1_ITEM(PKIXCMP_AlgorithmIdentifiers)
typedef STACK_OF(ASN1_OBJECT) PKIXCMP_ObjectIdentifiers;
DECLARE_ASN1_ITEM(PKIXCMP_ObjectIdentifiers)
typedef STACK_OF(ASN1_UTF8STRING) PKIXCMP_UTF8Strings;
DECLARE_ASN1_ITEM(PKIXCMP_UTF8Strings)
typedef STACK_OF(X509) PKIXCMP_CMPCertificates;
DECLARE_ASN1_ITEM(PKIXCMP_CMPCertificates)
typedef STACK_OF(X509_CRL) PKIXCMP_CertificateLists;
DECLARE_ASN1_ITEM(PKIXCMP_CertificateLists)
typedef STACK_OF(PKIXCMP_CRLStatus) PKIXCMP_CRLStatusList;
DECLARE_ASN1_ITEM(PKIXCMP_CRLStatusList)

#endif
