/*
 * req_build.c - the client's requests (RFC 9810 5.3, RFC 9483 4): header
 * defaults, ir/cr/kur/ccr/p10cr, rr, genm, certConf and pollReq bodies.
 */
#include <openssl/x509v3.h>
#include "certconf.h"
#include "certreq.h"
#include "client_local.h"
#include "enc_cert.h"
#include "hdr_build.h"

X509 *pxc_client_refcert(const PKIXCMP_CTX *ctx)
{
    return ctx->cl.oldcert != NULL ? ctx->cl.oldcert : ctx->cert;
}

EVP_PKEY *pxc_client_request_key(const PKIXCMP_CTX *ctx)
{
    if (ctx->cl.newkey != NULL)
        return ctx->cl.newkey;
    if (ctx->cl.p10csr != NULL)
        return X509_REQ_get0_pubkey(ctx->cl.p10csr);
    return ctx->pkey;
}

/* sender: our protection certificate's subject (RFC 9483 3.1 requires it
 * with signatures), else the old certificate's, else the requested
 * subject, else the NULL-DN (MAC protection identifies us by senderKID). */
static const X509_NAME *default_sender(const PKIXCMP_CTX *ctx)
{
    if (ctx->cert != NULL)
        return X509_get_subject_name(ctx->cert);
    if (ctx->cl.oldcert != NULL)
        return X509_get_subject_name(ctx->cl.oldcert);
    return ctx->cl.subject;
}

/* recipient: -recipient, else the pinned server certificate's subject,
 * else -issuer, else the issuer of the old or our certificate. */
static const X509_NAME *default_recipient(const PKIXCMP_CTX *ctx)
{
    X509 *ref = pxc_client_refcert(ctx);

    if (ctx->cl.recipient != NULL)
        return ctx->cl.recipient;
    if (ctx->srvcert != NULL)
        return X509_get_subject_name(ctx->srvcert);
    if (ctx->cl.issuer != NULL)
        return ctx->cl.issuer;
    return ref != NULL ? X509_get_issuer_name(ref) : NULL;
}

static int is_certreq(int type)
{
    return type == PKIXCMP_BODY_IR || type == PKIXCMP_BODY_CR || type == PKIXCMP_BODY_KUR
        || type == PKIXCMP_BODY_P10CR || type == PKIXCMP_BODY_CCR;
}

PKIXCMP_MSG *pxc_req_new(const PKIXCMP_CTX *ctx, int type, const ASN1_OCTET_STRING *tid,
                         const ASN1_OCTET_STRING *recip_nonce)
{
    PKIXCMP_MSG *msg, *ret = NULL;
    int i;

    msg = pxc_msg_create(ctx, type, default_sender(ctx), default_recipient(ctx), tid, recip_nonce);
    if (msg == NULL)
        return NULL;
    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(ctx->cl.geninfo_itavs); i++)
        if (!pxc_hdr_add_geninfo(msg->header,
                                 sk_PKIXCMP_InfoTypeAndValue_value(ctx->cl.geninfo_itavs, i)))
            goto out;
    /* RFC 9810 5.1.1.1: implicitConfirm is for ir, cr, kur, p10cr (and ccr) */
    if (ctx->cl.implicit_confirm && is_certreq(type)
        && !pxc_hdr_set_implicit_confirm(msg->header))
        goto out;
    ret = msg;
    msg = NULL;
out:
    pkixcmp_msg_free(msg);
    return ret;
}

static int has_san(const STACK_OF(X509_EXTENSION) *exts)
{
    return X509v3_get_ext_by_NID(exts, NID_subject_alt_name, -1) >= 0;
}

/*
 * Template extensions: -reqexts/-sans, else the CSR's; for kur, the old
 * certificate's SANs unless we have some or -san_nodefault. Returns a new
 * stack (possibly empty) in *out.
 */
static int template_exts(const PKIXCMP_CTX *ctx, int type, STACK_OF(X509_EXTENSION) **out)
{
    STACK_OF(X509_EXTENSION) *exts = NULL;
    X509 *ref = pxc_client_refcert(ctx);
    int idx, ret = 0;

    if (ctx->cl.reqexts != NULL)
        exts = sk_X509_EXTENSION_deep_copy(ctx->cl.reqexts, X509_EXTENSION_dup, X509_EXTENSION_free);
    else if (ctx->cl.p10csr != NULL)
        exts = X509_REQ_get_extensions(ctx->cl.p10csr);
    else
        exts = sk_X509_EXTENSION_new_null();
    if (exts == NULL)
        goto out;
    if (type == PKIXCMP_BODY_KUR && ref != NULL && !ctx->cl.san_nodefault && !has_san(exts)
        && (idx = X509_get_ext_by_NID(ref, NID_subject_alt_name, -1)) >= 0
        && X509v3_add_ext(&exts, X509_get_ext(ref, idx), -1) == NULL)
        goto out;
    *out = exts;
    exts = NULL;
    ret = 1;
out:
    if (!ret)
        PXC_ERR(PKIXCMP_E_MALLOC, "template extensions");
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return ret;
}

/* The CertReqMsg of ir/cr/kur/ccr from the context's settings. */
static PKIXCMP_CertReqMsg *build_crm(const PKIXCMP_CTX *ctx, int type)
{
    struct pxc_certreq_params p = {0};
    STACK_OF(X509_EXTENSION) *exts = NULL;
    PKIXCMP_CertReqMsg *crm = NULL;
    X509 *ref = pxc_client_refcert(ctx);
    time_t now = pxc_ctx_now(ctx);

    p.cert_req_id = ctx->cl.cert_req_id;
    p.pubkey = pxc_client_request_key(ctx);
    if (p.pubkey != NULL && p.pubkey == ctx->cl.newkey)
        p.pubkey_enc = ctx->cl.newkey_enc;
    p.popkey = ctx->cl.newkey != NULL ? ctx->cl.newkey
        : ctx->cl.p10csr != NULL ? NULL : ctx->pkey;
    p.popo = (int)ctx->cl.popo;
    p.digest = ctx->digest;
    /* subject: -subject, else the CSR's, else (kur, or no SANs to name
     * the subject otherwise) the reference certificate's */
    p.subject = ctx->cl.subject;
    if (p.subject == NULL && ctx->cl.p10csr != NULL)
        p.subject = X509_REQ_get_subject_name(ctx->cl.p10csr);
    if (!template_exts(ctx, type, &exts))
        goto out;
    if (p.subject == NULL && ref != NULL && (type == PKIXCMP_BODY_KUR || !has_san(exts)))
        p.subject = X509_get_subject_name(ref);
    p.issuer = ctx->cl.issuer;
    if (p.issuer == NULL && type == PKIXCMP_BODY_KUR && ref != NULL)
        p.issuer = X509_get_issuer_name(ref);
    if (ctx->cl.days > 0) {
        p.not_before = now;
        p.not_after = now + ctx->cl.days * 86400L;
    }
    p.exts = sk_X509_EXTENSION_num(exts) > 0 ? exts : NULL;
    if (type == PKIXCMP_BODY_KUR) {
        if (ref == NULL) {
            PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "kur needs the certificate to update (-oldcert or -cert)");
            goto out;
        }
        p.oldcert = ref;
    }
    if (p.pubkey == NULL && p.popo != PXC_POPO_NONE) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER,
                "no key to certify: set the new key (-newkey), a CSR (-csr) or our key (-key)");
        goto out;
    }
    crm = pxc_certreq_new(ctx, &p);
    /* -popo -1 asks for central key generation (RFC 9483 4.1.6, as openssl
     * cmp 3.5): the template names at most the algorithm of the key */
    if (crm != NULL && p.popo == PXC_POPO_NONE && !pxc_enc_ckg_request(crm)) {
        ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
        crm = NULL;
    }
out:
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return crm;
}

PKIXCMP_MSG *pxc_req_certreq(const PKIXCMP_CTX *ctx, int type)
{
    PKIXCMP_MSG *msg = NULL, *ret = NULL;
    PKIXCMP_CertReqMsg *crm = NULL;
    PKIXCMP_CertReqMessages *crms = NULL;

    if (type == PKIXCMP_BODY_P10CR && ctx->cl.p10csr == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "p10cr needs a CSR (-csr)");
        return NULL;
    }
    if ((msg = pxc_req_new(ctx, type, NULL, NULL)) == NULL)
        return NULL;
    if (type == PKIXCMP_BODY_P10CR) {
        if ((msg->body->value.p10cr = X509_REQ_dup(ctx->cl.p10csr)) == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "p10cr body");
            goto out;
        }
    } else {
        if ((crm = build_crm(ctx, type)) == NULL)
            goto out;
        if ((crms = sk_PKIXCMP_CertReqMsg_new_null()) == NULL
            || !sk_PKIXCMP_CertReqMsg_push(crms, crm)) {
            PXC_ERR(PKIXCMP_E_MALLOC, "CertReqMessages");
            goto out;
        }
        crm = NULL; /* transferred */
        msg->body->value.ir = crms; /* same member type for cr, kur, ccr */
        crms = NULL;
    }
    ret = msg;
    msg = NULL;
out:
    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    ASN1_item_free((ASN1_VALUE *)crms, ASN1_ITEM_rptr(PKIXCMP_CertReqMessages));
    pkixcmp_msg_free(msg);
    return ret;
}

/*
 * RFC 9483 4.2: RevDetails ::= SEQUENCE { certDetails CertTemplate
 * (issuer and serialNumber of the certificate to revoke), crlEntryDetails
 * Extensions OPTIONAL (the reasonCode) }
 */
static PKIXCMP_RevDetails *build_revdetails(const PKIXCMP_CTX *ctx, const X509 *ref)
{
    PKIXCMP_RevDetails *rd, *ret = NULL;
    ASN1_ENUMERATED *reason = NULL;
    PKIXCMP_CertTemplate *t;
    const X509_REQ *csr = ctx->cl.p10csr;

    rd = (PKIXCMP_RevDetails *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_RevDetails));
    if (rd == NULL)
        goto fail;
    t = rd->certDetails;
    if (ctx->cl.revoke_serial != NULL) {
        /* -issuer and -serial name the certificate without having it */
        if ((t->issuer = X509_NAME_dup(ctx->cl.issuer)) == NULL
            || (t->serialNumber = ASN1_INTEGER_dup(ctx->cl.revoke_serial)) == NULL)
            goto fail;
    } else if (ref != NULL) {
        if ((t->issuer = X509_NAME_dup(X509_get_issuer_name(ref))) == NULL
            || (t->serialNumber = ASN1_INTEGER_dup(X509_get0_serialNumber(ref))) == NULL)
            goto fail;
    } else {
        /* without the certificate, a CSR names it by subject and public key */
        if ((t->subject = X509_NAME_dup(X509_REQ_get_subject_name(csr))) == NULL
            || !X509_PUBKEY_set(&t->publicKey, X509_REQ_get0_pubkey((X509_REQ *)csr)))
            goto fail;
    }
    if (ctx->cl.revreason >= 0) {
        if ((reason = ASN1_ENUMERATED_new()) == NULL
            || !ASN1_ENUMERATED_set(reason, ctx->cl.revreason)
            || !X509V3_add1_i2d(&rd->crlEntryDetails, NID_crl_reason, reason, 0, X509V3_ADD_REPLACE))
            goto fail;
    }
    ret = rd;
    rd = NULL;
    goto out;
fail:
    PXC_ERR(PKIXCMP_E_MALLOC, "RevDetails");
out:
    ASN1_ENUMERATED_free(reason);
    ASN1_item_free((ASN1_VALUE *)rd, ASN1_ITEM_rptr(PKIXCMP_RevDetails));
    return ret;
}

PKIXCMP_MSG *pxc_req_rr(const PKIXCMP_CTX *ctx)
{
    PKIXCMP_MSG *msg = NULL, *ret = NULL;
    PKIXCMP_RevDetails *rd = NULL;
    X509 *ref = ctx->cl.oldcert;

    if (ctx->cl.revoke_serial != NULL && ctx->cl.issuer == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "rr by serial number needs the issuer (-issuer)");
        return NULL;
    }
    if (ref == NULL && ctx->cl.p10csr == NULL && ctx->cl.revoke_serial == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER,
                "rr needs the certificate to revoke (-oldcert), its CSR (-csr), or -issuer and -serial");
        return NULL;
    }
    if ((msg = pxc_req_new(ctx, PKIXCMP_BODY_RR, NULL, NULL)) == NULL
        || (rd = build_revdetails(ctx, ref)) == NULL)
        goto out;
    if ((msg->body->value.rr = sk_PKIXCMP_RevDetails_new_null()) == NULL
        || !sk_PKIXCMP_RevDetails_push(msg->body->value.rr, rd)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "RevReqContent");
        goto out;
    }
    rd = NULL; /* transferred */
    ret = msg;
    msg = NULL;
out:
    ASN1_item_free((ASN1_VALUE *)rd, ASN1_ITEM_rptr(PKIXCMP_RevDetails));
    pkixcmp_msg_free(msg);
    return ret;
}

PKIXCMP_MSG *pxc_req_genm(const PKIXCMP_CTX *ctx)
{
    PKIXCMP_MSG *msg = NULL, *ret = NULL;

    if ((msg = pxc_req_new(ctx, PKIXCMP_BODY_GENM, NULL, NULL)) == NULL)
        return NULL;
    /* GenMsgContent may be empty (RFC 9810 5.3.19: SEQUENCE OF) */
    msg->body->value.genm = ctx->cl.genm_itavs != NULL
        ? (PKIXCMP_GenMsgContent *)ASN1_item_dup(ASN1_ITEM_rptr(PKIXCMP_GenMsgContent),
                                                 ctx->cl.genm_itavs)
        : sk_PKIXCMP_InfoTypeAndValue_new_null();
    if (msg->body->value.genm == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "GenMsgContent");
        goto out;
    }
    ret = msg;
    msg = NULL;
out:
    pkixcmp_msg_free(msg);
    return ret;
}

/* A request continuing prev's transaction: same transactionID, recipNonce
 * = prev's senderNonce (RFC 9810 5.1.1). */
static PKIXCMP_MSG *continue_req(const PKIXCMP_CTX *ctx, int type, const PKIXCMP_MSG *prev)
{
    return pxc_req_new(ctx, type, prev->header->transactionID, prev->header->senderNonce);
}

PKIXCMP_MSG *pxc_req_certconf(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *prev, const X509 *cert,
                              long cert_req_id, const PKIXCMP_PKIStatusInfo *reject)
{
    PKIXCMP_MSG *msg = NULL, *ret = NULL;
    PKIXCMP_CertStatus *cs = NULL;

    if ((msg = continue_req(ctx, PKIXCMP_BODY_CERTCONF, prev)) == NULL
        || (cs = pxc_certstatus_new(ctx, cert, cert_req_id, reject)) == NULL)
        goto out;
    if ((msg->body->value.certConf = sk_PKIXCMP_CertStatus_new_null()) == NULL
        || !sk_PKIXCMP_CertStatus_push(msg->body->value.certConf, cs)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CertConfirmContent");
        goto out;
    }
    cs = NULL; /* transferred */
    ret = msg;
    msg = NULL;
out:
    ASN1_item_free((ASN1_VALUE *)cs, ASN1_ITEM_rptr(PKIXCMP_CertStatus));
    pkixcmp_msg_free(msg);
    return ret;
}

PKIXCMP_MSG *pxc_req_pollreq(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *prev, long cert_req_id)
{
    PKIXCMP_MSG *msg = NULL, *ret = NULL;
    PKIXCMP_PollReq *pr = NULL;

    if ((msg = continue_req(ctx, PKIXCMP_BODY_POLLREQ, prev)) == NULL)
        return NULL;
    if ((pr = (PKIXCMP_PollReq *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PollReq))) == NULL
        || !ASN1_INTEGER_set(pr->certReqId, cert_req_id)
        || (msg->body->value.pollReq = sk_PKIXCMP_PollReq_new_null()) == NULL
        || !sk_PKIXCMP_PollReq_push(msg->body->value.pollReq, pr)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "PollReqContent");
        goto out;
    }
    pr = NULL; /* transferred */
    ret = msg;
    msg = NULL;
out:
    ASN1_item_free((ASN1_VALUE *)pr, ASN1_ITEM_rptr(PKIXCMP_PollReq));
    pkixcmp_msg_free(msg);
    return ret;
}
