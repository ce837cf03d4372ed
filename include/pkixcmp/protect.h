/*
 * protect.h - protecting PKIMessages and verifying their protection and
 * headers (RFC 9810 sections 5.1.1 and 5.1.3, RFC 9483 section 3).
 */
#ifndef PKIXCMP_PROTECT_H
#define PKIXCMP_PROTECT_H

#include <pkixcmp/ctx.h>
#include <pkixcmp/msg.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Protects msg: with the context's secret if one is set (PBM or PBMAC1 as
 * configured, senderKID = the reference), else by signature with its
 * certificate and key (senderKID = the certificate's SKID; sender = its
 * subject, as RFC 9483 3.1 requires; extraCerts = the certificate, its chain
 * from the untrusted certificates, then the configured extra certificates).
 * Sets protectionAlg, protection, and the header fields named.
 */
int pkixcmp_msg_protect(const PKIXCMP_CTX *ctx, PKIXCMP_MSG *msg);

/*
 * Verifies the protection of msg: a MAC with the context's secret, or a
 * signature by a certificate found among the pinned server certificate,
 * the extraCerts and the untrusted certificates by sender and senderKID,
 * whose chain validates against the trust store. On success and if signer
 * is not NULL, *signer is the signer's certificate (caller frees; NULL for
 * MAC protection).
 */
int pkixcmp_msg_verify(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, X509 **signer);

/*
 * Checks a response against the request it answers: protection (as
 * pkixcmp_msg_verify(), with the unprotected-errors policy), pvno,
 * transactionID, recipNonce = the request's senderNonce, sender,
 * messageTime skew.
 */
int pkixcmp_msg_check_response(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req,
                               const PKIXCMP_MSG *rsp);

/*
 * The caPubs of a certificate response (ip, cp, kup, ccp) that may become
 * trust anchors: only when rsp is MAC-protected and the MAC verifies with
 * the context's secret, as the shared secret then authenticates the CA
 * (RFC 9483 4.1.1); a signed response's caPubs are not trusted this way
 * (PKIXCMP_E_WRONG_INTEGRITY). Returns a new stack (possibly empty) of
 * up-referenced certificates, or NULL.
 */
STACK_OF(X509) *pkixcmp_msg_get1_trusted_capubs(const PKIXCMP_CTX *ctx,
                                                const PKIXCMP_MSG *rsp);

/*
 * The PKIFailureInfo bit (0..26, RFC 9810 section 5.2.3) a server sends for
 * a request refused with pkixcmp error code, e.g. badMessageCheck (1) for
 * PKIXCMP_E_WRONG_MAC; badRequest (2) for codes without a closer bit.
 */
int pkixcmp_err_failinfo_bit(int code);

#ifdef __cplusplus
}
#endif
#endif
