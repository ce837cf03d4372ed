/*
 * certconf.h - the certificate hash of certConf (RFC 9810 section 5.3.18):
 * which hash, computing it, building a CertStatus and checking a received one.
 */
#ifndef PKIXCMP_CERTCONF_H
#define PKIXCMP_CERTCONF_H

#include "asn1_types.h"
#include "ctx_local.h"

/*
 * The hash algorithm for certHash of cert: the hash of the certificate's
 * signature algorithm; for signature algorithms without one (Ed25519:
 * SHA-512, Ed448: SHAKE256 with 64 bytes of output, RFC 9481 section 2) the
 * one RFC 9481 names, and then *needs_hashalg = 1 (CertStatus.hashAlg MUST
 * be present, so pvno 3). Returns an EVP_MD fetched with the context's
 * libctx/propq (caller frees), or NULL (PKIXCMP_E_UNKNOWN_ALGORITHM).
 */
EVP_MD *pxc_certhash_md(const PKIXCMP_CTX *ctx, const X509 *cert, int *needs_hashalg)
    PXC_MUST_CHECK;

/* certHash of cert with md into out (at least EVP_MAX_MD_SIZE bytes, 64 for
 * SHAKE256); *outlen its length. */
int pxc_certhash(const PKIXCMP_CTX *ctx, const X509 *cert, const EVP_MD *md,
                 unsigned char *out, size_t *outlen) PXC_MUST_CHECK;

/*
 * A new CertStatus confirming (status NULL) or rejecting (status given,
 * copied) cert of certReqId, with hashAlg set where needed.
 */
PKIXCMP_CertStatus *pxc_certstatus_new(const PKIXCMP_CTX *ctx, const X509 *cert,
                                       long cert_req_id,
                                       const PKIXCMP_PKIStatusInfo *status) PXC_MUST_CHECK;

/*
 * Checks a received CertStatus against the certificate the server issued:
 * certReqId equal, certHash equal to the hash (with hashAlg if present,
 * which must then be a known digest; else the rule above). Errors:
 * PKIXCMP_E_WRONG_CERTHASH, PKIXCMP_E_WRONG_CERTREQID,
 * PKIXCMP_E_UNKNOWN_ALGORITHM.
 */
int pxc_certstatus_check(const PKIXCMP_CTX *ctx, const PKIXCMP_CertStatus *cs,
                         const X509 *cert, long cert_req_id) PXC_MUST_CHECK;

#endif
