/*
 * hdr_build.h - building PKIMessages: a header with fresh nonces for a new
 * message of a given body type, and the small parts every body builder
 * shares (PKIStatusInfo, implicitConfirm). Used by client and server.
 */
#ifndef PKIXCMP_HDR_BUILD_H
#define PKIXCMP_HDR_BUILD_H

#include "asn1_types.h"
#include "ctx_local.h"

/* Length of the transactionID and nonces we create (RFC 9810 5.1.1: at
 * least 128 bits). */
#define PXC_NONCE_LEN 16

/* A new octet string of n random bytes from the context's DRBG. */
ASN1_OCTET_STRING *pxc_rand_octets(const PKIXCMP_CTX *ctx, size_t n) PXC_MUST_CHECK;

/*
 * A new message of body type `type` (body value left NULL for the caller
 * to set, except pkiconf, which gets its NULL) with a header: pvno from the
 * context; sender and recipient as directoryNames (NULL: the NULL-DN);
 * messageTime from the context's clock; transactionID a copy of tid, or
 * fresh random bytes if tid is NULL; a fresh senderNonce; recipNonce a
 * copy of recip_nonce if not NULL.
 */
PKIXCMP_MSG *pxc_msg_create(const PKIXCMP_CTX *ctx, int type, const X509_NAME *sender,
                            const X509_NAME *recipient, const ASN1_OCTET_STRING *tid,
                            const ASN1_OCTET_STRING *recip_nonce) PXC_MUST_CHECK;

/* The body type that answers a request of body type req_type (ip for ir,
 * cp for cr and p10cr, ..., pkiConf for certConf, pollRep for pollReq);
 * -1 for a type that is no request. */
int pxc_response_type(int req_type);

/* Adds a copy of itav to the header's generalInfo. */
int pxc_hdr_add_geninfo(PKIXCMP_PKIHeader *hdr, const PKIXCMP_InfoTypeAndValue *itav) PXC_MUST_CHECK;

/* Adds implicitConfirm (id-it-implicitConfirm, value NULL) to generalInfo;
 * tells whether a header carries it. */
int pxc_hdr_set_implicit_confirm(PKIXCMP_PKIHeader *hdr) PXC_MUST_CHECK;
int pxc_hdr_has_implicit_confirm(const PKIXCMP_PKIHeader *hdr);

/* The directoryName inside a GeneralName, NULL if gn is not one. */
const X509_NAME *pxc_gn_dirname(const GENERAL_NAME *gn);

/*
 * A new PKIStatusInfo: status (0 accepted ... 6 keyUpdateWarning), the
 * PKIFailureInfo bits set in failinfo (bit i of the mask = bit i of
 * RFC 9810 5.2.3; 0: no failInfo), and statusString text if not NULL.
 */
PKIXCMP_PKIStatusInfo *pxc_statusinfo_new(int status, unsigned long failinfo,
                                          const char *text) PXC_MUST_CHECK;

/* PKIStatus values (RFC 9810 5.2.3). */
#define PXC_STATUS_ACCEPTED 0
#define PXC_STATUS_GRANTED_WITH_MODS 1
#define PXC_STATUS_REJECTION 2
#define PXC_STATUS_WAITING 3
#define PXC_STATUS_REVOCATION_WARNING 4
#define PXC_STATUS_REVOCATION_NOTIFICATION 5
#define PXC_STATUS_KEY_UPDATE_WARNING 6

/* The status of a PKIStatusInfo as an int, -1 if absent or out of range;
 * its failInfo bits as a mask (0 if absent). */
int pxc_statusinfo_status(const PKIXCMP_PKIStatusInfo *si);
unsigned long pxc_statusinfo_failinfo(const PKIXCMP_PKIStatusInfo *si);

/*
 * A one-line text of a PKIStatusInfo for messages and logs, e.g.
 * "rejection; failInfo: badPOP, badRequest; text: \"POP failed\"".
 */
const char *pxc_statusinfo_text(const PKIXCMP_PKIStatusInfo *si, char *buf, size_t size);

/* The name of a PKIStatus value ("accepted" ...) and of a PKIFailureInfo
 * bit ("badAlg" ...), NULL if out of range; a bit by its name, -1 if none. */
const char *pxc_status_name(long status);
const char *pxc_failinfo_name(int bit);
int pxc_failinfo_bit_by_name(const char *name);

#endif
