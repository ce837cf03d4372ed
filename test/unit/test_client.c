/*
 * test_client.c - the client engine against a scripted peer in the same
 * process (through the transfer callback, every message DER-encoded and
 * decoded again): enrollment with certConf, implicit confirmation,
 * polling with an injected clock, rejection, error messages, bad
 * responses, certificate checks, rr and genm.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "client_local.h"
#include "hdr_build.h"
#include "tap.h"
#include "testutil.h"

enum mode {
    ACCEPT, IMPLICIT, POLL, REJECT, ERRORMSG, WRONG_ID, NO_CERT, WRONG_BODY,
    UNPROTECTED, RP_OK, RP_REJECT, GENP_CACERTS, RR_POLL
};

struct peer {
    PKIXCMP_CTX *ctx;           /* the peer's credentials (same secret) */
    enum mode mode;
    int polls;                  /* pollReps to send before the final ip */
    long check_after;
    X509 *cert;                 /* what the peer issues */
    X509 *interm;
    int n;                      /* messages received */
    int types[16];
    long confirm_status;        /* status in the certConf received, -1: none */
};

static time_t fake_now = 1700000000;
static time_t clock_fn(void *arg)
{
    (void)arg;
    return fake_now;
}
static void sleep_fn(void *arg, long secs)
{
    (void)arg;
    fake_now += secs;
}

/* Through DER and back, as on the wire. */
static PKIXCMP_MSG *wire(const PKIXCMP_MSG *msg)
{
    unsigned char *der = NULL;
    int len = pkixcmp_msg_encode(msg, &der);
    PKIXCMP_MSG *out = len > 0 ? pkixcmp_msg_decode(der, (size_t)len, 0) : NULL;

    OPENSSL_free(der);
    return out;
}

static PKIXCMP_MSG *answer(struct peer *p, const PKIXCMP_MSG *req, int type)
{
    return pxc_msg_create(p->ctx, type, NULL, NULL, req->header->transactionID,
                          req->header->senderNonce);
}

/* An ip/cp/kup with one CertResponse. */
static PKIXCMP_MSG *cert_rep(struct peer *p, const PKIXCMP_MSG *req, int type, int status,
                             long id, X509 *cert)
{
    PKIXCMP_MSG *rsp = answer(p, req, type);
    PKIXCMP_CertRepMessage *crm = (PKIXCMP_CertRepMessage *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertRepMessage));
    PKIXCMP_CertResponse *cr = (PKIXCMP_CertResponse *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertResponse));

    ASN1_INTEGER_set(cr->certReqId, id);
    ASN1_item_free((ASN1_VALUE *)cr->status, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    cr->status = pxc_statusinfo_new(status, status == PXC_STATUS_REJECTION ? 1UL << 9 : 0,
                                    status == PXC_STATUS_REJECTION ? "POP did not verify" : NULL);
    if (cert != NULL) {
        cr->certifiedKeyPair = (PKIXCMP_CertifiedKeyPair *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertifiedKeyPair));
        cr->certifiedKeyPair->certOrEncCert->type = PKIXCMP_CERTORENCCERT_CERTIFICATE;
        X509_up_ref(cert);
        cr->certifiedKeyPair->certOrEncCert->value.certificate = cert;
    }
    sk_PKIXCMP_CertResponse_push(crm->response, cr);
    rsp->body->value.ip = crm;
    rsp->extraCerts = sk_X509_new_null();
    X509_up_ref(p->interm);
    sk_X509_push(rsp->extraCerts, p->interm);
    return rsp;
}

static PKIXCMP_MSG *poll_rep(struct peer *p, const PKIXCMP_MSG *req)
{
    PKIXCMP_MSG *rsp = answer(p, req, PKIXCMP_BODY_POLLREP);
    PKIXCMP_PollRep *pr = (PKIXCMP_PollRep *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PollRep));

    /* the certReqId polled for: 0, or -1 for rr and genm */
    ASN1_INTEGER_set(pr->certReqId,
                     ASN1_INTEGER_get(sk_PKIXCMP_PollReq_value(req->body->value.pollReq, 0)->certReqId));
    ASN1_INTEGER_set(pr->checkAfter, p->check_after);
    rsp->body->value.pollRep = sk_PKIXCMP_PollRep_new_null();
    sk_PKIXCMP_PollRep_push(rsp->body->value.pollRep, pr);
    return rsp;
}

static PKIXCMP_MSG *error_msg(struct peer *p, const PKIXCMP_MSG *req)
{
    PKIXCMP_MSG *rsp = answer(p, req, PKIXCMP_BODY_ERROR);

    rsp->body->value.error = (PKIXCMP_ErrorMsgContent *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_ErrorMsgContent));
    ASN1_item_free((ASN1_VALUE *)rsp->body->value.error->pKIStatusInfo, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    rsp->body->value.error->pKIStatusInfo = pxc_statusinfo_new(PXC_STATUS_REJECTION, 1UL << 23,
                                                               "not authorized for this profile");
    return rsp;
}

static PKIXCMP_MSG *rp(struct peer *p, const PKIXCMP_MSG *req, int status)
{
    PKIXCMP_MSG *rsp = answer(p, req, PKIXCMP_BODY_RP);

    rsp->body->value.rp = (PKIXCMP_RevRepContent *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_RevRepContent));
    sk_PKIXCMP_PKIStatusInfo_push(rsp->body->value.rp->status,
                                  pxc_statusinfo_new(status, status == PXC_STATUS_REJECTION ? 1UL << 4 : 0,
                                                     NULL));
    return rsp;
}

static PKIXCMP_MSG *genp_cacerts(struct peer *p, const PKIXCMP_MSG *req)
{
    PKIXCMP_MSG *rsp = answer(p, req, PKIXCMP_BODY_GENP);
    PKIXCMP_InfoTypeAndValue *itav = (PKIXCMP_InfoTypeAndValue *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    STACK_OF(X509) *certs = sk_X509_new_null();

    X509_up_ref(p->interm);
    sk_X509_push(certs, p->interm);
    ASN1_OBJECT_free(itav->infoType);
    itav->infoType = OBJ_nid2obj(NID_id_it_caCerts);
    itav->infoValue = ASN1_TYPE_pack_sequence(ASN1_ITEM_rptr(PKIXCMP_CMPCertificates), certs, NULL);
    sk_X509_pop_free(certs, X509_free);
    rsp->body->value.genp = sk_PKIXCMP_InfoTypeAndValue_new_null();
    sk_PKIXCMP_InfoTypeAndValue_push(rsp->body->value.genp, itav);
    return rsp;
}

static PKIXCMP_MSG *respond(struct peer *p, const PKIXCMP_MSG *req)
{
    int type = pkixcmp_msg_get_body_type(req);
    int rsp_type = type == PKIXCMP_BODY_IR ? PKIXCMP_BODY_IP
        : type == PKIXCMP_BODY_KUR ? PKIXCMP_BODY_KUP : PKIXCMP_BODY_CP;
    long id = type == PKIXCMP_BODY_P10CR ? -1 : 0;
    PKIXCMP_MSG *rsp;

    switch (type) {
    case PKIXCMP_BODY_CERTCONF:
        p->confirm_status = -1;
        if (sk_PKIXCMP_CertStatus_value(req->body->value.certConf, 0)->statusInfo != NULL)
            p->confirm_status = pxc_statusinfo_status(
                sk_PKIXCMP_CertStatus_value(req->body->value.certConf, 0)->statusInfo);
        return answer(p, req, PKIXCMP_BODY_PKICONF);
    case PKIXCMP_BODY_POLLREQ:
        if (p->polls-- > 0)
            return poll_rep(p, req);
        if (p->mode == RR_POLL)
            return rp(p, req, PXC_STATUS_ACCEPTED);
        return cert_rep(p, req, PKIXCMP_BODY_IP, PXC_STATUS_ACCEPTED, 0, p->cert);
    case PKIXCMP_BODY_RR:
        if (p->mode == RR_POLL) { /* RFC 9810 5.3.22: an error message with status waiting */
            rsp = error_msg(p, req);
            ASN1_INTEGER_set(rsp->body->value.error->pKIStatusInfo->status, PXC_STATUS_WAITING);
            return rsp;
        }
        return rp(p, req, p->mode == RP_OK ? PXC_STATUS_ACCEPTED : PXC_STATUS_REJECTION);
    case PKIXCMP_BODY_GENM:
        return genp_cacerts(p, req);
    default:
        break;
    }
    switch (p->mode) {
    case IMPLICIT:
        rsp = cert_rep(p, req, rsp_type, PXC_STATUS_ACCEPTED, id, p->cert);
        if (pxc_hdr_has_implicit_confirm(req->header))
            (void)!pxc_hdr_set_implicit_confirm(rsp->header);
        return rsp;
    case POLL:
        return cert_rep(p, req, rsp_type, PXC_STATUS_WAITING, id, NULL);
    case REJECT:
        return cert_rep(p, req, rsp_type, PXC_STATUS_REJECTION, id, NULL);
    case ERRORMSG:
        return error_msg(p, req);
    case WRONG_ID:
        return cert_rep(p, req, rsp_type, PXC_STATUS_ACCEPTED, 7, p->cert);
    case NO_CERT:
        return cert_rep(p, req, rsp_type, PXC_STATUS_ACCEPTED, id, NULL);
    case WRONG_BODY:
        return answer(p, req, PKIXCMP_BODY_PKICONF);
    default:
        return cert_rep(p, req, rsp_type, PXC_STATUS_ACCEPTED, id, p->cert);
    }
}

static PKIXCMP_MSG *transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct peer *p = arg;
    PKIXCMP_MSG *in = wire(req), *rsp, *out = NULL;

    (void)ctx;
    if (in == NULL)
        return NULL;
    if (p->n < 16)
        p->types[p->n] = pkixcmp_msg_get_body_type(in);
    p->n++;
    rsp = respond(p, in);
    if (rsp != NULL && (p->mode == UNPROTECTED || pkixcmp_msg_protect(p->ctx, rsp)))
        out = wire(rsp);
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(in);
    return out;
}

static PKIXCMP_CTX *new_ctx(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

    pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"test1234", 8);
    pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)"4711", 4);
    pkixcmp_ctx_set_clock(ctx, clock_fn, NULL);
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_LOG_VERBOSITY, 3);
    return ctx;
}

struct fixture {
    PKIXCMP_CTX *ctx;
    struct peer peer;
    EVP_PKEY *newkey;
};

static void setup(struct fixture *f, enum mode mode)
{
    X509_NAME *subj = X509_NAME_new();

    memset(f, 0, sizeof(*f));
    f->ctx = new_ctx();
    f->peer.ctx = new_ctx();
    f->peer.mode = mode;
    f->peer.cert = tu_cert("client_p256.crt");
    f->peer.interm = tu_cert("interm.crt");
    f->peer.confirm_status = -2;
    f->newkey = tu_key("client_p256.key");
    pkixcmp_ctx_set1_newkey(f->ctx, f->newkey);
    X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC, (const unsigned char *)"dev", -1, -1, 0);
    pkixcmp_ctx_set1_subject(f->ctx, subj);
    X509_NAME_free(subj);
    pkixcmp_ctx_set_transfer_cb(f->ctx, transfer, &f->peer);
    pkixcmp_ctx_set_sleep_cb(f->ctx, sleep_fn, NULL);
}

static void teardown(struct fixture *f)
{
    pkixcmp_ctx_free(f->ctx);
    pkixcmp_ctx_free(f->peer.ctx);
    X509_free(f->peer.cert);
    X509_free(f->peer.interm);
    EVP_PKEY_free(f->newkey);
    ERR_clear_error();
}

/* Runs a transaction expected to fail with code. */
static void fails_with(int got, int code, const char *what)
{
    ok(!got, "%s: fails", what);
    is_str(pkixcmp_err_name(pkixcmp_err_peek_last()), pkixcmp_err_name(code), what);
    ERR_clear_error();
}

static void test_ir(void)
{
    struct fixture f;
    X509_STORE *trust = tu_store("root.crt");

    setup(&f, ACCEPT);
    pkixcmp_ctx_set1_out_trusted(f.ctx, trust);
    ok(pkixcmp_exec_ir(f.ctx), "ir: enrolled");
    ok(pkixcmp_ctx_get0_newcert(f.ctx) != NULL
       && X509_cmp(pkixcmp_ctx_get0_newcert(f.ctx), f.peer.cert) == 0, "ir: the issued certificate");
    is_int(sk_X509_num(pkixcmp_ctx_get0_newchain(f.ctx)), 3, "ir: chain cert, interm, root");
    is_int(f.peer.n, 2, "ir: ir and certConf sent");
    is_int(f.peer.types[0], PKIXCMP_BODY_IR, "ir: first message is ir");
    is_int(f.peer.types[1], PKIXCMP_BODY_CERTCONF, "ir: then certConf");
    is_int(f.peer.confirm_status, -1, "ir: certConf accepts (no statusInfo)");
    is_int(pkixcmp_ctx_get_status(f.ctx), 0, "ir: status accepted");
    ok(pkixcmp_body_type_name(pkixcmp_msg_get_body_type(pkixcmp_ctx_get0_last_response(f.ctx))) != NULL
       && pkixcmp_msg_get_body_type(pkixcmp_ctx_get0_last_response(f.ctx)) == PKIXCMP_BODY_PKICONF,
       "ir: last response is pkiConf");
    teardown(&f);
    X509_STORE_free(trust);

    /* RFC 9810 5.1.1.1: implicitConfirm granted, no certConf */
    setup(&f, IMPLICIT);
    pkixcmp_ctx_set_option(f.ctx, PKIXCMP_OPT_IMPLICIT_CONFIRM, 1);
    ok(pkixcmp_exec_cr(f.ctx), "implicit confirm: enrolled");
    is_int(f.peer.n, 1, "implicit confirm: no certConf");
    teardown(&f);

    /* asked but not granted: certConf after all */
    setup(&f, ACCEPT);
    pkixcmp_ctx_set_option(f.ctx, PKIXCMP_OPT_IMPLICIT_CONFIRM, 1);
    ok(pkixcmp_exec_ir(f.ctx), "implicit confirm refused: enrolled");
    is_int(f.peer.n, 2, "implicit confirm refused: certConf sent");
    teardown(&f);

    setup(&f, ACCEPT);
    pkixcmp_ctx_set_option(f.ctx, PKIXCMP_OPT_DISABLE_CONFIRM, 1);
    ok(pkixcmp_exec_ir(f.ctx), "disable_confirm: enrolled");
    is_int(f.peer.n, 1, "disable_confirm: no certConf");
    teardown(&f);
}

static void test_poll(void)
{
    struct fixture f;

    setup(&f, POLL);
    f.peer.polls = 2;
    f.peer.check_after = 5;
    fake_now = 1700000000;
    ok(pkixcmp_exec_ir(f.ctx), "polling: enrolled after 2 pollRep");
    is_int(f.peer.n, 5, "polling: ir, pollReq x3, certConf");
    is_int(f.peer.types[1], PKIXCMP_BODY_POLLREQ, "polling: pollReq after waiting");
    is_int((int)(fake_now - 1700000000), 10, "polling: waited checkAfter twice (injected clock)");
    teardown(&f);

    setup(&f, POLL);
    f.peer.polls = 3;
    f.peer.check_after = 5;
    fake_now = 1700000000;
    pkixcmp_ctx_set_option(f.ctx, PKIXCMP_OPT_TOTAL_TIMEOUT, 12);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_TOTAL_TIMEOUT, "polling past -total_timeout");
    is_int((int)(fake_now - 1700000000), 10, "polling: gave up before the third wait");
    teardown(&f);
}

static void test_failures(void)
{
    struct fixture f;
    X509_STORE *wrong;

    setup(&f, REJECT);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_REQUEST_REJECTED, "rejection");
    is_int(pkixcmp_ctx_get_status(f.ctx), 2, "rejection: status recorded");
    ok(pkixcmp_ctx_get_failinfo(f.ctx) == 1UL << 9, "rejection: failInfo badPOP");
    ok(pkixcmp_ctx_get0_status_text(f.ctx) != NULL
       && strstr(pkixcmp_ctx_get0_status_text(f.ctx), "POP did not verify") != NULL,
       "rejection: statusString kept");
    teardown(&f);

    setup(&f, ERRORMSG);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_RECEIVED_ERROR, "error message");
    ok(pkixcmp_ctx_get_failinfo(f.ctx) == 1UL << 23, "error message: failInfo notAuthorized");
    teardown(&f);

    setup(&f, WRONG_ID);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_WRONG_CERTREQID, "wrong certReqId");
    teardown(&f);

    setup(&f, NO_CERT);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_NO_CERT, "accepted without certificate");
    teardown(&f);

    setup(&f, WRONG_BODY);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_UNEXPECTED_BODY, "pkiConf in answer to ir");
    teardown(&f);

    setup(&f, UNPROTECTED);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_UNPROTECTED, "unprotected ip");
    teardown(&f);

    /* a certificate for another key is rejected in certConf */
    setup(&f, ACCEPT);
    X509_free(f.peer.cert);
    f.peer.cert = tu_cert("client_rsa.crt");
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_CERT_REJECTED, "certificate for another key");
    is_int(f.peer.confirm_status, PXC_STATUS_REJECTION, "another key: certConf rejects");
    teardown(&f);

    /* -out_trusted that does not lead to the issuer */
    setup(&f, ACCEPT);
    wrong = tu_store("untrusted_root.crt");
    pkixcmp_ctx_set1_out_trusted(f.ctx, wrong);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_CERT_REJECTED, "untrusted new certificate");
    is_int(f.peer.confirm_status, PXC_STATUS_REJECTION, "untrusted: certConf rejects");
    X509_STORE_free(wrong);
    teardown(&f);

    /* missing settings */
    setup(&f, ACCEPT);
    pkixcmp_ctx_set1_newkey(f.ctx, NULL);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_MISSING_PARAMETER, "ir without a key");
    fails_with(pkixcmp_exec_kur(f.ctx), PKIXCMP_E_MISSING_PARAMETER, "kur without old certificate");
    fails_with(pkixcmp_exec_p10cr(f.ctx), PKIXCMP_E_MISSING_PARAMETER, "p10cr without CSR");
    fails_with(pkixcmp_exec_rr(f.ctx), PKIXCMP_E_MISSING_PARAMETER, "rr without old certificate");
    is_int(f.peer.n, 0, "missing settings: nothing sent");
    pkixcmp_ctx_set_transfer_cb(f.ctx, NULL, NULL);
    pkixcmp_ctx_set1_newkey(f.ctx, f.newkey);
    fails_with(pkixcmp_exec_ir(f.ctx), PKIXCMP_E_MISSING_PARAMETER, "no transfer");
    teardown(&f);
}

static void test_kur_rr_genm(void)
{
    struct fixture f;
    X509 *old = tu_cert("client_p256.crt");
    STACK_OF(X509) *cacerts = NULL;

    setup(&f, ACCEPT);
    pkixcmp_ctx_set1_oldcert(f.ctx, old);
    pkixcmp_ctx_set1_subject(f.ctx, NULL);
    ok(pkixcmp_exec_kur(f.ctx), "kur: updated");
    is_int(f.peer.types[0], PKIXCMP_BODY_KUR, "kur: kur sent");
    teardown(&f);

    setup(&f, RP_OK);
    pkixcmp_ctx_set1_oldcert(f.ctx, old);
    pkixcmp_ctx_set_option(f.ctx, PKIXCMP_OPT_REVOCATION_REASON, 1);
    ok(pkixcmp_exec_rr(f.ctx), "rr: revoked");
    is_int(f.peer.n, 1, "rr: one message");
    teardown(&f);

    setup(&f, RR_POLL);
    f.peer.polls = 1;
    f.peer.check_after = 3;
    fake_now = 1700000000;
    pkixcmp_ctx_set1_oldcert(f.ctx, old);
    ok(pkixcmp_exec_rr(f.ctx), "rr answered with waiting: polled, then revoked");
    is_int(f.peer.n, 3, "rr polling: rr, pollReq, pollReq");
    is_int(f.peer.types[1], PKIXCMP_BODY_POLLREQ, "rr polling: pollReq after the waiting error");
    is_int((int)(fake_now - 1700000000), 3, "rr polling: waited checkAfter once");
    teardown(&f);

    setup(&f, RP_REJECT);
    pkixcmp_ctx_set1_oldcert(f.ctx, old);
    fails_with(pkixcmp_exec_rr(f.ctx), PKIXCMP_E_REQUEST_REJECTED, "rr rejected");
    teardown(&f);

    setup(&f, GENP_CACERTS);
    ok(pkixcmp_exec_get_cacerts(f.ctx, &cacerts), "genm caCerts");
    is_int(sk_X509_num(cacerts), 1, "genm caCerts: one certificate");
    ok(cacerts != NULL && X509_cmp(sk_X509_value(cacerts, 0), f.peer.interm) == 0,
       "genm caCerts: the CA certificate");
    sk_X509_pop_free(cacerts, X509_free);
    teardown(&f);
    X509_free(old);

    {
        PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

        ok(!pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_REVOCATION_REASON, 7), "CRLReason 7 refused");
        ok(!pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_POPO_METHOD, 4), "popo 4 refused");
        ERR_clear_error();
        pkixcmp_ctx_free(ctx);
    }
}

int main(void)
{
    test_ir();
    test_poll();
    test_failures();
    test_kur_rr_genm();
    return tap_done();
}
