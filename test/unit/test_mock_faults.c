/*
 * test_mock_faults.c - the mock server's fault injection and options, seen
 * by our client through the in-process transfer: an injected PKIStatus
 * (rejection, acceptance with failInfo bits, grantedWithMods, waiting) in
 * certificate and revocation responses, -send_error, the cr certProfile
 * check, a mock without a CA, detaching, option ranges, and polling for a
 * genm (POLL_ALL) at the message level.
 */
#include <string.h>
#include <openssl/err.h>
#include "hdr_build.h"
#include "srv_backend.h"
#include "tap.h"
#include "testutil.h"
#include "test_mock.h"

/* The failInfo mask of the named bits. */
static unsigned long bits(const char *a, const char *b)
{
    unsigned long m = 0;

    if (a != NULL && pxc_failinfo_bit_by_name(a) >= 0)
        m |= 1UL << pxc_failinfo_bit_by_name(a);
    if (b != NULL && pxc_failinfo_bit_by_name(b) >= 0)
        m |= 1UL << pxc_failinfo_bit_by_name(b);
    return m;
}

static unsigned long code_bit(int code)
{
    return 1UL << pkixcmp_err_failinfo_bit(code);
}

/* An ir for CN=cn with a new key: the pkixcmp error code (PKIXCMP_E_NONE
 * on success); *cert the new certificate if wanted. */
static int ir(PKIXCMP_CTX *ctx, X509 **cert)
{
    int ok = pkixcmp_exec_ir(ctx);

    if (cert != NULL) {
        *cert = ok ? pkixcmp_ctx_get0_newcert(ctx) : NULL;
        if (*cert != NULL)
            X509_up_ref(*cert);
    }
    return ok ? PKIXCMP_E_NONE : tm_last_error();
}

static int rr(PKIXCMP_CTX *ctx, X509 *cert)
{
    return pkixcmp_ctx_set1_oldcert(ctx, cert) && pkixcmp_exec_rr(ctx) ? PKIXCMP_E_NONE
                                                                         : tm_last_error();
}

static void test_options(void)
{
    PKIXCMP_MOCK *m = pkixcmp_mock_new(NULL, NULL);

    ok(m != NULL, "a new mock");
    is_int(pkixcmp_mock_get_option(m, PKIXCMP_MOCK_OPT_CHECK_AFTER), 1, "checkAfter default 1");
    is_int(pkixcmp_mock_get_option(m, PKIXCMP_MOCK_OPT_PKISTATUS), 0, "pkistatus default accepted");
    is_int(pkixcmp_mock_get_option(m, PKIXCMP_MOCK_OPT_DAYS), 365, "days default 365");
    is_int(pkixcmp_mock_get_option(m, PKIXCMP_MOCK_OPT_CHECK_PROFILE), 1, "profile check default on");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_POLL_COUNT, -1), "poll_count -1 refused");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_CHECK_AFTER, -1), "check_after -1 refused");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_PKISTATUS, 7), "pkistatus 7 refused");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_PKISTATUS, -2), "pkistatus -2 refused");
    ok(pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_PKISTATUS, -1)
       && pkixcmp_mock_get_option(m, PKIXCMP_MOCK_OPT_PKISTATUS) == -1, "pkistatus -1: unset");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_FAILUREBITS, 1L << 27),
       "failurebits beyond bit 26 refused");
    ok(pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_FAILUREBITS, (1L << 27) - 1),
       "failurebits with all 27 bits");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_SEND_ERROR, 2), "send_error 2 refused");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_DAYS, 0), "days 0 refused");
    ok(!pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_DAYS, 36501), "days 36501 refused");
    ok(pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_DAYS, 30)
       && pkixcmp_mock_get_option(m, PKIXCMP_MOCK_OPT_DAYS) == 30, "days 30");
    ok(!pkixcmp_mock_set_option(m, (pkixcmp_mock_opt)99, 0), "an unknown option refused");
    is_int(pkixcmp_mock_get_option(m, (pkixcmp_mock_opt)99), -1, "an unknown option reads -1");
    ok(!pkixcmp_mock_attach(m, NULL), "attach to no server refused");
    ok(pkixcmp_transfer_server(NULL, NULL, NULL) == NULL
       && tm_last_error() == PKIXCMP_E_INVALID_ARGUMENT, "in-process transfer without a server fails");
    pkixcmp_mock_free(m);
    pkixcmp_mock_free(NULL);
}

static void test_status_injection(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k, "mock faults");
    unsigned long pop_req = bits("badPOP", "badRequest"), alg = bits("badAlg", NULL);
    X509 *cert = NULL;

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_PKISTATUS, PXC_STATUS_REJECTION)
       && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_FAILUREBITS, (long)pop_req)
       && pkixcmp_mock_set1_statusstring(mock, "refused by the test"), "inject rejection");
    is_int(ir(ctx, NULL), PKIXCMP_E_REQUEST_REJECTED, "ir: rejected");
    is_int(pkixcmp_ctx_get_status(ctx), PXC_STATUS_REJECTION, "status rejection received");
    is_int(pkixcmp_ctx_get_failinfo(ctx), pop_req, "failInfo badPOP, badRequest received");
    ok(pkixcmp_ctx_get0_status_text(ctx) != NULL
       && strstr(pkixcmp_ctx_get0_status_text(ctx), "refused by the test") != NULL,
       "statusString received");
    is_int(pkixcmp_mock_count(mock), 0, "a rejection issues nothing");
    is_int(pxc_srv_ctx_open_txns(link.srv), 0, "the rejected transaction is closed");

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_PKISTATUS, PXC_STATUS_ACCEPTED)
       && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_FAILUREBITS, (long)alg),
       "inject accepted with failInfo badAlg");
    is_int(ir(ctx, &cert), PKIXCMP_E_NONE, "ir: enrolled despite the failInfo");
    is_int(pkixcmp_ctx_get_failinfo(ctx), alg, "failInfo badAlg received with the certificate");
    ok(tm_issued(cert, "mock faults", k), "the certificate is really issued");
    X509_free(cert);
    cert = NULL;

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_PKISTATUS, PXC_STATUS_GRANTED_WITH_MODS)
       && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_FAILUREBITS, 0)
       && pkixcmp_mock_set1_statusstring(mock, NULL), "inject grantedWithMods");
    is_int(ir(ctx, NULL), PKIXCMP_E_NONE, "ir: enrolled");
    is_int(pkixcmp_ctx_get_status(ctx), PXC_STATUS_GRANTED_WITH_MODS, "status grantedWithMods received");

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_PKISTATUS, -1)
       && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_FAILUREBITS, (long)alg),
       "pkistatus unset, failurebits set");
    is_int(ir(ctx, NULL), PKIXCMP_E_NONE, "ir: enrolled");
    is_int(pkixcmp_ctx_get_failinfo(ctx), 0, "unset: no failInfo injected");

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_PKISTATUS, PXC_STATUS_WAITING),
       "inject waiting");
    link.n = 0;
    ok(ir(ctx, NULL) != PKIXCMP_E_NONE && link.n <= 3,
       "ir: waiting forever ends in an error, not a loop");
    is_int(pxc_srv_ctx_open_txns(link.srv), 0, "no transaction left open");
    is_int(pkixcmp_mock_count(mock), 3, "three certificates issued in all");

    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(k);
    tm_srv_free(link.srv, mock);
}

static void test_rr_injection(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k, "mock rr faults");
    PKIXCMP_CTX *rrc = tm_cli_mac(&link, NULL, NULL);
    X509 *cert = NULL;

    is_int(ir(ctx, &cert), PKIXCMP_E_NONE, "a certificate to revoke");
    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_PKISTATUS, PXC_STATUS_REJECTION),
       "inject rejection");
    is_int(rr(rrc, cert), PKIXCMP_E_REQUEST_REJECTED, "rr: rejected");
    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_PKISTATUS, PXC_STATUS_REVOCATION_NOTIFICATION),
       "inject revocationNotification");
    is_int(rr(rrc, cert), PKIXCMP_E_NONE, "rr: revoked: the rejected rr had not revoked it");
    is_int(pkixcmp_ctx_get_status(rrc), PXC_STATUS_REVOCATION_NOTIFICATION,
           "status revocationNotification received");
    is_int(rr(rrc, cert), PKIXCMP_E_RECEIVED_ERROR, "rr again: refused, the CA's own answer");
    is_int(pkixcmp_ctx_get_failinfo(rrc), code_bit(PKIXCMP_E_CERT_REVOKED), "failInfo certRevoked");

    X509_free(cert);
    pkixcmp_ctx_free(ctx);
    pkixcmp_ctx_free(rrc);
    EVP_PKEY_free(k);
    tm_srv_free(link.srv, mock);
}

static void test_send_error(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k, "mock send error");
    STACK_OF(X509) *certs = NULL;

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_SEND_ERROR, 1), "send_error");
    is_int(ir(ctx, NULL), PKIXCMP_E_RECEIVED_ERROR, "ir: an error message");
    is_int(pkixcmp_ctx_get_failinfo(ctx), code_bit(PKIXCMP_E_CA_FAILURE), "failInfo systemFailure");
    is_int(rr(ctx, tm_pki.client), PKIXCMP_E_RECEIVED_ERROR, "rr: an error message");
    ok(!pkixcmp_exec_get_cacerts(ctx, &certs) && tm_last_error() == PKIXCMP_E_RECEIVED_ERROR,
       "genm: an error message");
    is_int(pkixcmp_mock_count(mock), 0, "nothing issued");
    is_int(pxc_srv_ctx_open_txns(link.srv), 0, "no transaction left open");
    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_SEND_ERROR, 0), "send_error off");
    is_int(ir(ctx, NULL), PKIXCMP_E_NONE, "ir: enrolled again");

    sk_X509_pop_free(certs, X509_free);
    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(k);
    tm_srv_free(link.srv, mock);
}

/* A client whose requests carry certProfile `profile` in generalInfo. */
static PKIXCMP_CTX *profile_cli(struct tm_link *link, EVP_PKEY *k, const char *profile)
{
    PKIXCMP_CTX *ctx = tm_cli_mac(link, k, "mock profile");
    ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.5.5.7.4.21", 1); /* id-it-certProfile */
    unsigned char der[64];
    size_t n = strlen(profile);

    /* SEQUENCE OF UTF8String with one item */
    der[0] = 0x30;
    der[1] = (unsigned char)(n + 2);
    der[2] = 0x0c;
    der[3] = (unsigned char)n;
    memcpy(der + 4, profile, n);
    if (ctx != NULL && (oid == NULL || !pkixcmp_ctx_add_geninfo_itav(ctx, oid, der, n + 4))) {
        pkixcmp_ctx_free(ctx);
        ctx = NULL;
    }
    ASN1_OBJECT_free(oid);
    return ctx;
}

static void test_profile(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *good = profile_cli(&link, k, "profile1"), *bad = profile_cli(&link, k, "other");

    ok(good != NULL && bad != NULL, "clients with certProfile profile1 and other");
    ok(pkixcmp_exec_cr(good), "cr with certProfile profile1: enrolled");
    ok(!pkixcmp_exec_cr(bad) && tm_last_error() == PKIXCMP_E_RECEIVED_ERROR,
       "cr with certProfile other: refused");
    is_int(pkixcmp_ctx_get_failinfo(bad), code_bit(PKIXCMP_E_BAD_TEMPLATE), "failInfo badCertTemplate");
    ok(pkixcmp_exec_ir(bad), "ir with certProfile other: only cr is checked");
    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_CHECK_PROFILE, 0), "profile check off");
    ok(pkixcmp_exec_cr(bad), "cr with certProfile other: enrolled");
    tm_last_error();

    pkixcmp_ctx_free(good);
    pkixcmp_ctx_free(bad);
    EVP_PKEY_free(k);
    tm_srv_free(link.srv, mock);
}

static void test_no_ca_and_detach(void)
{
    PKIXCMP_MOCK *mock = NULL, *bare = pkixcmp_mock_new(NULL, NULL);
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k, "mock no CA");

    ok(pkixcmp_mock_attach(bare, link.srv), "a mock without CA attached");
    is_int(ir(ctx, NULL), PKIXCMP_E_RECEIVED_ERROR, "ir without CA: an error message");
    is_int(pkixcmp_ctx_get_failinfo(ctx), code_bit(PKIXCMP_E_CA_FAILURE), "failInfo systemFailure");
    ok(pkixcmp_mock_attach(NULL, link.srv), "detached");
    is_int(ir(ctx, NULL), PKIXCMP_E_RECEIVED_ERROR, "ir without backend: an error message");
    ok(pkixcmp_mock_attach(mock, link.srv), "the CA attached again");
    is_int(ir(ctx, NULL), PKIXCMP_E_NONE, "ir: enrolled");

    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(k);
    pkixcmp_mock_free(bare);
    tm_srv_free(link.srv, mock);
}

/* ---- POLL_ALL: a genm answered after pollReqs, message by message ---- */

static PKIXCMP_MSG *next_msg(const PKIXCMP_CTX *cli, int type, const PKIXCMP_MSG *prev)
{
    return pxc_msg_create(cli, type, NULL, NULL, prev != NULL ? prev->header->transactionID : NULL,
                          prev != NULL ? prev->header->senderNonce : NULL);
}

static PKIXCMP_MSG *genm_cacerts(const PKIXCMP_CTX *cli)
{
    PKIXCMP_MSG *m = next_msg(cli, PKIXCMP_BODY_GENM, NULL);
    PKIXCMP_InfoTypeAndValue *itav = (PKIXCMP_InfoTypeAndValue *)
        ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));

    if (m == NULL || itav == NULL
        || (itav->infoType = OBJ_txt2obj("1.3.6.1.5.5.7.4.17", 1)) == NULL
        || (m->body->value.genm = sk_PKIXCMP_InfoTypeAndValue_new_null()) == NULL
        || !sk_PKIXCMP_InfoTypeAndValue_push(m->body->value.genm, itav)) {
        ASN1_item_free((ASN1_VALUE *)itav, ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
        pkixcmp_msg_free(m);
        return NULL;
    }
    return m;
}

static PKIXCMP_MSG *pollreq(const PKIXCMP_CTX *cli, const PKIXCMP_MSG *prev)
{
    PKIXCMP_MSG *m = next_msg(cli, PKIXCMP_BODY_POLLREQ, prev);
    PKIXCMP_PollReq *pr = (PKIXCMP_PollReq *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PollReq));

    if (m == NULL || pr == NULL || !ASN1_INTEGER_set(pr->certReqId, -1)
        || (m->body->value.pollReq = sk_PKIXCMP_PollReq_new_null()) == NULL
        || !sk_PKIXCMP_PollReq_push(m->body->value.pollReq, pr)) {
        ASN1_item_free((ASN1_VALUE *)pr, ASN1_ITEM_rptr(PKIXCMP_PollReq));
        pkixcmp_msg_free(m);
        return NULL;
    }
    return m;
}

/* Protects req with cli, has srv answer it; req is freed. */
static PKIXCMP_MSG *ask(PKIXCMP_SRV_CTX *srv, const PKIXCMP_CTX *cli, PKIXCMP_MSG *req)
{
    PKIXCMP_MSG *rsp = NULL;

    if (req != NULL && pkixcmp_msg_protect(cli, req))
        rsp = pkixcmp_transfer_server(NULL, req, srv);
    pkixcmp_msg_free(req);
    return rsp;
}

static long check_after(const PKIXCMP_MSG *rsp)
{
    const PKIXCMP_PollRep *pr;

    if (pkixcmp_msg_get_body_type(rsp) != PKIXCMP_BODY_POLLREP
        || (pr = sk_PKIXCMP_PollRep_value(rsp->body->value.pollRep, 0)) == NULL)
        return -1;
    return ASN1_INTEGER_get(pr->checkAfter);
}

static void test_poll_all(void)
{
    PKIXCMP_MOCK *mock = NULL;
    PKIXCMP_SRV_CTX *srv = tm_srv_new(&mock);
    PKIXCMP_CTX *cli = tm_cli_mac(NULL, NULL, NULL);
    PKIXCMP_MSG *r1, *r2, *r3, *r4;

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_POLL_COUNT, 2)
       && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_CHECK_AFTER, 5)
       && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_POLL_ALL, 1), "poll_count 2 for all requests");
    r1 = ask(srv, cli, genm_cacerts(cli));
    ok(pkixcmp_msg_get_body_type(r1) == PKIXCMP_BODY_ERROR
       && pxc_statusinfo_status(r1->body->value.error->pKIStatusInfo) == PXC_STATUS_WAITING,
       "genm: an error message with status waiting");
    r2 = r1 != NULL ? ask(srv, cli, pollreq(cli, r1)) : NULL;
    is_int(check_after(r2), 5, "first pollReq: pollRep, checkAfter 5");
    r3 = r2 != NULL ? ask(srv, cli, pollreq(cli, r2)) : NULL;
    ok(pkixcmp_msg_get_body_type(r3) == PKIXCMP_BODY_GENP
       && sk_PKIXCMP_InfoTypeAndValue_num(r3->body->value.genp) == 1,
       "second pollReq: the genp");
    is_int(pxc_srv_ctx_open_txns(srv), 0, "the transaction is closed");
    r4 = r3 != NULL ? ask(srv, cli, pollreq(cli, r3)) : NULL;
    ok(pkixcmp_msg_get_body_type(r4) == PKIXCMP_BODY_ERROR, "a pollReq after the genp: refused");

    pkixcmp_msg_free(r1);
    pkixcmp_msg_free(r2);
    pkixcmp_msg_free(r3);
    pkixcmp_msg_free(r4);
    pkixcmp_ctx_free(cli);
    tm_srv_free(srv, mock);
}

int main(void)
{
    if (!ok(tm_init(), "test PKI loaded"))
        return tap_done();
    test_options();
    test_status_injection();
    test_rr_injection();
    test_send_error();
    test_profile();
    test_no_ca_and_detach();
    test_poll_all();
    tm_cleanup();
    return tap_done();
}
