/*
 * protect_local.h - the parts of protection and verification, each in a
 * file of its own: MAC (mac.c), signature (sign.c), finding and validating
 * the signer (signer.c); protect.c sequences them.
 */
#ifndef PKIXCMP_PROTECT_LOCAL_H
#define PKIXCMP_PROTECT_LOCAL_H

#include "asn1_types.h"
#include "ctx_local.h"

/* ---- mac.c: id-PasswordBasedMac (RFC 4211 4.4, RFC 9810 5.1.3.1) and
 *      PBMAC1 (RFC 9481 6.1.2, RFC 8018) ---- */

/* 1 if alg is id-PasswordBasedMac or PBMAC1, else 0. */
int pxc_mac_is_mac_alg(const X509_ALGOR *alg);

/*
 * A new protectionAlg for our messages as the context says (PBM or PBMAC1,
 * digest, MAC, iterations, random salt of the configured length).
 */
X509_ALGOR *pxc_mac_new_alg(const PKIXCMP_CTX *ctx) PXC_MUST_CHECK;

/*
 * Computes the MAC of data with the context's secret and the algorithm and
 * parameters of alg, into a new buffer *mac of *maclen bytes (OPENSSL_free).
 * Refuses unknown algorithms (PKIXCMP_E_UNKNOWN_ALGORITHM), malformed
 * parameters (PKIXCMP_E_BAD_PROTECTION_PARAMS), iteration counts and salts
 * above the context's limits (PKIXCMP_E_ITERATION_COUNT_TOO_HIGH,
 * PKIXCMP_E_SALT_TOO_LONG), a missing secret (PKIXCMP_E_NO_CREDENTIALS).
 */
int pxc_mac_compute(const PKIXCMP_CTX *ctx, const X509_ALGOR *alg,
                    const unsigned char *data, size_t len,
                    unsigned char **mac, size_t *maclen) PXC_MUST_CHECK;

/* ---- sign.c: signatures over ProtectedPart (RFC 9810 5.1.3.3) ---- */

/*
 * Signs pp with the context's key: sets *alg (the protectionAlg inside
 * pp's header, which the signature covers) and sig. The algorithm follows
 * the key: RSA PKCS#1 v1.5 with the context's digest, RSASSA-PSS for
 * RSA-PSS keys, ECDSA, Ed25519/Ed448 without a digest.
 */
int pxc_sig_sign(const PKIXCMP_CTX *ctx, PKIXCMP_ProtectedPart *pp,
                 X509_ALGOR *alg, ASN1_BIT_STRING *sig) PXC_MUST_CHECK;

/* Verifies sig over pp under alg with key (PKIXCMP_E_BAD_SIGNATURE,
 * PKIXCMP_E_UNKNOWN_ALGORITHM). */
int pxc_sig_verify(const PKIXCMP_CTX *ctx, const PKIXCMP_ProtectedPart *pp,
                   const X509_ALGOR *alg, const ASN1_BIT_STRING *sig,
                   EVP_PKEY *key) PXC_MUST_CHECK;

/* ---- signer.c: whose signature is it, and do we trust it? ---- */

/*
 * Finds the certificate that signed msg and validates it: the pinned
 * srvcert if set (used as is); else candidates from extraCerts and the
 * untrusted certificates whose subject equals the sender and whose SKID
 * equals senderKID (if present), each validated with the trust store
 * (untrusted = extraCerts + untrusted, time = the context's clock), key
 * usage digitalSignature unless ignored, CMP EKU if required; the first
 * whose signature verifies wins. Returns it up-referenced, or NULL with
 * the most specific error (PKIXCMP_E_NO_SIGNER, _UNTRUSTED_SIGNER with the
 * X509 verify error text, _SIGNER_EXPIRED, _SIGNER_KEY_USAGE, _SIGNER_EKU,
 * _BAD_SIGNATURE).
 */
X509 *pxc_signer_find(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg) PXC_MUST_CHECK;

/* ---- hdr_check.c: header checks (RFC 9810 5.1.1, RFC 9483 3.1, 3.5) ---- */

/*
 * Checks the header of a response against its request, without looking at
 * the protection: pvno (the request's, or an error with unsupportedVersion
 * from a server that knows fewer versions), transactionID equal, recipNonce
 * equal to the request's senderNonce, senderNonce present (at least 16
 * bytes as RFC 9483 3.1 asks), sender equal to the expected sender or the
 * request's recipient when that is not NULL-DN, messageTime within the
 * context's skew. Each failure has its own code (PKIXCMP_E_WRONG_PVNO,
 * _WRONG_TRANSACTIONID, _WRONG_RECIPNONCE, _MISSING_SENDERNONCE,
 * _SENDER_MISMATCH, _MESSAGE_TIME) and a detail with both values in hex.
 */
int pxc_hdr_check_response(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req,
                           const PKIXCMP_MSG *rsp) PXC_MUST_CHECK;

/*
 * Checks the header of a request a server received: pvno 2 or 3,
 * transactionID and senderNonce present (16 bytes at least), sender a
 * directoryName, senderKID present if MAC-protected (the reference),
 * messageTime within the skew.
 */
int pxc_hdr_check_request(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req) PXC_MUST_CHECK;

/* The DER of ProtectedPart { msg's header, msg's body } in a new buffer. */
int pxc_protected_part_der(const PKIXCMP_MSG *msg, unsigned char **der) PXC_MUST_CHECK;

/* pkixcmp_msg_verify() of msg whose ProtectedPart DER is pp, e.g. taken
 * from the DER msg was decoded from (NULL: msg is encoded). */
int pxc_msg_verify_pp(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, const unsigned char *pp,
                      size_t pplen, X509 **signer) PXC_MUST_CHECK;

/* The ProtectedPart DER of the PKIMessage that der is (checked DER, e.g.
 * by pkixcmp_msg_decode()): its header and body as they are there; the
 * caller frees it. -1 if der is not a SEQUENCE of at least two. */
int pxc_protected_part_from_der(const unsigned char *der, size_t len, unsigned char **pp)
    PXC_MUST_CHECK;

/* pkixcmp_msg_protect(), also handing back in *pp (caller frees) the
 * ProtectedPart DER that a MAC was computed over; *pp stays NULL for a
 * signature. */
int pxc_msg_protect_keep(const PKIXCMP_CTX *ctx, PKIXCMP_MSG *msg, unsigned char **pp,
                         size_t *pplen) PXC_MUST_CHECK;

/*
 * pkixcmp_msg_encode() of msg whose ProtectedPart DER (header and body,
 * as msg has them now) is pp: the header and body are not encoded again,
 * only protection and extraCerts.
 */
int pxc_msg_encode_with_pp(const PKIXCMP_MSG *msg, const unsigned char *pp, size_t pplen,
                           unsigned char **out) PXC_MUST_CHECK;

/* pkixcmp_msg_check_response(), and *signer (if not NULL) the validated
 * signer of a signed response (caller frees; NULL for MAC protection). */
int pxc_check_response(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, const PKIXCMP_MSG *rsp,
                       X509 **signer) PXC_MUST_CHECK;

#endif
