/*
 * srv_other.c - the requests that are not for certificates: revocation
 * (rr/rp, RFC 9810 5.3.9-10, RFC 9483 4.2), general messages (genm/genp,
 * 5.3.19-20) and error messages from the client (5.3.21); the delayed
 * answer to either (an error message with status waiting, 5.3.22).
 */
#include <openssl/x509v3.h>
#include "hdr_build.h"
#include "rsp_build.h"
#include "srv_local.h"

PKIXCMP_MSG *pxc_srv_delay(struct pxc_srv_call *c, const PKIXCMP_MSG *msg)
{
    PKIXCMP_PKIStatusInfo *si = NULL;
    PKIXCMP_MSG *rsp = NULL;

    /* 5.3.22: "For any type of request message, polling can be initiated
     * with an error response messages with status "waiting"", and the
     * pollReq's certReqId is then "-1 referring to the complete response" */
    if ((si = pxc_statusinfo_new(PXC_STATUS_WAITING, 0, NULL)) == NULL
        || !pxc_srv_await_poll(c, msg, -1)
        || (rsp = pxc_srv_rsp_new(c, PKIXCMP_BODY_ERROR)) == NULL)
        goto out;
    if ((rsp->body->value.error = pxc_errormsg_new(si, -1, NULL)) == NULL) {
        pkixcmp_msg_free(rsp);
        rsp = NULL;
    }
out:
    ASN1_item_free((ASN1_VALUE *)si, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    return rsp;
}

/* The CRLReason of crlEntryDetails, -1 if it has none; -2 (with an error)
 * if it is there but not readable. */
static int revocation_reason(const STACK_OF(X509_EXTENSION) *exts)
{
    ASN1_ENUMERATED *e;
    int crit = 0;
    long reason;

    e = X509V3_get_d2i(exts, NID_crl_reason, &crit, NULL);
    if (e == NULL && crit == -1)
        return -1;
    reason = e != NULL ? ASN1_ENUMERATED_get(e) : -1;
    ASN1_ENUMERATED_free(e);
    if (reason < 0 || reason > 10) {
        PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "rr: crlEntryDetails has an unreadable, repeated or "
                "unknown reasonCode");
        return -2;
    }
    return (int)reason;
}

PKIXCMP_MSG *pxc_srv_handle_rr(struct pxc_srv_call *c, const PKIXCMP_MSG *msg)
{
    const PXC_SRV_BACKEND *be = c->srv->be;
    const PKIXCMP_RevReqContent *rrc = msg->body->value.rr;
    const PKIXCMP_RevDetails *rd;
    const PKIXCMP_CertTemplate *t;
    PKIXCMP_PKIStatusInfo *si = NULL;
    PKIXCMP_MSG *rsp = NULL;
    int reason, r;

    /* RFC 9483 4.2 profiles one RevDetails per rr */
    if (sk_PKIXCMP_RevDetails_num(rrc) != 1) {
        PXC_ERR(PKIXCMP_E_UNSUPPORTED_REQUEST, "rr with %d RevDetails; this server handles one",
                sk_PKIXCMP_RevDetails_num(rrc));
        goto out;
    }
    rd = sk_PKIXCMP_RevDetails_value(rrc, 0);
    t = rd->certDetails;
    /* the RFC 9483 4.2 profile names the certificate by issuer and serialNumber */
    if (t == NULL || t->issuer == NULL || t->serialNumber == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "rr: certDetails lacks the issuer or serialNumber");
        goto out;
    }
    if ((reason = revocation_reason(rd->crlEntryDetails)) == -2)
        goto out;
    if (!PXC_SRV_BE_HAS(be, revoke)) {
        pxc_srv_no_backend(c, "revocation");
        goto out;
    }
    r = be->revoke(c->srv->be_arg, &c->breq, t->issuer, t->serialNumber, reason, &si);
    if (r == PXC_SRV_WAIT) {
        rsp = pxc_srv_delay(c, msg);
    } else if (r != PXC_SRV_ANSWER) {
        pxc_srv_backend_failed(c, "the revocation");
    } else if ((rsp = pxc_srv_rsp_new(c, PKIXCMP_BODY_RP)) != NULL
               && (rsp->body->value.rp = pxc_revrep_new(si, t->issuer, t->serialNumber)) == NULL) {
        pkixcmp_msg_free(rsp);
        rsp = NULL;
    }
out:
    ASN1_item_free((ASN1_VALUE *)si, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    return rsp;
}

static void itav_free(PKIXCMP_InfoTypeAndValue *itav)
{
    ASN1_item_free((ASN1_VALUE *)itav, ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
}

PKIXCMP_MSG *pxc_srv_handle_genm(struct pxc_srv_call *c, const PKIXCMP_MSG *msg)
{
    const PXC_SRV_BACKEND *be = c->srv->be;
    STACK_OF(PKIXCMP_InfoTypeAndValue) *out = NULL;
    PKIXCMP_MSG *rsp = NULL;
    int r;

    if (!PXC_SRV_BE_HAS(be, genm)) {
        pxc_srv_no_backend(c, "general messages");
        return NULL;
    }
    r = be->genm(c->srv->be_arg, &c->breq, msg->body->value.genm, &out);
    if (r == PXC_SRV_WAIT) {
        rsp = pxc_srv_delay(c, msg);
    } else if (r != PXC_SRV_ANSWER) {
        pxc_srv_backend_failed(c, "the general message");
    } else if (out == NULL && (out = sk_PKIXCMP_InfoTypeAndValue_new_null()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "genp content");
    } else if ((rsp = pxc_srv_rsp_new(c, PKIXCMP_BODY_GENP)) != NULL) {
        /* GenRepContent ::= SEQUENCE OF InfoTypeAndValue (may be empty) */
        rsp->body->value.genp = out;
        out = NULL; /* transferred */
    }
    sk_PKIXCMP_InfoTypeAndValue_pop_free(out, itav_free);
    return rsp;
}

/*
 * An error message from the client ends its transaction. RFC 9810 5.3.21:
 * "If the client sends this request, the server MUST respond with a
 * PKIConfirm response, or another ErrorMsg if any part of the header is
 * not valid."
 */
PKIXCMP_MSG *pxc_srv_handle_error(struct pxc_srv_call *c, const PKIXCMP_MSG *msg)
{
    const PXC_SRV_BACKEND *be = c->srv->be;
    char text[256];

    pxc_log(c->srv->cmp, PKIXCMP_LOG_INFO, "the client ended the transaction with an error: %s",
            pxc_statusinfo_text(msg->body->value.error->pKIStatusInfo, text, sizeof(text)));
    if (PXC_SRV_BE_HAS(be, error)
        && !be->error(c->srv->be_arg, &c->breq, msg->body->value.error)) {
        pxc_srv_backend_failed(c, "the error message");
        return NULL;
    }
    c->keep = 0;
    return pxc_srv_rsp_new(c, PKIXCMP_BODY_PKICONF);
}
