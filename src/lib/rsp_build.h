/*
 * rsp_build.h - the bodies of the responses a server sends (RFC 9810
 * section 5.3): CertRepMessage, RevRepContent, ErrorMsgContent,
 * PollRepContent. Each builder copies (or up-references) its arguments.
 */
#ifndef PKIXCMP_RSP_BUILD_H
#define PKIXCMP_RSP_BUILD_H

#include "asn1_types.h"
#include "internal.h"

/*
 * A CertRepMessage (ip, cp, kup, ccp) with one CertResponse: certReqId,
 * status (si, or accepted if NULL), certifiedKeyPair with cert if cert is
 * not NULL; caPubs if ca_pubs has any certificate.
 */
PKIXCMP_CertRepMessage *pxc_certrep_new(long cert_req_id, const PKIXCMP_PKIStatusInfo *si,
                                        X509 *cert, const STACK_OF(X509) *ca_pubs)
    PXC_MUST_CHECK;

/*
 * Makes the one CertifiedKeyPair of crm carry encrypted values (RFC 9810
 * 5.3.4): enc_cert (if not NULL) replaces the certificate as encryptedCert,
 * priv (if not NULL) becomes privateKey. Takes both over, also on failure.
 */
int pxc_certrep_set0_encrypted(PKIXCMP_CertRepMessage *crm, PKIXCMP_EncryptedKey *enc_cert,
                               PKIXCMP_EncryptedKey *priv) PXC_MUST_CHECK;

/* A RevRepContent with one status (si, or accepted if NULL) and, if issuer
 * and serial are not NULL, revCerts with their CertId. */
PKIXCMP_RevRepContent *pxc_revrep_new(const PKIXCMP_PKIStatusInfo *si, const X509_NAME *issuer,
                                      const ASN1_INTEGER *serial) PXC_MUST_CHECK;

/* An ErrorMsgContent: pKIStatusInfo si, errorCode if error_code >= 0,
 * errorDetails with details if not NULL. */
PKIXCMP_ErrorMsgContent *pxc_errormsg_new(const PKIXCMP_PKIStatusInfo *si, long error_code,
                                          const char *details) PXC_MUST_CHECK;

/* A PollRepContent with one entry: certReqId, checkAfter (seconds, >= 0),
 * reason if not NULL. */
PKIXCMP_PollRepContent *pxc_pollrep_new(long cert_req_id, long check_after,
                                        const char *reason) PXC_MUST_CHECK;

/* The status of the single response in a CertRepMessage, RevRepContent or
 * ErrorMsgContent body of msg; -1 for other bodies or none. */
int pxc_rsp_status(const PKIXCMP_MSG *msg);

#endif
