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
    const X509_NAME *subject;
    const X509_NAME *issuer;
    EVP_PKEY *pubkey;               /* the public key to certify (required) */
    EVP_PKEY *popkey;               /* private key for a signature POP */
    int popo;                       /* PXC_POPO_* */
    time_t not_before, not_after;   /* validity; 0: absent */
    const STACK_OF(X509_EXTENSION) *exts; /* template extensions (SANs, policies ...) */
    const X509 *oldcert;            /* kur: the oldCertID control (issuer, serial) */
    const char *digest;             /* signature POP digest (NULL: the key's default) */
};

/*
 * A new CertReqMsg as described by p: CertTemplate (subject, issuer,
 * publicKey, validity, extensions), controls (oldCertID for kur), and the
 * POP: for a signature POP, the signature over the DER of certReq with
 * popkey (RFC 4211 4.1: no poposkInput when the template has a subject
 * and public key).
 */
PKIXCMP_CertReqMsg *pxc_certreq_new(const PKIXCMP_CTX *ctx,
                                    const struct pxc_certreq_params *p) PXC_MUST_CHECK;

/*
 * Checks the proof of possession of crm (server side): a signature POP
 * verifies with the template's public key (PKIXCMP_E_BAD_POP otherwise,
 * naming why); raVerified is accepted only if accept_raverified; a missing
 * POP, or keyEncipherment/keyAgreement, is refused with PKIXCMP_E_BAD_POP.
 */
int pxc_certreq_check_pop(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                          int accept_raverified) PXC_MUST_CHECK;

/* The public key of the template of crm (caller frees), NULL with
 * PKIXCMP_E_BAD_TEMPLATE if absent or undecodable. */
EVP_PKEY *pxc_certreq_get1_pubkey(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm) PXC_MUST_CHECK;

/* The oldCertID control of crm (borrowed), NULL if it has none. */
const PKIXCMP_CertId *pxc_certreq_get0_oldcertid(const PKIXCMP_CertReqMsg *crm);

#endif
