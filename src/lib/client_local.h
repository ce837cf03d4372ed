/*
 * client_local.h - the client's request builders (req_build.c), shared with
 * the engine (client.c). Defaults are resolved here, in one place.
 */
#ifndef PKIXCMP_CLIENT_LOCAL_H
#define PKIXCMP_CLIENT_LOCAL_H

#include "asn1_types.h"
#include "ctx_local.h"

/* certReqId of a p10cr's response (RFC 9483 4.1.4: -1) */
#define PXC_P10CR_CERTREQID (-1)

/* The certificate a kur updates and an rr revokes: -oldcert, else our
 * protection certificate. NULL if neither is set. */
X509 *pxc_client_refcert(const PKIXCMP_CTX *ctx);

/* The public key to be certified: -newkey, else the CSR's, else our key. */
EVP_PKEY *pxc_client_request_key(const PKIXCMP_CTX *ctx);

/*
 * A new request of type `type` with header (sender, recipient, fresh
 * transactionID unless tid is given, recipNonce) and generalInfo
 * (-geninfo, implicitConfirm if asked and the type allows it).
 */
PKIXCMP_MSG *pxc_req_new(const PKIXCMP_CTX *ctx, int type, const ASN1_OCTET_STRING *tid,
                         const ASN1_OCTET_STRING *recip_nonce) PXC_MUST_CHECK;

/* Request bodies: ir/cr/kur/ccr (one CertReqMsg) or p10cr; rr; genm. */
PKIXCMP_MSG *pxc_req_certreq(const PKIXCMP_CTX *ctx, int type) PXC_MUST_CHECK;
PKIXCMP_MSG *pxc_req_rr(const PKIXCMP_CTX *ctx) PXC_MUST_CHECK;
PKIXCMP_MSG *pxc_req_genm(const PKIXCMP_CTX *ctx) PXC_MUST_CHECK;

/* certConf for cert (reject: a PKIStatusInfo with status rejection, else
 * NULL) and pollReq, both continuing the transaction of prev (the last
 * response: its transactionID, and its senderNonce as our recipNonce). */
PKIXCMP_MSG *pxc_req_certconf(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *prev, const X509 *cert,
                              long cert_req_id, const PKIXCMP_PKIStatusInfo *reject) PXC_MUST_CHECK;
PKIXCMP_MSG *pxc_req_pollreq(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *prev,
                             long cert_req_id) PXC_MUST_CHECK;

#endif
