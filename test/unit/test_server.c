/*
 * test_server.c - the server core (srv*.c): enrollment with certConf and
 * with implicit confirmation, polling, rr, genm, client errors; every
 * refusal as an error message with its failInfo (protection, transaction
 * state, certHash, POP, undecodable input); signature protection; policy
 * options; expiry with an injected clock; four threads at once.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "tap.h"
#include "testutil.h"
#include "test_server.h"

static struct test_ca ca;
static EVP_PKEY *ee_key; /* client_p256.key */

/* The server's answer to req (freed); NULL req gives NULL. */
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

/* 1 if rsp answers req as the client ctx checks it (protection, header). */
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

static void test_enroll_mac(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *ir = tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0), *ip, *cc, *conf;
    X509 *cert;

    ip = pkixcmp_srv_process(srv, ir);
    is_int(body(ip), PKIXCMP_BODY_IP, "ir -> ip");
    ok(answers(cli, ir, ip), "the ip answers the ir: MAC verifies, transactionID, recipNonce");
    ok((cert = tsrv_rsp_cert(ip)) != NULL && X509_check_private_key(cert, ee_key),
       "the ip carries a certificate for the requested key");
    is_int(pxc_rsp_status(ip), PXC_STATUS_ACCEPTED, "status accepted");
    ok(ip != NULL && sk_X509_num(ip->body->value.ip->caPubs) == 1, "caPubs in the ip");
    ok(ip != NULL && sk_X509_num(ip->extraCerts) == 1
       && X509_cmp(sk_X509_value(ip->extraCerts, 0), ca.ca_cert) == 0,
       "the backend's chain in extraCerts");
    ok(ip != NULL && GENERAL_NAME_cmp(ip->header->recipient, ir->header->sender) == 0,
       "recipient = the request's sender");
    ok(ip != NULL && !pxc_hdr_has_implicit_confirm(ip->header), "no implicitConfirm unasked");
    is_int(open_txns(srv), 2, "the transaction stays open for certConf");

    cc = tsrv_certconf(cli, ip, cert, 0);
    conf = pkixcmp_srv_process(srv, cc);
    is_int(body(conf), PKIXCMP_BODY_PKICONF, "certConf -> pkiConf");
    ok(answers(cli, cc, conf), "the pkiConf answers the certConf");
    is_int(ca.confirmed, 1, "the backend learnt of the confirmation");
    is_int(open_txns(srv), 0, "the transaction is closed");
    pkixcmp_msg_free(conf);

    conf = pkixcmp_srv_process(srv, cc);
    ok(tsrv_is_error(conf, "badRequest")
       && tsrv_error_code(conf) == PKIXCMP_E_WRONG_TRANSACTIONID,
       "the same certConf again: error, its transaction is closed");
    pkixcmp_msg_free(conf);
    pkixcmp_msg_free(cc);
    pkixcmp_msg_free(ir);
    pkixcmp_msg_free(ip);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

/* openssl cmp's requests (test/data) get answers openssl would accept. */
static void test_fixtures(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    static const struct {
        const char *file;
        int rsp_type;
        const char *what;
    } cases[] = {
        {"ir_mac.der", PKIXCMP_BODY_IP, "openssl's ir -> ip"},
        {"cr_mac.der", PKIXCMP_BODY_CP, "openssl's cr -> cp"},
        {"kur_mac.der", PKIXCMP_BODY_KUP, "openssl's kur -> kup"},
        {"p10cr_mac.der", PKIXCMP_BODY_CP, "openssl's p10cr -> cp"},
        {"rr_mac.der", PKIXCMP_BODY_RP, "openssl's rr -> rp"},
        {"genm_mac.der", PKIXCMP_BODY_GENP, "openssl's genm -> genp"},
        {"genm_signKeyPairTypes_mac.der", PKIXCMP_BODY_GENP, "openssl's genm with an ITAV -> genp"},
    };
    size_t i;

    for (i = 0; i < PXC_NELEM(cases); i++) {
        PKIXCMP_MSG *req = tsrv_load(cases[i].file), *rsp = pkixcmp_srv_process(srv, req);

        ok(body(rsp) == cases[i].rsp_type && answers(cli, req, rsp), "%s", cases[i].what);
        if (cases[i].rsp_type == PKIXCMP_BODY_CP && strncmp(cases[i].file, "p10cr", 5) == 0)
            ok(rsp != NULL && ASN1_INTEGER_get(sk_PKIXCMP_CertResponse_value(
                   rsp->body->value.cp->response, 0)->certReqId) == -1,
               "the cp to a p10cr has certReqId -1 (RFC 9810 5.3.4)");
        pkixcmp_msg_free(req);
        pkixcmp_msg_free(rsp);
    }
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

static void test_implicit_confirm(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *ip, *rsp;

    ok(pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM, 1),
       "grant implicit confirmation");
    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 1));
    ok(body(ip) == PKIXCMP_BODY_IP && pxc_hdr_has_implicit_confirm(ip->header),
       "asked and granted: implicitConfirm in the ip (RFC 9810 5.1.1.1)");
    is_int(open_txns(srv), 0, "the transaction ends with the ip");
    rsp = ask(srv, tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 0));
    ok(tsrv_is_error(rsp, "badRequest"), "a certConf after it: error");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);

    pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM, 0);
    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 1));
    ok(body(ip) == PKIXCMP_BODY_IP && !pxc_hdr_has_implicit_confirm(ip->header),
       "asked, not granted: no implicitConfirm");
    is_int(open_txns(srv), 2, "the transaction awaits certConf");
    rsp = ask(srv, tsrv_certconf(cli, ip, tsrv_rsp_cert(ip), 0));
    is_int(body(rsp), PKIXCMP_BODY_PKICONF, "which gets pkiConf");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ip);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

static void test_protection_refused(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234"), *wrong = tsrv_mac_ctx("wrong");
    PKIXCMP_MSG *ir = tsrv_ir(wrong, 1, ee_key, TSRV_POP_SIG, 0), *rsp;
    const PKIXCMP_PKIStatusInfo *si;

    rsp = pkixcmp_srv_process(srv, ir);
    ok(tsrv_is_error(rsp, "badMessageCheck") && tsrv_error_code(rsp) == PKIXCMP_E_WRONG_MAC,
       "wrong MAC: error with badMessageCheck, errorCode PKIXCMP_E_WRONG_MAC");
    si = rsp != NULL && body(rsp) == PKIXCMP_BODY_ERROR ? rsp->body->value.error->pKIStatusInfo : NULL;
    ok(si != NULL && sk_ASN1_UTF8STRING_num(si->statusString) == 1
       && strstr((const char *)sk_ASN1_UTF8STRING_value(si->statusString, 0)->data, "MAC") != NULL,
       "statusString says what failed");
    ok(answers(cli, ir, rsp), "the error is MAC-protected with the server's secret");
    ok(ERR_peek_error() == 0, "the refusal leaves nothing on the caller's error queue");
    is_int(open_txns(srv), 0, "no transaction opened");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ir);

    ir = tsrv_ir(cli, 0, ee_key, TSRV_POP_SIG, 0);
    rsp = pkixcmp_srv_process(srv, ir);
    ok(tsrv_is_error(rsp, "badMessageCheck") && tsrv_error_code(rsp) == PKIXCMP_E_UNPROTECTED,
       "unprotected ir refused: badMessageCheck");
    pkixcmp_msg_free(rsp);
    ok(pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED, 1),
       "accept_unprotected");
    rsp = pkixcmp_srv_process(srv, ir);
    ok(body(rsp) == PKIXCMP_BODY_IP && answers(cli, ir, rsp),
       "then accepted, and answered with a protected ip");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ir);
    ir = tsrv_ir(wrong, 1, ee_key, TSRV_POP_SIG, 0);
    rsp = pkixcmp_srv_process(srv, ir);
    is_int(body(rsp), PKIXCMP_BODY_IP, "and a badly protected one too");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ir);
    pkixcmp_ctx_free(cli);
    pkixcmp_ctx_free(wrong);
    pkixcmp_srv_ctx_free(srv);
}

static void test_send_unprotected(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234"), *wrong = tsrv_mac_ctx("wrong");
    PKIXCMP_MSG *ip, *err;

    pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_SEND_UNPROT_ERR, 1);
    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    err = ask(srv, tsrv_ir(wrong, 1, ee_key, TSRV_POP_SIG, 0));
    ok(ip != NULL && ip->protection != NULL, "send_unprot_err: the ip is protected");
    ok(tsrv_is_error(err, "badMessageCheck") && err->protection == NULL
       && err->header->protectionAlg == NULL, "the error is not");
    pkixcmp_msg_free(ip);
    pkixcmp_msg_free(err);
    ca.reject = 1;
    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    ok(pxc_rsp_status(ip) == PXC_STATUS_REJECTION && tsrv_rsp_cert(ip) == NULL
       && ip->protection == NULL, "nor a rejection, which carries no certificate");
    ca.reject = 0;
    pkixcmp_msg_free(ip);
    is_int(open_txns(srv), 2, "only the accepted ip left a transaction open");
    pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_SEND_UNPROTECTED, 1);
    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    ok(body(ip) == PKIXCMP_BODY_IP && ip->protection == NULL, "send_unprotected: ip unprotected");
    pkixcmp_msg_free(ip);
    pkixcmp_ctx_free(cli);
    pkixcmp_ctx_free(wrong);
    pkixcmp_srv_ctx_free(srv);
}

int main(void)
{
    if (!test_ca_init(&ca) || (ee_key = tsrv_key("client_p256.key")) == NULL) {
        ok(0, "test PKI loads");
        return tap_done();
    }
    test_enroll_mac();
    test_fixtures();
    test_implicit_confirm();
    test_protection_refused();
    test_send_unprotected();
    EVP_PKEY_free(ee_key);
    test_ca_cleanup(&ca);
    return tap_done();
}
