/*
 * hdr_build.c - the header of a new PKIMessage (RFC 9810 section 5.1.1).
 *
 *   PKIHeader ::= SEQUENCE { pvno, sender, recipient, messageTime [0],
 *       protectionAlg [1], senderKID [2], recipKID [3], transactionID [4],
 *       senderNonce [5], recipNonce [6], freeText [7], generalInfo [8] }
 *
 * protectionAlg and senderKID are left to pkixcmp_msg_protect().
 */
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include "hdr_build.h"

ASN1_OCTET_STRING *pxc_rand_octets(const PKIXCMP_CTX *ctx, size_t n)
{
    unsigned char buf[64];
    ASN1_OCTET_STRING *os = NULL;

    if (n == 0 || n > sizeof(buf)) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "random octet string of %zu bytes", n);
        return NULL;
    }
    /* "the senderNonce ... MUST be cryptographically random" (RFC 9810 5.1.1) */
    if (RAND_bytes_ex(ctx->libctx, buf, n, 0) <= 0) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "no random bytes for a nonce");
        return NULL;
    }
    if ((os = ASN1_OCTET_STRING_new()) == NULL || !ASN1_OCTET_STRING_set(os, buf, (int)n)) {
        ASN1_OCTET_STRING_free(os);
        PXC_ERR(PKIXCMP_E_MALLOC, "nonce");
        return NULL;
    }
    return os;
}

/* A GeneralName directoryName holding a copy of name (the NULL-DN if NULL). */
static GENERAL_NAME *dirname_new(const X509_NAME *name)
{
    GENERAL_NAME *gn = GENERAL_NAME_new();

    if (gn == NULL)
        return NULL;
    gn->type = GEN_DIRNAME;
    gn->d.directoryName = name != NULL ? X509_NAME_dup(name) : X509_NAME_new();
    if (gn->d.directoryName == NULL) {
        GENERAL_NAME_free(gn);
        return NULL;
    }
    return gn;
}

const X509_NAME *pxc_gn_dirname(const GENERAL_NAME *gn)
{
    return gn != NULL && gn->type == GEN_DIRNAME ? gn->d.directoryName : NULL;
}

static int fill_header(const PKIXCMP_CTX *ctx, PKIXCMP_PKIHeader *h, const X509_NAME *sender,
                       const X509_NAME *recipient, const ASN1_OCTET_STRING *tid,
                       const ASN1_OCTET_STRING *recip_nonce)
{
    GENERAL_NAME_free(h->sender);
    GENERAL_NAME_free(h->recipient);
    h->sender = dirname_new(sender);
    h->recipient = dirname_new(recipient);
    if (h->sender == NULL || h->recipient == NULL || !ASN1_INTEGER_set(h->pvno, ctx->pvno))
        goto malloc_fail;
    /* messageTime: RFC 9483 3.1 "the time at which the message was
     * produced"; GeneralizedTime in UTC, no fractions (DER) */
    if ((h->messageTime = ASN1_GENERALIZEDTIME_set(NULL, pxc_ctx_now(ctx))) == NULL)
        goto malloc_fail;
    if (tid != NULL) {
        if ((h->transactionID = ASN1_OCTET_STRING_dup(tid)) == NULL)
            goto malloc_fail;
    } else if ((h->transactionID = pxc_rand_octets(ctx, PXC_NONCE_LEN)) == NULL) {
        return 0;
    }
    if ((h->senderNonce = pxc_rand_octets(ctx, PXC_NONCE_LEN)) == NULL)
        return 0;
    if (recip_nonce != NULL && (h->recipNonce = ASN1_OCTET_STRING_dup(recip_nonce)) == NULL)
        goto malloc_fail;
    return 1;
malloc_fail:
    PXC_ERR(PKIXCMP_E_MALLOC, "building a PKIHeader");
    return 0;
}

PKIXCMP_MSG *pxc_msg_create(const PKIXCMP_CTX *ctx, int type, const X509_NAME *sender,
                            const X509_NAME *recipient, const ASN1_OCTET_STRING *tid,
                            const ASN1_OCTET_STRING *recip_nonce)
{
    PKIXCMP_MSG *msg = NULL, *ret = NULL;

    if (type < PKIXCMP_BODY_IR || type > PKIXCMP_BODY_POLLREP) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "body type %d", type);
        return NULL;
    }
    if ((msg = (PKIXCMP_MSG *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PKIMessage))) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "new PKIMessage");
        return NULL;
    }
    if (!fill_header(ctx, msg->header, sender, recipient, tid, recip_nonce))
        goto out;
    msg->body->type = type;
    if (type == PKIXCMP_BODY_PKICONF && (msg->body->value.pkiconf = ASN1_NULL_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "pkiConf body");
        goto out;
    }
    ret = msg;
    msg = NULL;
out:
    pkixcmp_msg_free(msg);
    return ret;
}

int pxc_hdr_add_geninfo(PKIXCMP_PKIHeader *hdr, const PKIXCMP_InfoTypeAndValue *itav)
{
    PKIXCMP_InfoTypeAndValue *dup;

    dup = (PKIXCMP_InfoTypeAndValue *)ASN1_item_dup(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue), itav);
    if (dup == NULL
        || (hdr->generalInfo == NULL
            && (hdr->generalInfo = sk_PKIXCMP_InfoTypeAndValue_new_null()) == NULL)
        || !sk_PKIXCMP_InfoTypeAndValue_push(hdr->generalInfo, dup)) {
        ASN1_item_free((ASN1_VALUE *)dup, ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
        PXC_ERR(PKIXCMP_E_MALLOC, "generalInfo");
        return 0;
    }
    return 1;
}

/* RFC 9810 5.1.1.1: implicitConfirm, { id-it 13 }, ImplicitConfirmValue ::= NULL */
int pxc_hdr_set_implicit_confirm(PKIXCMP_PKIHeader *hdr)
{
    PKIXCMP_InfoTypeAndValue *itav = NULL;
    int ret = 0;

    if (pxc_hdr_has_implicit_confirm(hdr))
        return 1;
    itav = (PKIXCMP_InfoTypeAndValue *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    if (itav == NULL || (itav->infoValue = ASN1_TYPE_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "implicitConfirm");
        goto out;
    }
    ASN1_OBJECT_free(itav->infoType);
    itav->infoType = OBJ_nid2obj(NID_id_it_implicitConfirm);
    ASN1_TYPE_set(itav->infoValue, V_ASN1_NULL, NULL);
    ret = pxc_hdr_add_geninfo(hdr, itav);
out:
    ASN1_item_free((ASN1_VALUE *)itav, ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    return ret;
}

int pxc_hdr_has_implicit_confirm(const PKIXCMP_PKIHeader *hdr)
{
    int i;

    for (i = 0; hdr->generalInfo != NULL
                && i < sk_PKIXCMP_InfoTypeAndValue_num(hdr->generalInfo); i++) {
        const PKIXCMP_InfoTypeAndValue *itav = sk_PKIXCMP_InfoTypeAndValue_value(hdr->generalInfo, i);

        if (OBJ_obj2nid(itav->infoType) == NID_id_it_implicitConfirm)
            return 1;
    }
    return 0;
}

/* RFC 9810 5.3: which body answers which request. */
int pxc_response_type(int req_type)
{
    switch (req_type) {
    case PKIXCMP_BODY_IR:
        return PKIXCMP_BODY_IP;
    case PKIXCMP_BODY_CR:
    case PKIXCMP_BODY_P10CR:
        return PKIXCMP_BODY_CP;
    case PKIXCMP_BODY_KUR:
        return PKIXCMP_BODY_KUP;
    case PKIXCMP_BODY_CCR:
        return PKIXCMP_BODY_CCP;
    case PKIXCMP_BODY_RR:
        return PKIXCMP_BODY_RP;
    case PKIXCMP_BODY_GENM:
        return PKIXCMP_BODY_GENP;
    case PKIXCMP_BODY_CERTCONF:
        return PKIXCMP_BODY_PKICONF;
    case PKIXCMP_BODY_POLLREQ:
        return PKIXCMP_BODY_POLLREP;
    default:
        return -1;
    }
}
