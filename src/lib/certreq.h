/*
 * certreq.h - CRMF certificate requests (RFC 4211, RFC 9810 5.3.1 and
 * RFC 9483 4.1): building a CertReqMsg with its CertTemplate, controls and
 * proof of possession, and checking one on the server side.
 */
#ifndef PKIXCMP_CERTREQ_H
#define PKIXCMP_CERTREQ_H

#include "asn1_types.h"
#include "ctx_local.h"

/* Proof-of-possession methods, numbered as openssl cmp -popo. */
#define PXC_POPO_NONE (-1)          /* no popo field */
#define PXC_POPO_RAVERIFIED 0       /* raVerified [0] NULL */
#define PXC_POPO_SIGNATURE 1        /* signature [1] POPOSigningKey (default) */
#define PXC_POPO_KEYENC 2           /* keyEncipherment [2] POPOPrivKey (subsequentMessage) */
#define PXC_POPO_KEYAGREE 3         /* keyAgreement [3] POPOPrivKey (subsequentMessage) */

/* What goes into one CertReqMsg; NULL / 0 fields are left out. */
struct pxc_certreq_params {
    long cert_req_id;               /* 0 as RFC 9483 requires; -1 for p10cr-like uses */
    const X509_NAME *subject;       /* NULL: the POP needs poposkInput (see below) */
    const X509_NAME *issuer;
    EVP_PKEY *pubkey;               /* the public key to certify (required) */
    const X509_PUBKEY *pubkey_enc;  /* pubkey already encoded, or NULL */
    EVP_PKEY *popkey;               /* private key for a signature POP */
    int popo;                       /* PXC_POPO_* */
    time_t not_before, not_after;   /* validity; 0: absent */
    const STACK_OF(X509_EXTENSION) *exts; /* template extensions (SANs, policies ...) */
    const X509 *oldcert;            /* kur: the oldCertID control (issuer, serial) */
    const char *digest;             /* signature POP digest (NULL: SHA256; none for EdDSA) */
};

/*
 * A new CertReqMsg as described by p: CertTemplate (subject, issuer,
 * publicKey, validity with UTCTime through 2049 and GeneralizedTime from
 * 2050 as RFC 5280, extensions), controls (oldCertID for kur), and the POP.
 * A signature POP is made with popkey, which must be the private key of
 * pubkey (PKIXCMP_E_MISSING_PARAMETER if NULL, PKIXCMP_E_BAD_POP if it is
 * another key or cannot sign): over the DER of certReq when the template
 * has a subject, else over a poposkInput (RFC 4211 4.1) authenticated by a
 * publicKeyMAC with the context's secret or, without one, by the subject
 * of the context's certificate as sender (PKIXCMP_E_MISSING_PARAMETER if
 * there is neither). keyEncipherment and keyAgreement POPs are
 * subsequentMessage encrCert (0): the certificate comes back encrypted.
 */
PKIXCMP_CertReqMsg *pxc_certreq_new(const PKIXCMP_CTX *ctx,
                                    const struct pxc_certreq_params *p) PXC_MUST_CHECK;

/*
 * Checks the proof of possession of crm (server side): a signature POP
 * verifies with the template's public key, over certReq or, when the
 * template has no subject, over poposkInput, whose publicKey must be the
 * template's and whose publicKeyMAC must verify with the context's secret;
 * raVerified is accepted only if accept_raverified; a missing POP, or
 * keyEncipherment/keyAgreement, is refused. Every refusal is
 * PKIXCMP_E_BAD_POP with a detail naming the certReqId and why, except a
 * template without (a decodable) publicKey: PKIXCMP_E_BAD_TEMPLATE.
 * A poposkInput sender is not checked here: the caller compares it with
 * the authenticated sender of the message.
 */
int pxc_certreq_check_pop(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                          int accept_raverified) PXC_MUST_CHECK;

/* As pxc_certreq_check_pop(); a signature POP that verifies leaves the
 * template's decoded key in *key (caller frees), else *key stays NULL. */
int pxc_certreq_check_pop_key(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                              int accept_raverified, EVP_PKEY **key) PXC_MUST_CHECK;

/* As pxc_certreq_check_pop_key(); der (len bytes; NULL: none) is crm's
 * certReq as it was received (DER that decodes to crm->certReq): a
 * signature POP over the CertRequest is then verified over these bytes
 * rather than over certReq encoded again. */
int pxc_certreq_check_pop_der(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                              int accept_raverified, EVP_PKEY **key, const unsigned char *der,
                              size_t len) PXC_MUST_CHECK;

/* Where the certReq of the first CertReqMsg lies in der, the DER of an
 * ir, cr, kur, krr or ccr PKIMessage that pkixcmp_msg_decode() accepted:
 * 1 with *out and *outlen set, else 0 (*out NULL). */
int pxc_certreq_locate_der(const unsigned char *der, size_t len, const unsigned char **out,
                           size_t *outlen) PXC_MUST_CHECK;

/* Bytes that are DER already, with PXC_RAW_DER an ASN.1 item (encode only,
 * untagged) that encodes as exactly these bytes. */
struct pxc_raw_der {
    const unsigned char *der;
    size_t len;
};
DECLARE_ASN1_ITEM(PXC_RAW_DER)

/* The public key of the template of crm (caller frees), NULL with
 * PKIXCMP_E_BAD_TEMPLATE if absent or undecodable. */
EVP_PKEY *pxc_certreq_get1_pubkey(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm) PXC_MUST_CHECK;

/*
 * The oldCertID control of crm, decoded into *certid (caller frees with
 * ASN1_item_free(.., ASN1_ITEM_rptr(PKIXCMP_CertId))), *certid = NULL if
 * crm has none. 0 with PKIXCMP_E_ITAV_VALUE if the value is not a CertId
 * or the control appears twice. (Controls are ANY values in asn1_types.h,
 * so there is no decoded CertId inside crm to borrow.)
 */
int pxc_certreq_get1_oldcertid(const PKIXCMP_CertReqMsg *crm, PKIXCMP_CertId **certid) PXC_MUST_CHECK;

/* 1 if certid names cert: issuer a directoryName equal to cert's issuer,
 * same serial number; else 0. */
int pxc_certid_matches(const PKIXCMP_CertId *certid, const X509 *cert);

/* ---- certreq_poposk.c: POPOSigningKeyInput (RFC 4211 4.1) ---- */

/*
 * A new poposkInput for the template key pub of certReqId id: publicKeyMAC
 * over the DER of pub with the context's secret if one is set, else sender
 * = the subject of the context's certificate (PKIXCMP_E_MISSING_PARAMETER
 * if neither is set).
 */
PKIXCMP_POPOSigningKeyInput *pxc_poposk_input_new(const PKIXCMP_CTX *ctx,
                                                  const X509_PUBKEY *pub, long id) PXC_MUST_CHECK;

/* Checks in against the template key: same publicKey, and a publicKeyMAC
 * that verifies with the context's secret (PKIXCMP_E_BAD_POP otherwise);
 * a sender is accepted here. */
int pxc_poposk_input_check(const PKIXCMP_CTX *ctx, const PKIXCMP_POPOSigningKeyInput *in,
                           const X509_PUBKEY *tmpl_key, long id) PXC_MUST_CHECK;

#endif
