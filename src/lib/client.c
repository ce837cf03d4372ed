/*
 * client.c - the client engine (RFC 9810 5.3, RFC 9483 4): sends a request,
 * checks the response, polls while the CA is waiting, validates the new
 * certificate and confirms or rejects it.
 *
 *   request  -> expected response          then
 *   ir/cr/kur/p10cr/ccr -> ip/cp/kup/cp/ccp  certConf -> pkiConf (unless
 *                                            implicitConfirm was granted)
 *   (any of those, status waiting)          pollReq -> pollRep | final rsp
 *   rr -> rp, genm -> genp                  done
 *   anything -> error                       failure, reported with status
 */
#include <string.h>
#include <time.h>
#include <openssl/x509v3.h>
#include "certconf.h"
#include "client_local.h"
#include "enc_cert.h"
#include "hdr_build.h"
#include "protect_local.h"

/* Records the status of a response in the results. */
static void record_status(PKIXCMP_CTX *ctx, const PKIXCMP_PKIStatusInfo *si)
{
    char buf[512];

    ctx->res.status = pxc_statusinfo_status(si);
    ctx->res.failinfo = pxc_statusinfo_failinfo(si);
    OPENSSL_free(ctx->res.status_text);
    ctx->res.status_text = NULL;
    if (si != NULL && si->statusString != NULL)
        ctx->res.status_text = OPENSSL_strdup(pxc_statusinfo_text(si, buf, sizeof(buf)));
}

/* An error message from the server: its status, errorCode and details. */
static void report_error_msg(PKIXCMP_CTX *ctx, const PKIXCMP_ErrorMsgContent *e)
{
    char buf[512], det[256] = "", code[48] = "";
    size_t pos = 0;
    int i, n;

    record_status(ctx, e->pKIStatusInfo);
    if (e->errorCode != NULL)
        snprintf(code, sizeof(code), "; errorCode: %ld", ASN1_INTEGER_get(e->errorCode));
    for (i = 0; e->errorDetails != NULL && i < sk_ASN1_UTF8STRING_num(e->errorDetails); i++) {
        const ASN1_UTF8STRING *s = sk_ASN1_UTF8STRING_value(e->errorDetails, i);

        n = snprintf(det + pos, sizeof(det) - pos, "%s\"%.*s\"", i > 0 ? " " : "; details: ",
                     s->length, (const char *)s->data);
        if (n < 0 || (size_t)n >= sizeof(det) - pos)
            break;
        pos += (size_t)n;
    }
    PXC_ERR(PKIXCMP_E_RECEIVED_ERROR, "%s%s%s",
            pxc_statusinfo_text(e->pKIStatusInfo, buf, sizeof(buf)), code, det);
}

static void default_sleep(long secs)
{
    struct timespec ts = {secs, 0};

    while (nanosleep(&ts, &ts) != 0)
        continue;
}

/* Fails with PKIXCMP_E_TOTAL_TIMEOUT if the deadline has passed (or will
 * have after `wait` more seconds). */
static int check_deadline(const PKIXCMP_CTX *ctx, time_t deadline, long wait, const char *doing)
{
    time_t now = pxc_ctx_now(ctx);

    if (deadline != 0 && now + wait > deadline) {
        PXC_ERR(PKIXCMP_E_TOTAL_TIMEOUT, "total timeout of %ld s %s while %s",
                ctx->cl.total_timeout, wait > 0 ? "would pass" : "passed", doing);
        return 0;
    }
    return 1;
}

/* RFC 9810 5.3.22: a request other than a certificate request is told to
 * poll by an error message with status waiting. */
static int error_is_waiting(const PKIXCMP_MSG *rsp)
{
    return pkixcmp_msg_get_body_type(rsp) == PKIXCMP_BODY_ERROR
        && pxc_statusinfo_status(rsp->body->value.error->pKIStatusInfo) == PXC_STATUS_WAITING;
}

static int waiting_allowed(const PKIXCMP_MSG *req)
{
    int t = pkixcmp_msg_get_body_type(req);

    return t == PKIXCMP_BODY_RR || t == PKIXCMP_BODY_GENM || t == PKIXCMP_BODY_POLLREQ;
}

/*
 * Protects and sends req, checks the response (protection, header against
 * req) and that it is of the expected type (or, for certificate requests
 * and pollReq, one of `also`). An error message is reported as
 * PKIXCMP_E_RECEIVED_ERROR with its status. *rsp is the response.
 */
static int send_receive(PKIXCMP_CTX *ctx, PKIXCMP_MSG *req, int also, PKIXCMP_MSG **rsp)
{
    int want = pxc_response_type(pkixcmp_msg_get_body_type(req)), got;
    PKIXCMP_MSG *r = NULL;
    X509 *signer = NULL;
    int ret = 0;

    *rsp = NULL;
    if (!ctx->cl.unprotected_send && !pkixcmp_msg_protect(ctx, req))
        return 0;
    pxc_log(ctx, PKIXCMP_LOG_INFO, "sending %s", pkixcmp_body_type_name(pkixcmp_msg_get_body_type(req)));
    pkixcmp_msg_free(ctx->st.sent);
    ctx->st.sent = NULL;
    r = ctx->cl.transfer != NULL ? ctx->cl.transfer(ctx, req, ctx->cl.transfer_arg)
        : pkixcmp_transfer_http(ctx, req, NULL);
    if (r == NULL) {
        if (pkixcmp_err_peek_last() == PKIXCMP_E_NONE)
            PXC_ERR(PKIXCMP_E_TRANSFER_FAILED, "no response to %s",
                    pkixcmp_body_type_name(pkixcmp_msg_get_body_type(req)));
        return 0;
    }
    got = pkixcmp_msg_get_body_type(r);
    pxc_log(ctx, PKIXCMP_LOG_INFO, "received %s", pkixcmp_body_type_name(got));
    /* the context keeps the last response (no copy: a copy decodes its
     * certificates again, a quarter of the client's time per enrollment) */
    pkixcmp_msg_free(ctx->res.last_rsp);
    ctx->res.last_rsp = r;
    if (!pxc_check_response(ctx, ctx->st.sent != NULL ? ctx->st.sent : req, r, &signer))
        goto out;
    if (signer != NULL) {
        X509_free(ctx->res.srvcert);
        ctx->res.srvcert = signer;
        signer = NULL;
    }
    /* the extraCerts of the last response that had some (the ip's, not
     * the pkiConf's) */
    if (r->extraCerts != NULL) {
        sk_X509_pop_free(ctx->res.extracerts_in, X509_free);
        ctx->res.extracerts_in = X509_chain_up_ref(r->extraCerts);
    }
    if (got == PKIXCMP_BODY_ERROR) {
        if (!waiting_allowed(req) || !error_is_waiting(r)) {
            report_error_msg(ctx, r->body->value.error);
            goto out;
        }
    } else if (got != want && got != also) {
        PXC_ERR(PKIXCMP_E_UNEXPECTED_BODY, "expected %s in answer to %s, received %s",
                pkixcmp_body_type_name(want),
                pkixcmp_body_type_name(pkixcmp_msg_get_body_type(req)),
                pkixcmp_body_type_name(got));
        goto out;
    }
    *rsp = r;
    ret = 1;
out:
    X509_free(signer);
    return ret;
}

/* Sends req (consumed) and receives the response as send_receive(); *rsp
 * is borrowed: the context's last response, valid until the next exchange. */
static int exchange(PKIXCMP_CTX *ctx, PKIXCMP_MSG *req, int also, time_t deadline,
                    PKIXCMP_MSG **rsp)
{
    int ret = req != NULL
        && check_deadline(ctx, deadline, 0, "sending a request")
        && send_receive(ctx, req, also, rsp);

    pkixcmp_msg_free(req);
    return ret;
}

/* The single CertResponse of a CertRepMessage, for certReqId id. */
static const PKIXCMP_CertResponse *get_cert_response(const PKIXCMP_CertRepMessage *crm, long id)
{
    const PKIXCMP_CertResponse *cr;

    /* RFC 9483 4.1.1: one CertResponse for our one CertReqMsg */
    if (crm == NULL || sk_PKIXCMP_CertResponse_num(crm->response) != 1) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "expected 1 CertResponse, received %d",
                crm != NULL ? sk_PKIXCMP_CertResponse_num(crm->response) : 0);
        return NULL;
    }
    cr = sk_PKIXCMP_CertResponse_value(crm->response, 0);
    if (ASN1_INTEGER_get(cr->certReqId) != id) {
        PXC_ERR(PKIXCMP_E_WRONG_CERTREQID, "CertResponse has certReqId %ld, the request had %ld",
                ASN1_INTEGER_get(cr->certReqId), id);
        return NULL;
    }
    return cr;
}

/* The checkAfter of a pollRep for certReqId id. */
static int get_check_after(const PKIXCMP_MSG *rsp, long id, long *secs)
{
    const PKIXCMP_PollRepContent *prc = rsp->body->value.pollRep;
    int i;

    for (i = 0; i < sk_PKIXCMP_PollRep_num(prc); i++) {
        const PKIXCMP_PollRep *pr = sk_PKIXCMP_PollRep_value(prc, i);

        if (ASN1_INTEGER_get(pr->certReqId) != id)
            continue;
        *secs = ASN1_INTEGER_get(pr->checkAfter);
        if (*secs < 0) {
            PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "pollRep with negative checkAfter %ld", *secs);
            return 0;
        }
        return 1;
    }
    PXC_ERR(PKIXCMP_E_WRONG_CERTREQID, "pollRep has no entry for certReqId %ld", id);
    return 0;
}

static void wait_secs(PKIXCMP_CTX *ctx, long secs)
{
    if (secs <= 0)
        return;
    pxc_log(ctx, PKIXCMP_LOG_INFO, "waiting %ld s before polling", secs);
    if (ctx->cl.sleep_fn != NULL)
        ctx->cl.sleep_fn(ctx->cl.sleep_arg, secs);
    else
        default_sleep(secs);
}

static int is_certrep(int type)
{
    return type == PKIXCMP_BODY_IP || type == PKIXCMP_BODY_CP || type == PKIXCMP_BODY_KUP
        || type == PKIXCMP_BODY_CCP;
}

/*
 * Polling (RFC 9483 4.4, RFC 9810 5.3.22): while the answer says waiting
 * (a CertResponse with status waiting, or for rr and genm an error message
 * with status waiting), send pollReq and wait checkAfter seconds after
 * each pollRep, until the final response arrives or the total timeout
 * would pass. *rsp is replaced by the final response.
 */
static int poll_until_done(PKIXCMP_CTX *ctx, PKIXCMP_MSG **rsp, int final_type, long id,
                           time_t deadline)
{
    const PKIXCMP_CertResponse *cr;
    PKIXCMP_MSG *next = NULL;
    long secs = 0;
    int type;

    for (;;) {
        type = pkixcmp_msg_get_body_type(*rsp);
        if (type == PKIXCMP_BODY_POLLREP) {
            if (!get_check_after(*rsp, id, &secs)
                || !check_deadline(ctx, deadline, secs, "polling"))
                return 0;
            wait_secs(ctx, secs);
        } else if (is_certrep(type)) {
            if ((cr = get_cert_response((*rsp)->body->value.ip, id)) == NULL)
                return 0;
            if (pxc_statusinfo_status(cr->status) != PXC_STATUS_WAITING)
                return 1;
        } else if (!error_is_waiting(*rsp)) {
            return 1; /* rp, genp */
        }
        if (!exchange(ctx, pxc_req_pollreq(ctx, *rsp, id), final_type, deadline, &next))
            return 0;
        *rsp = next; /* the previous one is gone: next replaced it */
        next = NULL;
    }
}

/* Validates the new certificate against -out_trusted; builds the chain. */
static int validate_newcert(PKIXCMP_CTX *ctx, X509 *cert, const PKIXCMP_MSG *rsp,
                            char *why, size_t why_len)
{
    X509_STORE_CTX *vctx = NULL;
    STACK_OF(X509) *untrusted = NULL;
    int ret = 0, i;

    if ((untrusted = sk_X509_new_null()) == NULL)
        goto out;
    for (i = 0; i < sk_X509_num(rsp->extraCerts); i++)
        if (!sk_X509_push(untrusted, sk_X509_value(rsp->extraCerts, i)))
            goto out;
    for (i = 0; i < sk_X509_num(ctx->untrusted); i++)
        if (!sk_X509_push(untrusted, sk_X509_value(ctx->untrusted, i)))
            goto out;
    if (ctx->cl.out_trusted == NULL) {
        /* no trust given: the chain as the server sent it */
        ctx->res.newchain = X509_chain_up_ref(untrusted);
        ret = ctx->res.newchain != NULL;
        goto out;
    }
    if ((vctx = X509_STORE_CTX_new_ex(ctx->libctx, ctx->propq)) == NULL
        || !X509_STORE_CTX_init(vctx, ctx->cl.out_trusted, cert, untrusted))
        goto out;
    /* A certificate issued a moment ago cannot be revoked yet and its CRL
     * may not exist: keep only the time, partial-chain and policy flags of
     * the store, not revocation checks (as openssl cmp does). */
    X509_VERIFY_PARAM_clear_flags(X509_STORE_CTX_get0_param(vctx),
                                  ~(unsigned long)(X509_V_FLAG_USE_CHECK_TIME | X509_V_FLAG_NO_CHECK_TIME
                                                   | X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_POLICY_CHECK));
    if (X509_verify_cert(vctx) <= 0) {
        snprintf(why, why_len, "the new certificate does not validate against -out_trusted: %s",
                 X509_verify_cert_error_string(X509_STORE_CTX_get_error(vctx)));
        goto out;
    }
    ctx->res.newchain = X509_STORE_CTX_get1_chain(vctx);
    ret = ctx->res.newchain != NULL;
out:
    X509_STORE_CTX_free(vctx);
    sk_X509_free(untrusted);
    return ret;
}

/*
 * Takes the certificate of an accepted CertResponse: present (decrypted if
 * encrypted), with the centrally generated key if we asked for one (enc_cert.h),
 * its public key the one we asked for, valid against
 * -out_trusted. Returns 1 if accepted, 0 if we reject it (*failinfo then
 * holds the failInfo for certConf and why the reason, raised after the
 * certConf exchange so that nothing on the way clears it), -1 on other
 * errors.
 */
static int take_newcert(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *rsp, const PKIXCMP_CertResponse *cr,
                        unsigned long *failinfo, char *why, size_t why_len)
{
    const PKIXCMP_CertifiedKeyPair *ckp = cr->certifiedKeyPair;
    EVP_PKEY *want;
    X509 *cert;

    if (ckp == NULL || ckp->certOrEncCert == NULL) {
        PXC_ERR(PKIXCMP_E_NO_CERT, "CertResponse with status %s has no certificate",
                pxc_status_name(pxc_statusinfo_status(cr->status)));
        return -1;
    }
    /* an encryptedCert is decrypted with our key (RFC 9810 5.2.8.3.2) */
    if (pxc_enc_get1_cert(ctx, ckp, &cert) < 0)
        return -1;
    ctx->res.newcert = cert;
    /* with central key generation, privateKey is the key of cert (RFC 9483 4.1.6) */
    if (!pxc_enc_take_newkey(ctx, ckp, cert, why, why_len)) {
        *failinfo = 1UL << 7; /* incorrectData */
        return 0;
    }
    want = pxc_client_request_key(ctx);
    /* the certificate must be for our key */
    if (want != NULL && EVP_PKEY_eq(X509_get0_pubkey(cert), want) != 1) {
        snprintf(why, why_len, "the public key of the new certificate is not the one requested");
        *failinfo = 1UL << 7; /* incorrectData */
        return 0;
    }
    if (!validate_newcert(ctx, cert, rsp, why, why_len)) {
        if (why[0] == '\0')
            snprintf(why, why_len, "the new certificate could not be checked");
        *failinfo = 1UL << 7; /* incorrectData */
        return 0;
    }
    return 1;
}

/* Confirms (or, with failinfo, rejects) the new certificate: certConf ->
 * pkiConf. */
static int confirm(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *rsp, long id, unsigned long failinfo,
                   time_t deadline)
{
    PKIXCMP_PKIStatusInfo *reject = NULL;
    PKIXCMP_MSG *conf = NULL;
    int ret = 0;

    if (failinfo != 0
        && (reject = pxc_statusinfo_new(PXC_STATUS_REJECTION, failinfo,
                                        "certificate rejected by the client")) == NULL)
        return 0;
    ret = exchange(ctx, pxc_req_certconf(ctx, rsp, ctx->res.newcert, id, reject), -1,
                   deadline, &conf);
    ASN1_item_free((ASN1_VALUE *)reject, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    return ret;
}

/* Clears the last results and sets the deadline of a new transaction. */
static time_t start_transaction(PKIXCMP_CTX *ctx)
{
    pxc_ctx_client_reset_results(ctx);
    ctx->st.deadline = ctx->cl.total_timeout > 0 ? pxc_ctx_now(ctx) + ctx->cl.total_timeout : 0;
    return ctx->st.deadline;
}

static int exec_certreq(PKIXCMP_CTX *ctx, int type)
{
    time_t deadline = start_transaction(ctx);
    long id = type == PKIXCMP_BODY_P10CR ? PXC_P10CR_CERTREQID : ctx->cl.cert_req_id;
    int final = pxc_response_type(type), status, taken = -1;
    const PKIXCMP_CertResponse *cr;
    unsigned long failinfo = 0;
    PKIXCMP_MSG *rsp = NULL;
    char why[300] = "";
    int ret = 0;

    if (!exchange(ctx, pxc_req_certreq(ctx, type), -1, deadline, &rsp)
        || !poll_until_done(ctx, &rsp, final, id, deadline)
        || (cr = get_cert_response(rsp->body->value.ip, id)) == NULL)
        goto out;
    record_status(ctx, cr->status);
    if (rsp->body->value.ip->caPubs != NULL)
        ctx->res.capubs = X509_chain_up_ref(rsp->body->value.ip->caPubs);
    status = pxc_statusinfo_status(cr->status);
    if (status != PXC_STATUS_ACCEPTED && status != PXC_STATUS_GRANTED_WITH_MODS) {
        char buf[512];

        PXC_ERR(status == PXC_STATUS_REJECTION ? PKIXCMP_E_REQUEST_REJECTED : PKIXCMP_E_BAD_RESPONSE,
                "%s", pxc_statusinfo_text(cr->status, buf, sizeof(buf)));
        goto out;
    }
    if ((taken = take_newcert(ctx, rsp, cr, &failinfo, why, sizeof(why))) < 0)
        goto out;
    /* RFC 9810 5.1.1.1: with implicitConfirm granted, no certConf */
    if (ctx->cl.implicit_confirm && pxc_hdr_has_implicit_confirm(rsp->header)) {
        pxc_log(ctx, PKIXCMP_LOG_INFO, "implicit confirmation granted");
        ret = taken;
        goto out;
    }
    if (ctx->cl.disable_confirm) {
        ret = taken;
        goto out;
    }
    ret = confirm(ctx, rsp, id, failinfo, deadline) && taken;
out:
    if (taken == 0)
        PXC_ERR(PKIXCMP_E_CERT_REJECTED, "%s", why);
    return ret;
}

int pkixcmp_exec_ir(PKIXCMP_CTX *ctx)
{
    return exec_certreq(ctx, PKIXCMP_BODY_IR);
}

int pkixcmp_exec_cr(PKIXCMP_CTX *ctx)
{
    return exec_certreq(ctx, PKIXCMP_BODY_CR);
}

int pkixcmp_exec_kur(PKIXCMP_CTX *ctx)
{
    return exec_certreq(ctx, PKIXCMP_BODY_KUR);
}

int pkixcmp_exec_p10cr(PKIXCMP_CTX *ctx)
{
    return exec_certreq(ctx, PKIXCMP_BODY_P10CR);
}

int pkixcmp_exec_ccr(PKIXCMP_CTX *ctx)
{
    return exec_certreq(ctx, PKIXCMP_BODY_CCR);
}

int pkixcmp_exec_rr(PKIXCMP_CTX *ctx)
{
    time_t deadline = start_transaction(ctx);
    const PKIXCMP_RevRepContent *rp;
    const PKIXCMP_PKIStatusInfo *si;
    PKIXCMP_MSG *rsp = NULL;
    char buf[512];
    int ret = 0, status;

    if (!exchange(ctx, pxc_req_rr(ctx), -1, deadline, &rsp)
        || !poll_until_done(ctx, &rsp, PKIXCMP_BODY_RP, -1, deadline))
        goto out;
    rp = rsp->body->value.rp;
    /* RFC 9483 4.2: one PKIStatusInfo for our one RevDetails */
    if (sk_PKIXCMP_PKIStatusInfo_num(rp->status) != 1) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rp with %d status entries for 1 revocation request",
                sk_PKIXCMP_PKIStatusInfo_num(rp->status));
        goto out;
    }
    si = sk_PKIXCMP_PKIStatusInfo_value(rp->status, 0);
    record_status(ctx, si);
    status = pxc_statusinfo_status(si);
    if (status != PXC_STATUS_ACCEPTED && status != PXC_STATUS_GRANTED_WITH_MODS
        && status != PXC_STATUS_REVOCATION_WARNING && status != PXC_STATUS_REVOCATION_NOTIFICATION) {
        PXC_ERR(status == PXC_STATUS_REJECTION ? PKIXCMP_E_REQUEST_REJECTED : PKIXCMP_E_BAD_RESPONSE,
                "revocation: %s", pxc_statusinfo_text(si, buf, sizeof(buf)));
        goto out;
    }
    ret = 1;
out:
    return ret;
}

int pkixcmp_exec_genm(PKIXCMP_CTX *ctx)
{
    time_t deadline = start_transaction(ctx);
    PKIXCMP_MSG *rsp = NULL;
    int ret;

    /* the genp, also after polling, is the last response */
    ret = exchange(ctx, pxc_req_genm(ctx), -1, deadline, &rsp)
        && poll_until_done(ctx, &rsp, PKIXCMP_BODY_GENP, -1, deadline);
    return ret;
}

/* The certificates of an id-it-caCerts value (SEQUENCE OF CMPCertificate). */
static STACK_OF(X509) *itav_get1_certs(const PKIXCMP_InfoTypeAndValue *itav)
{
    STACK_OF(X509) *certs = NULL;

    if (itav->infoValue->type == V_ASN1_SEQUENCE)
        certs = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PKIXCMP_CMPCertificates), itav->infoValue);
    if (certs == NULL)
        PXC_ERR(PKIXCMP_E_ITAV_VALUE, "id-it-caCerts value is not a SEQUENCE OF CMPCertificate");
    return certs;
}

int pkixcmp_exec_get_cacerts(PKIXCMP_CTX *ctx, STACK_OF(X509) **certs)
{
    STACK_OF(PKIXCMP_InfoTypeAndValue) *saved = ctx->cl.genm_itavs;
    const PKIXCMP_GenRepContent *genp;
    STACK_OF(X509) *out = NULL;
    int ret = 0, i;

    *certs = NULL;
    ctx->cl.genm_itavs = NULL;
    if (!pkixcmp_ctx_add_genm_itav(ctx, OBJ_nid2obj(NID_id_it_caCerts), NULL, 0)
        || !pkixcmp_exec_genm(ctx))
        goto out;
    if ((out = sk_X509_new_null()) == NULL)
        goto out;
    genp = ctx->res.last_rsp->body->value.genp;
    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(genp); i++) {
        const PKIXCMP_InfoTypeAndValue *itav = sk_PKIXCMP_InfoTypeAndValue_value(genp, i);
        STACK_OF(X509) *got;

        if (OBJ_obj2nid(itav->infoType) != NID_id_it_caCerts)
            continue;
        if (itav->infoValue == NULL) /* RFC 9483 4.3.1: absent = no CA certificates */
            break;
        if ((got = itav_get1_certs(itav)) == NULL)
            goto out;
        sk_X509_pop_free(out, X509_free);
        out = got;
        break;
    }
    if (i == sk_PKIXCMP_InfoTypeAndValue_num(genp)) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "genp has no id-it-caCerts");
        goto out;
    }
    *certs = out;
    out = NULL;
    ret = 1;
out:
    sk_X509_pop_free(out, X509_free);
    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(ctx->cl.genm_itavs); i++)
        ASN1_item_free((ASN1_VALUE *)sk_PKIXCMP_InfoTypeAndValue_value(ctx->cl.genm_itavs, i),
                       ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    sk_PKIXCMP_InfoTypeAndValue_free(ctx->cl.genm_itavs);
    ctx->cl.genm_itavs = saved;
    return ret;
}
