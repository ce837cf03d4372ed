/*
 * test_server.c - the server core (srv*.c): enrollment with certConf and
 * with implicit confirmation, polling, rr, genm, client errors; every
 * refusal as an error message with its failInfo (protection, transaction
 * state, certHash, POP, undecodable input); signature protection; policy
 * options; expiry with an injected clock; four threads at once.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "protect_local.h"
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

/* Re-protects m after a change. */
static PKIXCMP_MSG *reprotect(const PKIXCMP_CTX *cli, PKIXCMP_MSG *m)
{
    if (m != NULL && !pkixcmp_msg_protect(cli, m)) {
        pkixcmp_msg_free(m);
        return NULL;
    }
    return m;
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
        if (cases[i].rsp_type == PKIXCMP_BODY_CP || cases[i].rsp_type == PKIXCMP_BODY_KUP)
            ok(rsp != NULL && rsp->body->value.cp->caPubs == NULL, "%s: caPubs only in an ip",
               cases[i].file);
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

/* A server with only signature credentials (server.crt), trusting root.crt. */
static PKIXCMP_SRV_CTX *sig_srv(int keep_secret)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cmp = srv != NULL ? pkixcmp_srv_ctx_get0_cmp_ctx(srv) : NULL;

    if (cmp == NULL || (!keep_secret && !pkixcmp_ctx_set1_secret(cmp, NULL, 0))
        || !tsrv_set_sig(cmp, "server.crt", "server.key")) {
        pkixcmp_srv_ctx_free(srv);
        return NULL;
    }
    return srv;
}

static PKIXCMP_CTX *sig_client(const char *cert, const char *key)
{
    PKIXCMP_CTX *cli = pkixcmp_ctx_new(NULL, NULL);

    if (cli == NULL || !tsrv_set_sig(cli, cert, key)) {
        pkixcmp_ctx_free(cli);
        return NULL;
    }
    return cli;
}

static void test_signature(void)
{
    PKIXCMP_SRV_CTX *srv = sig_srv(0), *both = sig_srv(1);
    PKIXCMP_CTX *cli = sig_client("client_p256.crt", "client_p256.key");
    PKIXCMP_CTX *bad = sig_client("bad_untrusted.crt", "bad_untrusted.key");
    PKIXCMP_CTX *mac = tsrv_mac_ctx("test1234");
    X509 *srv_cert = tsrv_cert("server.crt");
    PKIXCMP_MSG *ir = tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0), *rsp;

    rsp = pkixcmp_srv_process(srv, ir);
    ok(body(rsp) == PKIXCMP_BODY_IP && answers(cli, ir, rsp),
       "signed ir -> ip signed by server.crt, which the client validates");
    ok(rsp != NULL && X509_NAME_cmp(pxc_gn_dirname(rsp->header->sender),
                                    X509_get_subject_name(srv_cert)) == 0,
       "sender = the server certificate's subject (RFC 9483 3.1)");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ir);

    ir = tsrv_ir(bad, 1, ee_key, TSRV_POP_SIG, 0);
    rsp = pkixcmp_srv_process(srv, ir);
    ok(tsrv_is_error(rsp, "signerNotTrusted") && answers(cli, ir, rsp),
       "signer outside our trust: signerNotTrusted, in a signed error");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ir);

    rsp = ask(srv, tsrv_ir(mac, 1, ee_key, TSRV_POP_SIG, 0));
    ok(tsrv_is_error(rsp, "wrongIntegrity"), "MAC-protected ir to a server without secret: wrongIntegrity");
    pkixcmp_msg_free(rsp);

    rsp = ask(both, tsrv_ir(mac, 1, ee_key, TSRV_POP_SIG, 0));
    ok(body(rsp) == PKIXCMP_BODY_IP && pxc_mac_is_mac_alg(rsp->header->protectionAlg),
       "with secret and key: a MAC-protected request gets a MAC-protected answer");
    pkixcmp_msg_free(rsp);
    ir = tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0);
    rsp = pkixcmp_srv_process(both, ir);
    ok(body(rsp) == PKIXCMP_BODY_IP && !pxc_mac_is_mac_alg(rsp->header->protectionAlg)
       && answers(cli, ir, rsp), "and a signed request a signed answer");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(ir);
    X509_free(srv_cert);
    pkixcmp_ctx_free(cli);
    pkixcmp_ctx_free(bad);
    pkixcmp_ctx_free(mac);
    pkixcmp_srv_ctx_free(srv);
    pkixcmp_srv_ctx_free(both);
}

static void test_pop(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *rsp;

    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_BADSIG, 0));
    ok(tsrv_is_error(rsp, "badPOP"), "wrong signature POP: badPOP");
    pkixcmp_msg_free(rsp);
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_RAVERIFIED, 0));
    ok(tsrv_is_error(rsp, "badPOP"), "raVerified refused by default: badPOP");
    pkixcmp_msg_free(rsp);
    pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_RAVERIFIED, 1);
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_RAVERIFIED, 0));
    is_int(body(rsp), PKIXCMP_BODY_IP, "accepted with accept_raverified");
    pkixcmp_msg_free(rsp);
    is_int(open_txns(srv), 2, "refused requests leave no transaction");
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

/* An ir with the one CertReqMsg crm. */
static PKIXCMP_MSG *ir_of(const PKIXCMP_CTX *cli, PKIXCMP_CertReqMsg *crm)
{
    PKIXCMP_CertReqMessages *reqs = sk_PKIXCMP_CertReqMsg_new_null();

    if (reqs == NULL || crm == NULL || !sk_PKIXCMP_CertReqMsg_push(reqs, crm)) {
        ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
        sk_PKIXCMP_CertReqMsg_free(reqs);
        return NULL;
    }
    return tsrv_req(cli, 1, PKIXCMP_BODY_IR, reqs, NULL, 0);
}

static void test_ccr(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *req, *rsp;

    req = ir_of(cli, tsrv_crm(ee_key, "cross", TSRV_POP_SIG));
    if (req != NULL) {
        req->body->type = PKIXCMP_BODY_CCR;
        req = reprotect(cli, req);
    }
    rsp = pkixcmp_srv_process(srv, req);
    ok(body(rsp) == PKIXCMP_BODY_CCP && tsrv_rsp_cert(rsp) != NULL
       && rsp->body->value.ccp->caPubs == NULL && answers(cli, req, rsp),
       "ccr -> ccp (RFC 9810 5.3.11), without caPubs");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(req);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

/* RFC 4211 4.1: a poposkInput sender must be the authenticated sender. */
static void test_poposk_sender(void)
{
    PKIXCMP_SRV_CTX *srv = sig_srv(1);
    PKIXCMP_CTX *cli = sig_client("client_p256.crt", "client_p256.key");
    PKIXCMP_CTX *mac = tsrv_mac_ctx("test1234");
    X509 *me = tsrv_cert("client_p256.crt");
    X509_NAME *other = X509_NAME_new();
    PKIXCMP_MSG *rsp;

    X509_NAME_add_entry_by_txt(other, "CN", MBSTRING_ASC, (const unsigned char *)"someone else",
                               -1, -1, 0);
    rsp = ask(srv, ir_of(cli, tsrv_crm_poposk(ee_key, X509_get_subject_name(me))));
    is_int(body(rsp), PKIXCMP_BODY_IP, "poposkInput sender = the signer of the ir: accepted");
    pkixcmp_msg_free(rsp);
    rsp = ask(srv, ir_of(cli, tsrv_crm_poposk(ee_key, other)));
    ok(tsrv_is_error(rsp, "badPOP"), "poposkInput naming someone else: badPOP");
    pkixcmp_msg_free(rsp);
    rsp = ask(srv, ir_of(mac, tsrv_crm_poposk(ee_key, X509_get_subject_name(me))));
    ok(tsrv_is_error(rsp, "badPOP"), "poposkInput sender in a MAC-protected ir: badPOP");
    pkixcmp_msg_free(rsp);
    X509_NAME_free(other);
    X509_free(me);
    pkixcmp_ctx_free(cli);
    pkixcmp_ctx_free(mac);
    pkixcmp_srv_ctx_free(srv);
}

static void test_rr_genm_error(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    const X509_NAME *issuer = X509_get_subject_name(ca.ca_cert);
    PKIXCMP_MSG *req, *rsp, *ip;
    PKIXCMP_ErrorMsgContent *em;
    const PKIXCMP_RevRepContent *rp;

    req = tsrv_rr(cli, issuer, 1001, 1);
    rsp = pkixcmp_srv_process(srv, req);
    rp = body(rsp) == PKIXCMP_BODY_RP ? rsp->body->value.rp : NULL;
    ok(rp != NULL && answers(cli, req, rsp) && pxc_rsp_status(rsp) == PXC_STATUS_ACCEPTED,
       "rr -> rp, accepted");
    ok(rp != NULL && sk_PKIXCMP_CertId_num(rp->revCerts) == 1
       && ASN1_INTEGER_get(sk_PKIXCMP_CertId_value(rp->revCerts, 0)->serialNumber) == 1001,
       "rp names the certificate in revCerts");
    is_int(ca.last_reason, 1, "the backend got the reasonCode (keyCompromise)");
    is_int(open_txns(srv), 0, "rr is a single pair");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(req);
    rsp = ask(srv, tsrv_rr(cli, issuer, 0xDEAD, -1));
    ok(tsrv_is_error(rsp, "badCertId") && tsrv_error_code(rsp) == PKIXCMP_E_UNKNOWN_CERT,
       "rr of an unknown certificate: the backend's error, badCertId");
    pkixcmp_msg_free(rsp);

    req = tsrv_rr(cli, issuer, 1002, -1);
    X509_NAME_free(req->body->value.rr != NULL
                   ? sk_PKIXCMP_RevDetails_value(req->body->value.rr, 0)->certDetails->issuer : NULL);
    sk_PKIXCMP_RevDetails_value(req->body->value.rr, 0)->certDetails->issuer = NULL;
    rsp = pkixcmp_srv_process(srv, req); /* unprotected now: the policy lets it pass */
    ok(tsrv_is_error(rsp, "badMessageCheck"), "a changed rr no longer verifies");
    pkixcmp_msg_free(rsp);
    pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED, 1);
    rsp = pkixcmp_srv_process(srv, req);
    ok(tsrv_is_error(rsp, "badCertTemplate"), "rr without issuer: badCertTemplate (RFC 9483 4.2)");
    pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED, 0);
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(req);

    /* the client ends a transaction with an error message */
    ip = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    em = pxc_errormsg_new(NULL, -1, "client gives up");
    req = tsrv_req(cli, 1, PKIXCMP_BODY_ERROR, em, ip, 0);
    rsp = pkixcmp_srv_process(srv, req);
    ok(body(rsp) == PKIXCMP_BODY_PKICONF && answers(cli, req, rsp),
       "error from the client -> pkiConf (RFC 9810 5.3.21)");
    ok(ca.errors == 1 && open_txns(srv) == 0, "backend told, transaction closed");
    pkixcmp_msg_free(rsp);
    pkixcmp_msg_free(req);
    pkixcmp_msg_free(ip);

    rsp = ask(srv, tsrv_req(cli, 1, PKIXCMP_BODY_PKICONF, NULL, NULL, 0));
    ok(tsrv_is_error(rsp, "badRequest") && tsrv_error_code(rsp) == PKIXCMP_E_UNSUPPORTED_REQUEST,
       "pkiConf is no request: badRequest");
    pkixcmp_msg_free(rsp);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

static void test_backend_missing(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PXC_SRV_BACKEND shorter = test_backend;
    PKIXCMP_MSG *rsp;

    ok(pxc_srv_ctx_set_backend(srv, NULL, NULL), "no backend");
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    ok(tsrv_is_error(rsp, "badRequest") && tsrv_error_code(rsp) == PKIXCMP_E_UNSUPPORTED_REQUEST,
       "without a backend: error, unsupported request");
    pkixcmp_msg_free(rsp);
    shorter.size = offsetof(PXC_SRV_BACKEND, revoke);
    ok(pxc_srv_ctx_set_backend(srv, &shorter, &ca), "a backend whose struct ends before revoke");
    rsp = ask(srv, tsrv_rr(cli, X509_get_subject_name(ca.ca_cert), 1001, -1));
    ok(tsrv_is_error(rsp, "badRequest"), "its revoke member is not used even though it is set");
    pkixcmp_msg_free(rsp);
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    is_int(body(rsp), PKIXCMP_BODY_IP, "its cert_request is");
    pkixcmp_msg_free(rsp);
    shorter.size = 0;
    ok(!pxc_srv_ctx_set_backend(srv, &shorter, &ca), "a backend struct without members is refused");
    ERR_clear_error();
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

static void test_der(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    char *path = tu_data_path("test/data", "ir_mac.der");
    size_t len = 0, rsp_len = 0;
    unsigned char *der = tu_read_file(path, &len), *out = NULL;
    PKIXCMP_MSG *rsp = NULL;

    ok(pkixcmp_srv_process_der(srv, (const unsigned char *)"garbage", 7, &out, &rsp_len)
       && (rsp = pkixcmp_msg_decode(out, rsp_len, 0)) != NULL, "garbage gets a DER answer");
    ok(tsrv_is_error(rsp, "badDataFormat"), "an error with badDataFormat");
    ok(rsp != NULL && rsp->header->transactionID != NULL
       && rsp->header->transactionID->length == 16 && rsp->header->recipNonce == NULL,
       "in a new transaction: fresh transactionID, no recipNonce");
    ok(rsp != NULL && pkixcmp_msg_verify(cli, rsp, NULL), "MAC-protected");
    pkixcmp_msg_free(rsp);
    rsp = NULL;
    OPENSSL_free(out);
    out = NULL;

    ok(pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_MAX_MSG_SIZE, 100), "size limit 100");
    ok(der != NULL && pkixcmp_srv_process_der(srv, der, len, &out, &rsp_len)
       && (rsp = pkixcmp_msg_decode(out, rsp_len, 0)) != NULL && tsrv_is_error(rsp, "badDataFormat")
       && tsrv_error_code(rsp) == PKIXCMP_E_DER_TOO_LARGE,
       "a larger request: badDataFormat, errorCode PKIXCMP_E_DER_TOO_LARGE");
    pkixcmp_msg_free(rsp);
    rsp = NULL;
    OPENSSL_free(out);
    out = NULL;
    ok(pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_MAX_MSG_SIZE, 1 << 20), "size limit 1 MiB");
    ok(der != NULL && pkixcmp_srv_process_der(srv, der, len, &out, &rsp_len)
       && (rsp = pkixcmp_msg_decode(out, rsp_len, 0)) != NULL && body(rsp) == PKIXCMP_BODY_IP,
       "openssl's ir_mac.der as DER -> ip");
    {
        /* the answer is put together from the DER its MAC covers: it must
         * be the DER of the message (pkixcmp_msg_decode checks that too),
         * with extraCerts, and its MAC must verify */
        unsigned char *again = NULL;
        int n = rsp != NULL ? pkixcmp_msg_encode(rsp, &again) : -1;
        PKIXCMP_MSG *req = tsrv_load("ir_mac.der");

        ok(n > 0 && (size_t)n == rsp_len && memcmp(again, out, rsp_len) == 0,
           "the ip as DER: what pkixcmp_msg_encode() makes of it (%d bytes)", n);
        ok(rsp != NULL && sk_X509_num(rsp->extraCerts) > 0 && rsp->protection != NULL,
           "the ip as DER: protection and extraCerts");
        ok(answers(cli, req, rsp), "the ip as DER: its MAC and header check");
        pkixcmp_msg_free(req);
        OPENSSL_free(again);
    }
    {
        /* the request's MAC is checked over its own DER: a changed letter of
         * the subject in the body (offset 370: "pkixcmp test client P-256"
         * in the template) or of the sender in the header (offset 50) is
         * still refused */
        static const size_t where[] = {370, 50};
        size_t i;
        PKIXCMP_MSG *m = der != NULL ? pkixcmp_msg_decode(der, len, 0) : NULL;
        unsigned char *sliced = NULL, *encoded = NULL;
        int ns = der != NULL ? pxc_protected_part_from_der(der, len, &sliced) : -1;
        int ne = m != NULL ? pxc_protected_part_der(m, &encoded) : -2;

        ok(ns > 0 && ns == ne && memcmp(sliced, encoded, (size_t)ns) == 0,
           "ProtectedPart from the request's DER: as encoded from the message (%d bytes)", ns);
        OPENSSL_free(sliced);
        OPENSSL_free(encoded);
        pkixcmp_msg_free(m);

        for (i = 0; i < PXC_NELEM(where); i++) {
            unsigned char *bad = der != NULL && len > where[i] ? OPENSSL_memdup(der, len) : NULL,
                          *ans = NULL;
            size_t ans_len = 0;
            PKIXCMP_MSG *err = NULL;

            if (bad != NULL)
                bad[where[i]] ^= 0x01; /* a letter of a UTF8String: still DER */
            ok(bad != NULL && pkixcmp_srv_process_der(srv, bad, len, &ans, &ans_len)
               && (err = pkixcmp_msg_decode(ans, ans_len, 0)) != NULL
               && tsrv_is_error(err, "badMessageCheck")
               && tsrv_error_code(err) == PKIXCMP_E_WRONG_MAC,
               "DER with a letter changed at offset %zu: badMessageCheck, PKIXCMP_E_WRONG_MAC",
               where[i]);
            pkixcmp_msg_free(err);
            OPENSSL_free(ans);
            OPENSSL_free(bad);
        }
    }
    ok(ERR_peek_error() == 0, "no errors left on the queue");
    pkixcmp_msg_free(rsp);
    OPENSSL_free(out);
    free(der);
    free(path);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
}

static void test_options(void)
{
    PKIXCMP_SRV_CTX *srv = tsrv_new_srv(&ca);
    PKIXCMP_CTX *cli = tsrv_mac_ctx("test1234");
    PKIXCMP_MSG *rsp;
    X509_NAME *name = X509_NAME_new();

    is_int(pkixcmp_srv_ctx_get_option(srv, PKIXCMP_SRV_OPT_TXN_MAX), 4096, "default: 4096 transactions");
    is_int(pkixcmp_srv_ctx_get_option(srv, PKIXCMP_SRV_OPT_TXN_TTL), 300, "default: 300 s");
    is_int(pkixcmp_srv_ctx_get_option(srv, PKIXCMP_SRV_OPT_SEND_UNPROTECTED), 0, "flags default off");
    ok(!pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_SEND_UNPROTECTED, 2)
       && pkixcmp_err_peek_last() == PKIXCMP_E_INVALID_ARGUMENT, "a flag is 0 or 1");
    ok(!pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_TXN_MAX, 0), "no table of 0");
    ok(!pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_TXN_TTL, 0), "no lifetime of 0");
    ok(!pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_MAX_MSG_SIZE, 0), "no size limit of 0");
    ok(!pkixcmp_srv_ctx_set_option(srv, (pkixcmp_srv_opt)99, 1)
       && pkixcmp_srv_ctx_get_option(srv, (pkixcmp_srv_opt)99) == -1, "unknown option");
    ERR_clear_error();

    /* sender name of MAC-protected responses */
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"my CA", -1, -1, 0);
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    ok(rsp != NULL && X509_NAME_entry_count(pxc_gn_dirname(rsp->header->sender)) == 0,
       "MAC-protected response of a server without name or certificate: sender NULL-DN");
    pkixcmp_msg_free(rsp);
    ok(pkixcmp_srv_ctx_set1_sender(srv, name), "set a sender name");
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    ok(rsp != NULL && X509_NAME_cmp(pxc_gn_dirname(rsp->header->sender), name) == 0,
       "then it is the sender");
    pkixcmp_msg_free(rsp);

    /* pvno: RFC 9810 7 "the version of the response message MUST be the same" */
    pkixcmp_ctx_set_option(cli, PKIXCMP_OPT_PVNO, 3);
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    is_int(rsp != NULL ? pkixcmp_msg_get_pvno(rsp) : -1, 3, "a cmp2021 request gets a cmp2021 answer");
    pkixcmp_msg_free(rsp);
    pkixcmp_ctx_set_option(cli, PKIXCMP_OPT_PVNO, 2);

    ok(pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_TXN_MAX, 1), "one transaction at most");
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    is_int(body(rsp), PKIXCMP_BODY_IP, "the first opens it");
    pkixcmp_msg_free(rsp);
    rsp = ask(srv, tsrv_ir(cli, 1, ee_key, TSRV_POP_SIG, 0));
    ok(tsrv_is_error(rsp, "systemUnavail"), "a second: systemUnavail (server busy)");
    pkixcmp_msg_free(rsp);
    X509_NAME_free(name);
    pkixcmp_ctx_free(cli);
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
    test_signature();
    test_pop();
    test_poposk_sender();
    test_ccr();
    test_rr_genm_error();
    test_backend_missing();
    test_der();
    test_options();
    EVP_PKEY_free(ee_key);
    test_ca_cleanup(&ca);
    return tap_done();
}
