/*
 * mockca.h - the certificate authority behind the mock CMP server: issues
 * real X.509v3 certificates from CRMF templates and PKCS#10 requests, keeps
 * a registry of what it issued (for kur and rr), and answers general
 * messages (genm). It knows nothing of CMP messages: the server core
 * (server.c) unpacks a request, calls one function here and packs the
 * answer, mapping the error code to a failInfo with
 * pkixcmp_err_failinfo_bit() (BAD_TEMPLATE -> badCertTemplate, BAD_POP ->
 * badPOP, UNKNOWN_CERT -> badCertId, CERT_REVOKED -> certRevoked,
 * CA_FAILURE -> systemFailure, INVALID_ARGUMENT -> badRequest).
 *
 * Two modes, as openssl cmp's mock server (apps/lib/cmp_mock_srv.c) has:
 *  - issuing mode (a CA certificate and key are set): every request gets a
 *    freshly signed certificate;
 *  - fixed mode (pxc_mockca_set1_rsp_cert): every request gets a copy of the
 *    configured certificate (openssl cmp -rsp_cert), templates are ignored.
 *
 * Threads: configure first (set*, register_cert), then share. issue,
 * issue_csr, revoke, check_oldcert, get_status, get1_cert, count and genm
 * may run concurrently on one PXC_MOCKCA; the registry is guarded by a
 * CRYPTO_RWLOCK, and signing happens outside it.
 *
 * Failures raise a PXC_ERR with the code named in each contract. The issue
 * functions also copy the error detail into why (if why_len > 0; set to ""
 * on success) so the server can put it into PKIStatusInfo.statusString.
 */
#ifndef PKIXCMP_MOCKCA_H
#define PKIXCMP_MOCKCA_H

#include <stddef.h>
#include <time.h>
#include <openssl/x509.h>
#include "asn1_types.h"
#include "internal.h"

typedef struct pxc_mockca_st PXC_MOCKCA;

/* Validity of an issued certificate when the template names no notAfter. */
#define PXC_MOCKCA_DEFAULT_DAYS 365
/* Registry size when none is set: about 1 KB per certificate (its DER). */
#define PXC_MOCKCA_DEFAULT_MAX_ENTRIES ((size_t)100000)
/* Largest registry size accepted by pxc_mockca_set_max_entries(). */
#define PXC_MOCKCA_MAX_ENTRIES_LIMIT ((size_t)1 << 24)

/* CRLReason values of revoke (RFC 5280 5.3.1); -1: no reason given. */
#define PXC_MOCKCA_REASON_NONE (-1)
#define PXC_MOCKCA_REASON_CERTIFICATE_HOLD 6
#define PXC_MOCKCA_REASON_REMOVE_FROM_CRL 8

/* A new mock CA using libctx/propq (both may be NULL) for keys, digests
 * and randomness; NULL if out of memory. */
PXC_MOCKCA *pxc_mockca_new(OSSL_LIB_CTX *libctx, const char *propq) PXC_MUST_CHECK;
/* Frees ca and everything it holds; NULL is a no-op. */
void pxc_mockca_free(PXC_MOCKCA *ca);

/* ------------------------------------------------------ configuration */

/*
 * The issuing CA: its certificate, its private key (must match the
 * certificate; PKIXCMP_E_INVALID_ARGUMENT otherwise) and chain, its issuers
 * up to the root (may be NULL). All are up-referenced.
 */
int pxc_mockca_set1_ca(PXC_MOCKCA *ca, X509 *cacert, EVP_PKEY *cakey,
                       STACK_OF(X509) *chain) PXC_MUST_CHECK;

/* Fixed mode: every issue/issue_csr returns a copy of cert (NULL ends
 * fixed mode). openssl cmp -rsp_cert. */
int pxc_mockca_set1_rsp_cert(PXC_MOCKCA *ca, X509 *cert) PXC_MUST_CHECK;

/*
 * The certificate expected in kur (oldCertID) and rr (openssl cmp
 * -ref_cert): its issuer and serial are always accepted by check_oldcert
 * and revoke, without state. Without it, fixed mode takes the rsp_cert as
 * the reference (openssl 3.0 does so). NULL clears.
 */
int pxc_mockca_set1_ref_cert(PXC_MOCKCA *ca, X509 *cert) PXC_MUST_CHECK;

/* extraCerts of certificate responses (openssl -rsp_extracerts); copied
 * with up-referenced certificates; NULL clears. */
int pxc_mockca_set1_rsp_extracerts(PXC_MOCKCA *ca, STACK_OF(X509) *certs) PXC_MUST_CHECK;
/* caPubs of ip and the genm caCerts answer (-rsp_capubs); NULL clears. */
int pxc_mockca_set1_rsp_capubs(PXC_MOCKCA *ca, STACK_OF(X509) *certs) PXC_MUST_CHECK;
/* The CRL of the genm crlStatusList answer (-rsp_crl); NULL clears. */
int pxc_mockca_set1_rsp_crl(PXC_MOCKCA *ca, X509_CRL *crl) PXC_MUST_CHECK;
/* The genm rootCaCert answer (-rsp_newwithnew, -rsp_newwithold,
 * -rsp_oldwithnew); each NULL clears. */
int pxc_mockca_set1_newwithnew(PXC_MOCKCA *ca, X509 *cert) PXC_MUST_CHECK;
int pxc_mockca_set1_newwithold(PXC_MOCKCA *ca, X509 *cert) PXC_MUST_CHECK;
int pxc_mockca_set1_oldwithnew(PXC_MOCKCA *ca, X509 *cert) PXC_MUST_CHECK;
/* The genm certReqTemplate answer (copied); NULL restores the default
 * (issuer = the CA's subject; keySpec: EC P-256, P-384, Ed25519, RSA 2048
 * and 3072). */
int pxc_mockca_set1_certreq_template(PXC_MOCKCA *ca,
                                     const PKIXCMP_CertReqTemplateContent *t) PXC_MUST_CHECK;

/* Validity in days (1..36500) when the template has no notAfter. */
int pxc_mockca_set_days(PXC_MOCKCA *ca, int days) PXC_MUST_CHECK;
/* Signature digest (e.g. "SHA384"; NULL: SHA256). Ignored for keys with a
 * mandatory or no digest (Ed25519, Ed448). PKIXCMP_E_INVALID_ARGUMENT if
 * libctx has no such digest. */
int pxc_mockca_set_digest(PXC_MOCKCA *ca, const char *mdname) PXC_MUST_CHECK;
/* allow = 1: issue CA certificates when asked (basicConstraints cA=TRUE,
 * keyCertSign/cRLSign, nameConstraints, policy constraints and mappings,
 * inhibitAnyPolicy); default 0: such templates are refused. */
void pxc_mockca_set_allow_ca(PXC_MOCKCA *ca, int allow);
/* Registry size, 1..PXC_MOCKCA_MAX_ENTRIES_LIMIT; the oldest entries go
 * first when it is full (or now, if it holds more). */
int pxc_mockca_set_max_entries(PXC_MOCKCA *ca, size_t max) PXC_MUST_CHECK;

/* ------------------------------------------------------------ getters */

/* The CA certificate, NULL if none is set (borrowed). */
X509 *pxc_mockca_get0_cacert(const PXC_MOCKCA *ca);
/* The fixed certificate, NULL in issuing mode (borrowed). */
X509 *pxc_mockca_get0_rsp_cert(const PXC_MOCKCA *ca);
/* extraCerts for certificate responses: rsp_extracerts if set, else the
 * CA certificate followed by its chain, else NULL (borrowed). */
STACK_OF(X509) *pxc_mockca_get0_extracerts(const PXC_MOCKCA *ca);
/* caPubs for ip: rsp_capubs, or NULL (borrowed). */
STACK_OF(X509) *pxc_mockca_get0_capubs(const PXC_MOCKCA *ca);

/* ----------------------------------------------------------- issuance */

/*
 * Issues a certificate (caller frees) for a CRMF template (ir, cr, kur,
 * ccr) whose proof of possession the caller has checked:
 *  - serialNumber: new random 128-bit positive (63 random bits and a
 *    per-CA counter: never reused by one PXC_MOCKCA); issuer: the CA's
 *    subject (a template issuer is a wish, RFC 4211, and is ignored);
 *  - subject: the template's; if absent or empty, oldcert's (kur); an
 *    empty subject needs a subjectAltName, which is then made critical;
 *  - validity: the template's notBefore (else now) and notAfter (else
 *    notBefore + days); notAfter must be later; not capped by the CA's;
 *  - public key: pubkey, else the template's; if both, they must match
 *    (a template key that does not decode, as for central key generation,
 *    is not compared);
 *  - extensions: the template's (SAN, key usage, EKU, policies and any
 *    other; each must decode and appear once), oldcert's SAN if the
 *    template has none; CA-only extensions are refused unless allow_ca
 *    (see set_allow_ca); the template's SKID/AKID are ignored; added:
 *    basicConstraints CA:FALSE (critical) unless cA=TRUE was allowed, SKID
 *    (RFC 7093 method 1), AKID keyIdentifier = the CA's SKID;
 *  - template fields RFC 4211 says MUST be omitted (serialNumber,
 *    signingAlg, issuerUID, subjectUID) or a version other than v3 are
 *    refused.
 * Signed with the CA key (digest of set_digest; none for EdDSA), recorded
 * in the registry at time now. NULL with PKIXCMP_E_BAD_TEMPLATE for a
 * template problem, PKIXCMP_E_CA_FAILURE for no CA or a signing failure.
 * Fixed mode: a copy of rsp_cert, whatever the template.
 * A certificate for a template's key gets that key's SubjectPublicKeyInfo
 * as it came: it knows its key by DER only (spki.h), X509_get0_pubkey() of
 * it is NULL until it is encoded and decoded (pxc_spki_cert_decoded()).
 */
X509 *pxc_mockca_issue(PXC_MOCKCA *ca, const PKIXCMP_CertTemplate *tmpl,
                       EVP_PKEY *pubkey, const X509 *oldcert, time_t now,
                       char *why, size_t why_len) PXC_MUST_CHECK;

/* As pxc_mockca_issue(), with tmpl_key (may be NULL) the template's
 * publicKey already decoded, e.g. for its POP check, so that it is not
 * decoded again. */
X509 *pxc_mockca_issue_key(PXC_MOCKCA *ca, const PKIXCMP_CertTemplate *tmpl, EVP_PKEY *pubkey,
                           EVP_PKEY *tmpl_key, const X509 *oldcert, time_t now, char *why,
                           size_t why_len) PXC_MUST_CHECK;

/*
 * Issues a certificate for a PKCS#10 request (p10cr): its self-signature
 * must verify (PKIXCMP_E_BAD_POP otherwise), then subject, public key and
 * the extensionRequest extensions are used as for a template (same rules
 * and errors; validity now .. now + days). Fixed mode: after the signature
 * check, a copy of rsp_cert.
 */
X509 *pxc_mockca_issue_csr(PXC_MOCKCA *ca, const X509_REQ *csr, time_t now,
                           char *why, size_t why_len) PXC_MUST_CHECK;

/* ----------------------------------------------------------- registry */

/*
 * The registry holds, per serial number, the DER of each certificate issued
 * (or registered), its time of issue and its revocation state. When full,
 * the oldest entry is evicted (a long-running mock server keeps working;
 * kur and rr of an evicted certificate then fail with UNKNOWN_CERT).
 */

/* Registers a certificate issued elsewhere (e.g. by this CA before the
 * server started; its issuer is not checked) so that kur and rr accept it.
 * PKIXCMP_E_INVALID_ARGUMENT if its serial number is registered already or
 * longer than 32 octets. */
int pxc_mockca_register_cert(PXC_MOCKCA *ca, const X509 *cert, time_t now) PXC_MUST_CHECK;

/*
 * Revokes the certificate issuer/serial with a CRLReason (-1: none, 0..10
 * but 7; PKIXCMP_E_INVALID_ARGUMENT otherwise) at time now. Errors:
 * PKIXCMP_E_UNKNOWN_CERT if not in the registry (or another issuer),
 * PKIXCMP_E_CERT_REVOKED if revoked already (a certificate on hold may be
 * revoked again with another reason). removeFromCRL (8) revives a
 * certificate on hold; for one not revoked, PKIXCMP_E_INVALID_ARGUMENT,
 * for one revoked for good, PKIXCMP_E_CERT_REVOKED.
 * The reference certificate (ref_cert; in fixed mode else rsp_cert) is
 * accepted every time without state, and in fixed mode so is a request
 * with neither issuer nor serial (an rr made from a CSR), as openssl does.
 */
int pxc_mockca_revoke(PXC_MOCKCA *ca, const X509_NAME *issuer,
                      const ASN1_INTEGER *serial, int reason, time_t now) PXC_MUST_CHECK;

/* kur: 1 if issuer/serial is the reference certificate or a registered,
 * unrevoked one; else 0 with PKIXCMP_E_UNKNOWN_CERT or
 * PKIXCMP_E_CERT_REVOKED (on hold counts as revoked). */
int pxc_mockca_check_oldcert(PXC_MOCKCA *ca, const X509_NAME *issuer,
                             const ASN1_INTEGER *serial) PXC_MUST_CHECK;

/* The state of a registered certificate. */
struct pxc_mockca_status {
    time_t issued;     /* now of issue/register_cert */
    int revoked;       /* 1 if revoked (or on hold) */
    int reason;        /* CRLReason, -1 if none given or not revoked */
    time_t revoked_at; /* now of the revocation, 0 if not revoked */
};

/* Fills *st for issuer/serial; 0 with PKIXCMP_E_UNKNOWN_CERT if not
 * registered. */
int pxc_mockca_get_status(PXC_MOCKCA *ca, const X509_NAME *issuer,
                          const ASN1_INTEGER *serial,
                          struct pxc_mockca_status *st) PXC_MUST_CHECK;

/* The registered certificate issuer/serial (caller frees), or NULL with
 * PKIXCMP_E_UNKNOWN_CERT. */
X509 *pxc_mockca_get1_cert(PXC_MOCKCA *ca, const X509_NAME *issuer,
                           const ASN1_INTEGER *serial) PXC_MUST_CHECK;

/* The number of certificates in the registry. */
size_t pxc_mockca_count(PXC_MOCKCA *ca);

/* ---------------------------------------------------------------- genm */

/*
 * The genp content for a genm content in (RFC 9810 5.3.19): one answer
 * per request ITAV, in order (openssl's mock refuses more than one):
 *  - id-it-caCerts (17): rsp_capubs, else the CA certificate and chain;
 *    absent value if there is none;
 *  - id-it-rootCaCert (20) -> id-it-rootCaKeyUpdate (18):
 *    {newwithnew, newwithold, oldwithnew}; absent value without newwithnew
 *    or when the request's certificate (oldWithOld) has another subject;
 *  - id-it-certReqTemplate (19): the configured or default template;
 *  - id-it-crlStatusList (22) -> id-it-crls (23): the rsp_crl if some
 *    CRLStatus names it (dpn: any; issuer: a directoryName equal to the
 *    CRL issuer) and it is newer than that thisUpdate; else absent;
 *  - id-it-signKeyPairTypes (2): rsaEncryption, RSASSA-PSS,
 *    id-ecPublicKey P-256/P-384/P-521, Ed25519, Ed448;
 *  - any other: echoed unchanged (OID and value), as openssl's mock does.
 * An empty request gets an empty answer. *out is a new GenRepContent, freed
 * with ASN1_item_free((ASN1_VALUE *)*out, ASN1_ITEM_rptr(PKIXCMP_GenRepContent)).
 * Errors: a request value not of its type (or a crlStatusList without
 * one), PKIXCMP_E_ITAV_VALUE.
 */
int pxc_mockca_genm(PXC_MOCKCA *ca, const STACK_OF(PKIXCMP_InfoTypeAndValue) *in,
                    STACK_OF(PKIXCMP_InfoTypeAndValue) **out) PXC_MUST_CHECK;

#endif
