/*
 * test_server_util.c - helpers of test_server.c: a test CA backend that
 * issues with X509 functions directly (interm.crt as issuer), and builders
 * of the requests a client sends.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "certconf.h"
#include "spki.h"
#include "tap.h"
#include "testutil.h"
#include "test_server.h"

/* ------------------------------------------------------------ files */

X509 *tsrv_cert(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = BIO_new_file(path, "r");
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);

    if (x == NULL)
        tap_diag("cannot load %s", name);
    BIO_free(in);
    free(path);
    return x;
}

EVP_PKEY *tsrv_key(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = BIO_new_file(path, "r");
    EVP_PKEY *k = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);

    if (k == NULL)
        tap_diag("cannot load %s", name);
    BIO_free(in);
    free(path);
    return k;
}

PKIXCMP_MSG *tsrv_load(const char *file)
{
    char *path = tu_data_path("test/data", file);
    PKIXCMP_MSG *msg = pkixcmp_msg_read_file(path, 0);

    if (msg == NULL)
        tap_diag("cannot load %s", file);
    free(path);
    return msg;
}

/* ------------------------------------------------------- the test CA */

static X509 *issue(struct test_ca *ca, const X509_NAME *subject, EVP_PKEY *pub, long serial)
{
    X509 *x = X509_new();

    if (x == NULL || !X509_set_version(x, 2)
        || !ASN1_INTEGER_set(X509_get_serialNumber(x), serial)
        || !X509_set_issuer_name(x, X509_get_subject_name(ca->ca_cert))
        || !X509_set_subject_name(x, subject)
        || X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL
        || X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL
        || !X509_set_pubkey(x, pub) || X509_sign(x, ca->ca_key, EVP_sha256()) <= 0) {
        X509_free(x);
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "test CA: cannot issue");
        return NULL;
    }
    return x;
}

static STACK_OF(X509) *one_cert(X509 *x)
{
    STACK_OF(X509) *sk = sk_X509_new_null();

    if (sk == NULL || !X509_add_cert(sk, x, X509_ADD_FLAG_UP_REF)) {
        sk_X509_free(sk);
        return NULL;
    }
    return sk;
}

/* Starts waiting (1) if the CA is to delay its answer and req is not
 * asked again after polling (then its transaction has a counter). */
static int start_wait(struct test_ca *ca, const struct pxc_srv_req *req, int delay)
{
    int *polls_left;

    if (!delay || *req->txn_data != NULL)
        return 0;
    if ((polls_left = malloc(sizeof(*polls_left))) == NULL)
        return 0;
    *polls_left = ca->poll_count;
    *req->txn_data = polls_left;
    ca->txn_data_live++;
    return 1;
}

static int tb_cert_request(void *arg, const struct pxc_srv_req *req, const PKIXCMP_CertReqMsg *crm,
                           const X509_REQ *p10cr, long id, struct pxc_srv_cert_answer *ans)
{
    struct test_ca *ca = arg;
    const X509_NAME *subject;
    EVP_PKEY *pub, *own = NULL;
    long serial;
    int reject, ret = PXC_SRV_FAIL;

    pthread_mutex_lock(&ca->lock);
    ca->last_cert_req_id = id;
    if (start_wait(ca, req, ca->poll_count > 0)) {
        pthread_mutex_unlock(&ca->lock);
        return PXC_SRV_WAIT;
    }
    reject = ca->reject;
    serial = ++ca->serial;
    ca->issued += !reject;
    pthread_mutex_unlock(&ca->lock);
    if (reject) {
        ans->status = pxc_statusinfo_new(PXC_STATUS_REJECTION, 1UL << 19, "test CA says no");
        return ans->status != NULL ? PXC_SRV_ANSWER : PXC_SRV_FAIL;
    }
    if (crm != NULL) {
        subject = crm->certReq->certTemplate->subject;
        if (subject == NULL && req->signer != NULL) /* e.g. a poposkInput sender */
            subject = X509_get_subject_name(req->signer);
        pub = own = pxc_spki_get1_pkey(crm->certReq->certTemplate->publicKey, NULL, NULL);
    } else {
        subject = X509_REQ_get_subject_name(p10cr);
        pub = X509_REQ_get0_pubkey((X509_REQ *)p10cr);
    }
    if (subject == NULL || pub == NULL)
        PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "test CA: no subject or key");
    else if ((ans->cert = issue(ca, subject, pub, serial)) != NULL
             && (ans->extra_certs = one_cert(ca->ca_cert)) != NULL
             && (ans->ca_pubs = one_cert(ca->root)) != NULL)
        ret = PXC_SRV_ANSWER;
    EVP_PKEY_free(own);
    return ret;
}

static int tb_poll(void *arg, const struct pxc_srv_req *req, long id, int *ready,
                   long *check_after)
{
    struct test_ca *ca = arg;
    int *polls_left = *req->txn_data;

    (void)id;
    if (polls_left == NULL) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "test CA: polled for nothing");
        return 0;
    }
    *ready = --*polls_left <= 0;
    *check_after = ca->check_after;
    return 1;
}

static void tb_txn_free(void *arg, void *txn_data)
{
    struct test_ca *ca = arg;

    free(txn_data);
    pthread_mutex_lock(&ca->lock);
    ca->txn_data_live--;
    pthread_mutex_unlock(&ca->lock);
}

static int tb_revoke(void *arg, const struct pxc_srv_req *req, const X509_NAME *issuer,
                     const ASN1_INTEGER *serial, int reason, PKIXCMP_PKIStatusInfo **status)
{
    struct test_ca *ca = arg;

    (void)req;
    (void)status; /* NULL: accepted */
    if (ASN1_INTEGER_get(serial) == 0xDEAD
        || X509_NAME_cmp(issuer, X509_get_subject_name(ca->ca_cert)) != 0) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_CERT, "test CA: not a certificate of ours");
        return PXC_SRV_FAIL;
    }
    pthread_mutex_lock(&ca->lock);
    ca->revoked++;
    ca->last_reason = reason;
    pthread_mutex_unlock(&ca->lock);
    return PXC_SRV_ANSWER;
}

/* genm: every InfoTypeAndValue echoed back, as openssl's mock server does. */
static int tb_genm(void *arg, const struct pxc_srv_req *req,
                   const STACK_OF(PKIXCMP_InfoTypeAndValue) *in,
                   STACK_OF(PKIXCMP_InfoTypeAndValue) **out)
{
    struct test_ca *ca = arg;
    int wait;

    pthread_mutex_lock(&ca->lock);
    wait = start_wait(ca, req, ca->genm_wait);
    pthread_mutex_unlock(&ca->lock);
    if (wait)
        return PXC_SRV_WAIT;
    *out = (STACK_OF(PKIXCMP_InfoTypeAndValue) *)ASN1_item_dup(ASN1_ITEM_rptr(PKIXCMP_GenMsgContent), in);
    return *out != NULL ? PXC_SRV_ANSWER : PXC_SRV_FAIL;
}

static int tb_cert_conf(void *arg, const struct pxc_srv_req *req, long id, const X509 *cert,
                        int accepted, const PKIXCMP_PKIStatusInfo *status)
{
    struct test_ca *ca = arg;

    (void)req;
    (void)id;
    (void)cert;
    (void)status;
    pthread_mutex_lock(&ca->lock);
    if (accepted)
        ca->confirmed++;
    else
        ca->rejected++;
    pthread_mutex_unlock(&ca->lock);
    return 1;
}

static int tb_error(void *arg, const struct pxc_srv_req *req, const PKIXCMP_ErrorMsgContent *err)
{
    struct test_ca *ca = arg;

    (void)req;
    (void)err;
    pthread_mutex_lock(&ca->lock);
    ca->errors++;
    pthread_mutex_unlock(&ca->lock);
    return 1;
}

const PXC_SRV_BACKEND test_backend = {
    sizeof(PXC_SRV_BACKEND), tb_cert_request, tb_revoke, tb_genm, tb_cert_conf, tb_poll, tb_error,
    tb_txn_free,
};

int test_ca_init(struct test_ca *ca)
{
    memset(ca, 0, sizeof(*ca));
    pthread_mutex_init(&ca->lock, NULL);
    ca->ca_cert = tsrv_cert("interm.crt");
    ca->ca_key = tsrv_key("interm.key");
    ca->root = tsrv_cert("root.crt");
    ca->serial = 1000;
    ca->check_after = 5;
    ca->last_reason = -9;
    return ca->ca_cert != NULL && ca->ca_key != NULL && ca->root != NULL;
}

void test_ca_cleanup(struct test_ca *ca)
{
    X509_free(ca->ca_cert);
    EVP_PKEY_free(ca->ca_key);
    X509_free(ca->root);
    pthread_mutex_destroy(&ca->lock);
}

/* ---------------------------------------------------------- contexts */

PKIXCMP_CTX *tsrv_mac_ctx(const char *secret)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

    if (ctx == NULL || !pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)secret, strlen(secret))
        || !pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)"4711", 4)) {
        pkixcmp_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

int tsrv_set_sig(PKIXCMP_CTX *ctx, const char *cert, const char *key)
{
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509 *root = tsrv_cert("root.crt"), *interm = tsrv_cert("interm.crt"), *c = NULL;
    EVP_PKEY *k = NULL;
    int ok;

    ok = store != NULL && untrusted != NULL && root != NULL && interm != NULL
        && X509_STORE_add_cert(store, root) && X509_add_cert(untrusted, interm, X509_ADD_FLAG_UP_REF)
        && pkixcmp_ctx_set1_trusted(ctx, store) && pkixcmp_ctx_set1_untrusted(ctx, untrusted);
    if (ok && cert != NULL)
        ok = (c = tsrv_cert(cert)) != NULL && pkixcmp_ctx_set1_cert(ctx, c);
    if (ok && key != NULL)
        ok = (k = tsrv_key(key)) != NULL && pkixcmp_ctx_set1_pkey(ctx, k);
    X509_STORE_free(store);
    sk_X509_pop_free(untrusted, X509_free);
    X509_free(root);
    X509_free(interm);
    X509_free(c);
    EVP_PKEY_free(k);
    return ok;
}

static void quiet_log(int level, const char *line, void *arg)
{
    (void)level;
    (void)line;
    (void)arg;
}

PKIXCMP_SRV_CTX *tsrv_new_srv(struct test_ca *ca)
{
    PKIXCMP_SRV_CTX *srv = pkixcmp_srv_ctx_new(NULL, NULL);
    PKIXCMP_CTX *cmp = srv != NULL ? pkixcmp_srv_ctx_get0_cmp_ctx(srv) : NULL;

    if (cmp == NULL || !pkixcmp_ctx_set1_secret(cmp, (const unsigned char *)"test1234", 8)
        || !pkixcmp_ctx_set1_reference(cmp, (const unsigned char *)"4711", 4)
        || !pkixcmp_ctx_set_log_cb(cmp, quiet_log, NULL)
        || !pxc_srv_ctx_set_backend(srv, &test_backend, ca)) {
        pkixcmp_srv_ctx_free(srv);
        return NULL;
    }
    return srv;
}

/* ---------------------------------------------------------- requests */

PKIXCMP_CertReqMsg *tsrv_crm(EVP_PKEY *key, const char *cn, int pop)
{
    PKIXCMP_CertReqMsg *crm = (PKIXCMP_CertReqMsg *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    PKIXCMP_CertTemplate *t = crm != NULL ? crm->certReq->certTemplate : NULL;
    PKIXCMP_POPOSigningKey *sk;

    if (t == NULL || !ASN1_INTEGER_set(crm->certReq->certReqId, 0)
        || (t->subject = X509_NAME_new()) == NULL
        || !X509_NAME_add_entry_by_txt(t->subject, "CN", MBSTRING_ASC,
                                       (const unsigned char *)cn, -1, -1, 0)
        || !X509_PUBKEY_set(&t->publicKey, key)
        || (crm->popo = (PKIXCMP_ProofOfPossession *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession))) == NULL)
        goto err;
    if (pop == TSRV_POP_RAVERIFIED) {
        crm->popo->type = PKIXCMP_POP_RAVERIFIED;
        if ((crm->popo->value.raVerified = ASN1_NULL_new()) == NULL)
            goto err;
        return crm;
    }
    crm->popo->type = PKIXCMP_POP_SIGNATURE;
    sk = (PKIXCMP_POPOSigningKey *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_POPOSigningKey));
    if ((crm->popo->value.signature = sk) == NULL
        || ASN1_item_sign(ASN1_ITEM_rptr(PKIXCMP_CertRequest), sk->algorithmIdentifier, NULL,
                          sk->signature, crm->certReq, key, EVP_sha256()) <= 0)
        goto err;
    if (pop == TSRV_POP_BADSIG)
        sk->signature->data[4] ^= 1;
    return crm;
err:
    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    tap_diag("cannot build a CertReqMsg");
    return NULL;
}

PKIXCMP_CertReqMsg *tsrv_crm_poposk(EVP_PKEY *key, const X509_NAME *sender)
{
    PKIXCMP_CertReqMsg *crm = tsrv_crm(key, "x", TSRV_POP_SIG);
    PKIXCMP_POPOSigningKey *sk = crm != NULL ? crm->popo->value.signature : NULL;
    PKIXCMP_POPOSigningKeyInput *in;
    GENERAL_NAME *gn = GENERAL_NAME_new();
    X509_NAME *name = X509_NAME_dup(sender);

    in = (PKIXCMP_POPOSigningKeyInput *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput));
    if (sk == NULL || in == NULL || gn == NULL || name == NULL)
        goto err;
    X509_NAME_free(crm->certReq->certTemplate->subject);
    crm->certReq->certTemplate->subject = NULL;
    GENERAL_NAME_set0_value(gn, GEN_DIRNAME, name);
    name = NULL;
    in->authInfo->type = 0; /* sender */
    in->authInfo->value.sender = gn;
    gn = NULL;
    X509_PUBKEY_free(in->publicKey);
    in->publicKey = pxc_spki_dup(crm->certReq->certTemplate->publicKey);
    sk->poposkInput = in;
    in = NULL;
    if (sk->poposkInput->publicKey == NULL
        || ASN1_item_sign(ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput), sk->algorithmIdentifier,
                          NULL, sk->signature, sk->poposkInput, key, EVP_sha256()) <= 0)
        goto err;
    return crm;
err:
    tap_diag("cannot build a poposkInput");
    GENERAL_NAME_free(gn);
    X509_NAME_free(name);
    ASN1_item_free((ASN1_VALUE *)in, ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput));
    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    return NULL;
}

PKIXCMP_MSG *tsrv_req(const PKIXCMP_CTX *cli, int protect, int type, void *value,
                      const PKIXCMP_MSG *prev, int implicit)
{
    PKIXCMP_MSG *m;

    m = pxc_msg_create(cli, type, NULL, NULL, prev != NULL ? prev->header->transactionID : NULL,
                       prev != NULL ? prev->header->senderNonce : NULL);
    if (m == NULL) {
        tap_diag("cannot create a message");
        return NULL;
    }
    if (value != NULL)
        m->body->value.ir = value; /* any pointer member of the union */
    if ((implicit && !pxc_hdr_set_implicit_confirm(m->header))
        || (protect && !pkixcmp_msg_protect(cli, m))) {
        tap_diag("cannot finish a message");
        pkixcmp_msg_free(m);
        return NULL;
    }
    return m;
}

PKIXCMP_MSG *tsrv_ir(const PKIXCMP_CTX *cli, int protect, EVP_PKEY *key, int pop, int implicit)
{
    PKIXCMP_CertReqMessages *reqs = sk_PKIXCMP_CertReqMsg_new_null();
    PKIXCMP_CertReqMsg *crm = tsrv_crm(key, "test ee", pop);

    if (reqs == NULL || crm == NULL || !sk_PKIXCMP_CertReqMsg_push(reqs, crm)) {
        ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
        sk_PKIXCMP_CertReqMsg_free(reqs);
        return NULL;
    }
    return tsrv_req(cli, protect, PKIXCMP_BODY_IR, reqs, NULL, implicit);
}

PKIXCMP_MSG *tsrv_certconf(const PKIXCMP_CTX *cli, const PKIXCMP_MSG *rsp, const X509 *cert,
                           int reject)
{
    PKIXCMP_CertConfirmContent *ccc = sk_PKIXCMP_CertStatus_new_null();
    PKIXCMP_PKIStatusInfo *si = NULL;
    PKIXCMP_CertStatus *cs = NULL;

    if (cert != NULL) {
        if (reject)
            si = pxc_statusinfo_new(PXC_STATUS_REJECTION, 0, "test client says no");
        cs = pxc_certstatus_new(cli, cert, 0, si);
        ASN1_item_free((ASN1_VALUE *)si, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
        if (cs == NULL || !sk_PKIXCMP_CertStatus_push(ccc, cs)) {
            ASN1_item_free((ASN1_VALUE *)cs, ASN1_ITEM_rptr(PKIXCMP_CertStatus));
            tap_diag("cannot build a CertStatus");
        }
    }
    return tsrv_req(cli, 1, PKIXCMP_BODY_CERTCONF, ccc, rsp, 0);
}

PKIXCMP_MSG *tsrv_pollreq(const PKIXCMP_CTX *cli, const PKIXCMP_MSG *rsp, long id)
{
    PKIXCMP_PollReqContent *prc = sk_PKIXCMP_PollReq_new_null();
    PKIXCMP_PollReq *pr = (PKIXCMP_PollReq *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PollReq));

    if (prc == NULL || pr == NULL || !ASN1_INTEGER_set(pr->certReqId, id)
        || !sk_PKIXCMP_PollReq_push(prc, pr)) {
        ASN1_item_free((ASN1_VALUE *)pr, ASN1_ITEM_rptr(PKIXCMP_PollReq));
        tap_diag("cannot build a pollReq");
    }
    return tsrv_req(cli, 1, PKIXCMP_BODY_POLLREQ, prc, rsp, 0);
}

PKIXCMP_MSG *tsrv_rr(const PKIXCMP_CTX *cli, const X509_NAME *issuer, long serial, int reason)
{
    PKIXCMP_RevReqContent *rrc = sk_PKIXCMP_RevDetails_new_null();
    PKIXCMP_RevDetails *rd = (PKIXCMP_RevDetails *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_RevDetails));
    ASN1_ENUMERATED *e = ASN1_ENUMERATED_new();
    int ok;

    ok = rrc != NULL && rd != NULL && e != NULL
        && (rd->certDetails->issuer = X509_NAME_dup(issuer)) != NULL
        && (rd->certDetails->serialNumber = ASN1_INTEGER_new()) != NULL
        && ASN1_INTEGER_set(rd->certDetails->serialNumber, serial) && ASN1_ENUMERATED_set(e, reason)
        && (reason < 0
            || X509V3_add1_i2d(&rd->crlEntryDetails, NID_crl_reason, e, 0, X509V3_ADD_DEFAULT) > 0)
        && sk_PKIXCMP_RevDetails_push(rrc, rd);
    ASN1_ENUMERATED_free(e);
    if (!ok) {
        ASN1_item_free((ASN1_VALUE *)rd, ASN1_ITEM_rptr(PKIXCMP_RevDetails));
        tap_diag("cannot build an rr");
    }
    return tsrv_req(cli, 1, PKIXCMP_BODY_RR, rrc, NULL, 0);
}

/* --------------------------------------------------------- responses */

X509 *tsrv_rsp_cert(const PKIXCMP_MSG *rsp)
{
    const PKIXCMP_CertResponse *cr;
    int t = rsp != NULL ? rsp->body->type : -1;

    if ((t != PKIXCMP_BODY_IP && t != PKIXCMP_BODY_CP && t != PKIXCMP_BODY_KUP
         && t != PKIXCMP_BODY_CCP)
        || sk_PKIXCMP_CertResponse_num(rsp->body->value.ip->response) < 1)
        return NULL;
    cr = sk_PKIXCMP_CertResponse_value(rsp->body->value.ip->response, 0);
    if (cr->certifiedKeyPair == NULL
        || cr->certifiedKeyPair->certOrEncCert->type != PKIXCMP_CERTORENCCERT_CERTIFICATE)
        return NULL;
    return cr->certifiedKeyPair->certOrEncCert->value.certificate;
}

int tsrv_is_error(const PKIXCMP_MSG *rsp, const char *name)
{
    const PKIXCMP_PKIStatusInfo *si;
    int bit = pxc_failinfo_bit_by_name(name);

    if (rsp == NULL || rsp->body->type != PKIXCMP_BODY_ERROR || bit < 0)
        return 0;
    si = rsp->body->value.error->pKIStatusInfo;
    return pxc_statusinfo_status(si) == PXC_STATUS_REJECTION
        && (pxc_statusinfo_failinfo(si) & (1UL << bit)) != 0;
}

long tsrv_error_code(const PKIXCMP_MSG *rsp)
{
    if (rsp == NULL || rsp->body->type != PKIXCMP_BODY_ERROR
        || rsp->body->value.error->errorCode == NULL)
        return -1;
    return ASN1_INTEGER_get(rsp->body->value.error->errorCode);
}
