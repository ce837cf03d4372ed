/*
 * test_server_txn.c - the server's transactions: a transactionID in use,
 * certConf without transaction, wrong certHash / certReqId / recipNonce,
 * rejecting certConf, polling for a certificate and for a genp, expiry
 * with an injected clock, and four threads doing 200 enrollments each.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "tap.h"
#include "testutil.h"
#include "test_server.h"

static struct test_ca ca;
static EVP_PKEY *ee_key; /* client_p256.key */

static PKIXCMP_MSG *ask(PKIXCMP_SRV_CTX *srv, PKIXCMP_MSG *req)
{
    PKIXCMP_MSG *rsp = req != NULL ? pkixcmp_srv_process(srv, req) : NULL;

    pkixcmp_msg_free(req);
    return rsp;
}

static int body(const PKIXCMP_MSG *m)
{
    return m != NULL ? pkixcmp_msg_get_body_type(m) : -1;
}

static int answers(const PKIXCMP_CTX *cli, const PKIXCMP_MSG *req, const PKIXCMP_MSG *rsp)
{
    int ok = req != NULL && rsp != NULL && pkixcmp_msg_check_response(cli, req, rsp);

    if (!ok)
        tap_diag("check_response: %s", pkixcmp_err_reason_string(pkixcmp_err_peek_last()));
    ERR_clear_error();
    return ok;
}

static size_t open_txns(PKIXCMP_SRV_CTX *srv)
{
    return pxc_srv_ctx_open_txns(srv) + pxc_srv_states_count(srv->states);
}

/* Re-protects m after a change. */
static PKIXCMP_MSG *reprotect(const PKIXCMP_CTX *cli, PKIXCMP_MSG *m)
{
    if (m != NULL && !pkixcmp_msg_protect(cli, m)) {
        pkixcmp_msg_free(m);
        return NULL;
    }
    return m;
}

static void test_transaction_id_in_use(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *ir = tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0), *ir2, *ip, *rsp;

    ip = pkixcmp_srv_process(srv, ir);
    is_int(body(ip), PKIXCMP_BODY_IP, "ir opens a transaction");
    rsp = pkixcmp_srv_process(srv, ir);
    ok(tsrv_is_error(rsp, "transactionIdInUse"), "the same ir again: transactionIdInUse");
    pkixcmp_msg_free(rsp);
    ir2 = tsrv_ir(cli, 0, ee_key, TSRV_POP_SIG, 0);
    if (ir2 != NULL) {
        ASN1_OCTET_STRING_free(ir2->header->transactionID);
        ir2->header->transactionID = ASN1_OCTET_STRING_dup(ir->header->transactionID);
    }
    ir2 = reprotect(cli, ir2);
    rsp = pkixcmp_srv_process(srv, ir2);
    ok(tsrv_is_error(rsp, "transactionIdInUse") && answers(cli, ir2, rsp),
       "a new ir with a transactionID in use: transactionIdInUse (RFC 9810 5.1.1)");
    pkixcmp_msg_free(rsp);
    rsp = ask(srv, tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 0));
    is_int(body(rsp), PKIXCMP_BODY_PKICONF, "the refusals did not disturb the open transaction");
    pkixcmp_msg_free(rsp);
    rsp = pkixcmp_srv_process(srv, ir2);
    is_int(body(rsp), PKIXCMP_BODY_IP, "once closed, the transactionID may start a new one");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);
    pkixcmp_msg_free(ir);
    pkixcmp_msg_free(ir2);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

static void test_certconf(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *ip, *cc, *rsp;
    int before;

    rsp = ask(srv, tsrv_certconf(cli, NULL, ca.ca_cert, 0));
    ok(tsrv_is_error(rsp, "badRequest") && tsrv_error_code(rsp) == PKIXCMP_E_WRONG_TRANSACTIONID,
       "certConf without a transaction: error");
    pkixcmp_msg_free(rsp);

    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    before = ca.confirmed;
    rsp = ask(srv, tsrv_certconf(cli, ip, ca.ca_cert, 0));
    ok(tsrv_is_error(rsp, "badCertId") && tsrv_error_code(rsp) == PKIXCMP_E_WRONG_CERTHASH,
       "certHash of another certificate: badCertId");
    ok(open_txns(srv) == 0 && ca.confirmed == before, "the error ends the transaction, unconfirmed");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);

    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    cc = tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 0);
    if (cc != NULL)
        ASN1_INTEGER_set(sk_PKIXCMP_CertStatus_value(cc->body->value.certConf, 0)->certReqId, 5);
    rsp = ask(srv, reprotect(cli, cc));
    ok(tsrv_is_error(rsp, "badCertId") && tsrv_error_code(rsp) == PKIXCMP_E_WRONG_CERTREQID,
       "certReqId 5 for certReqId 0: badCertId");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);

    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    cc = tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 0);
    if (cc != NULL)
        cc->header->recipNonce->data[0] ^= 1;
    rsp = ask(srv, reprotect(cli, cc));
    ok(tsrv_is_error(rsp, "badRecipientNonce"), "recipNonce not our senderNonce: badRecipientNonce");
    pkixcmp_msg_free(rsp);
    before = ca.rejected;
    rsp = ask(srv, tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 1));
    ok(body(rsp) == PKIXCMP_BODY_PKICONF && ca.rejected == before + 1,
       "the transaction survived a replay-like refusal; rejecting certConf -> pkiConf");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);

    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    rsp = ask(srv, tsrv_certconf(cli, ip, NULL, 0));
    ok(body(rsp) == PKIXCMP_BODY_PKICONF && ca.rejected == before + 2 && open_txns(srv) == 0,
       "empty certConf rejects the certificate (RFC 9810 5.3.18) -> pkiConf");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

static void test_polling(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *ir, *ip, *pr, *rep, *rsp;
    const PKIXCMP_PollRep *p;
    STACK_OF(PKIXCMP_InfoTypeAndValue) *itavs;
    PKIXCMP_InfoTypeAndValue *itav;

    ca.poll_count = 2;
    ir = tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0);
    ip = pkixcmp_srv_process(srv, ir);
    ok(body(ip) == PKIXCMP_BODY_IP && pxc_rsp_status(ip) == PXC_STATUS_WAITING
       && tsrv_rsp_cert(ip) == NULL && answers(cli, ir, ip),
       "backend waits: ip with status waiting, no certificate");
    pkixcmp_msg_free(ir);
    pr = tsrv_pollreq(cli, ip, 0);
    rep = pkixcmp_srv_process(srv, pr);
    p = body(rep) == PKIXCMP_BODY_POLLREP ? sk_PKIXCMP_PollRep_value(rep->body->value.pollRep, 0) : NULL;
    ok(p != NULL && ASN1_INTEGER_get(p->checkAfter) == 5 && ASN1_INTEGER_get(p->certReqId) == 0
       && answers(cli, pr, rep), "pollReq -> pollRep, certReqId 0, checkAfter 5");
    pkixcmp_msg_free(pr);
    pr = tsrv_pollreq(cli, rep, 0);
    rsp = pkixcmp_srv_process(srv, pr);
    ok(body(rsp) == PKIXCMP_BODY_IP && tsrv_rsp_cert(rsp) != NULL && answers(cli, pr, rsp),
       "second pollReq -> the ip with the certificate");
    pkixcmp_msg_free(pr);
    pkixcmp_msg_free(rep);
    rep = ask(srv, tsrv_certconf(cli, rsp, tsrv_rsp_cert(rsp), 0));
    ok(body(rep) == PKIXCMP_BODY_PKICONF && open_txns(srv) == 0, "certConf -> pkiConf, closed");
    pkixcmp_msg_free(rep);
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);

    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    rsp = ask(srv, tsrv_pollreq(cli, ip, 1));
    ok(tsrv_is_error(rsp, "badCertId") && open_txns(srv) == 0,
       "pollReq for another certReqId: badCertId, transaction closed");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);
    is_int(ca.txn_data_live, 0, "the backend's data of the transaction was freed with it");
    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    rsp = ask(srv, tsrv_certconf(cli, ip, ca.ca_cert, 0));
    ok(tsrv_is_error(rsp, "badRequest") && tsrv_error_code(rsp) == PKIXCMP_E_UNEXPECTED_REQUEST,
       "certConf while the certificate is pending: error");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);

    /* RFC 9810 5.3.22: delayed delivery of a genp */
    ca.genm_wait = 1;
    itavs = sk_PKIXCMP_InfoTypeAndValue_new_null();
    itav = (PKIXCMP_InfoTypeAndValue *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    if (itav != NULL) {
        ASN1_OBJECT_free(itav->infoType);
        itav->infoType = OBJ_nid2obj(NID_id_it_signKeyPairTypes);
    }
    sk_PKIXCMP_InfoTypeAndValue_push(itavs, itav);
    ir = tsrv_req(cli, 1, PKIXCMP_BODY_GENM, itavs, NULL, 0);
    ip = pkixcmp_srv_process(srv, ir);
    ok(body(ip) == PKIXCMP_BODY_ERROR && pxc_rsp_status(ip) == PXC_STATUS_WAITING
       && answers(cli, ir, ip), "genm, backend waits: error with status waiting");
    rep = ask(srv, tsrv_pollreq(cli, ip, -1));
    is_int(body(rep), PKIXCMP_BODY_POLLREP, "pollReq -1 -> pollRep");
    rsp = ask(srv, tsrv_pollreq(cli, rep, -1));
    ok(body(rsp) == PKIXCMP_BODY_GENP && sk_PKIXCMP_InfoTypeAndValue_num(rsp->body->value.genp) == 1
       && OBJ_obj2nid(sk_PKIXCMP_InfoTypeAndValue_value(rsp->body->value.genp, 0)->infoType)
              == NID_id_it_signKeyPairTypes,
       "pollReq -1 -> the genp to the genm");
    is_int(open_txns(srv), 0, "closed with the genp");
    ca.genm_wait = 0;
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(rep);
    pkixcmp_msg_free(ip);
    pkixcmp_msg_free(ir);

    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    ok(pxc_rsp_status(ip) == PXC_STATUS_WAITING && ca.txn_data_live == 1,
       "a client that never polls leaves its transaction open");
    pkixcmp_msg_free(ip);
    pkixcmp_srv_ctx_free(srv);
    is_int(ca.txn_data_live, 0, "freeing the server frees the backend's data of open transactions");
    ca.poll_count = 0;
    pkixcmp_ctx_free(cli);
}

static time_t fake_now;
static time_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

static void test_expiry(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *ir = tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0), *ip, *rsp;

    fake_now = 1700000000;
    pkixcmp_ctx_set_clock(pkixcmp_srv_ctx_get0_cmp_ctx(srv), fake_clock, NULL);
    ok(pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_TXN_TTL, 60), "transactions live 60 s");
    ip = pkixcmp_srv_process(srv, ir);
    fake_now += 61;
    rsp = ask(srv, tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 0));
    ok(tsrv_is_error(rsp, "badRequest") && tsrv_error_code(rsp) == PKIXCMP_E_WRONG_TRANSACTIONID,
       "certConf 61 s later: the transaction expired");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);
    ip = pkixcmp_srv_process(srv, ir);
    is_int(body(ip), PKIXCMP_BODY_IP, "its transactionID is free again");
    fake_now += 60;
    rsp = ask(srv, tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 0));
    is_int(body(rsp), PKIXCMP_BODY_PKICONF, "a certConf 60 s after the ip is in time");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);
    pkixcmp_msg_free(ir);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

#define THREADS 4
#define ROUNDS 200

struct worker {
    pthread_t tid;
    PKIXCMP_SRV_CTX *srv;
    int polls; /* pollReqs per enrollment */
    int rounds;
    int done;
};

/* ir, pollReqs as long as the server says pollRep, certConf: 1 if each
 * answer was the one expected. */
static int enroll(PKIXCMP_SRV_CTX *srv, const PKIXCMP_CTX *cli, int polls)
{
    PKIXCMP_MSG *rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0)), *next;
    int i, ok = body(rsp) == PKIXCMP_BODY_IP;

    for (i = 0; ok && i < polls; i++) {
        next = ask(srv, tsrv_pollreq(cli, rsp, 0));
        ok = body(next) == (i + 1 < polls ? PKIXCMP_BODY_POLLREP : PKIXCMP_BODY_IP);
        pkixcmp_msg_free(rsp);
        rsp = next;
    }
    next = ok ? ask(srv, tsrv_certconf(cli, rsp, tsrv_rsp_cert(rsp), 0)) : NULL;
    ok = ok && body(next) == PKIXCMP_BODY_PKICONF;
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(next);
    return ok;
}

static void *enroll_loop(void *arg)
{
    struct worker *w = arg;
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    int i;

    for (i = 0; cli != NULL && i < w->rounds; i++)
        w->done += enroll(w->srv, cli, w->polls);
    pkixcmp_ctx_free(cli);
    ERR_clear_error();
    return NULL;
}

/* THREADS threads doing `rounds` enrollments each with `polls` pollReqs
 * through one server; the number that succeeded. */
static int run_threads(PKIXCMP_SRV_CTX *srv, int rounds, int polls)
{
    struct worker w[THREADS];
    int i, done = 0, started = 0;

    memset(w, 0, sizeof(w));
    for (i = 0; i < THREADS; i++) {
        w[i].srv = srv;
        w[i].rounds = rounds;
        w[i].polls = polls;
        started += pthread_create(&w[i].tid, NULL, enroll_loop, &w[i]) == 0;
    }
    for (i = 0; i < started; i++) {
        pthread_join(w[i].tid, NULL);
        done += w[i].done;
    }
    return done;
}

static void test_threads(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    int before = ca.confirmed;

    is_int(run_threads(srv, ROUNDS, 0), THREADS * ROUNDS,
           "4 threads x 200 ir + certConf through one server: all succeed");
    is_int(ca.confirmed - before, THREADS * ROUNDS, "the backend saw every confirmation");
    is_int(open_txns(srv), 0, "the transaction table is empty at the end");
    ca.poll_count = 2;
    is_int(run_threads(srv, 25, 2), THREADS * 25,
           "4 threads x 25 ir, 2 pollReq, certConf: each transaction polls on its own");
    ca.poll_count = 0;
    ok(open_txns(srv) == 0 && ca.txn_data_live == 0, "table empty, backend data freed");
    pkixcmp_srv_ctx_free(srv);
}

int main(void)
{
    if (!test_ca_init(&ca) || (ee_key = tsrv_key("client_p256.key")) == NULL) {
        ok(0, "test PKI loads");
        return tap_done();
    }
    test_transaction_id_in_use();
    test_certconf();
    test_polling();
    test_expiry();
    test_threads();
    EVP_PKEY_free(ee_key);
    test_ca_cleanup(&ca);
    return tap_done();
}
