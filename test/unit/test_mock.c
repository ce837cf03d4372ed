/*
 * test_mock.c - our client against the server core with the mock CA, in
 * one process (pkixcmp_transfer_server(): every message through DER):
 * ir, cr, p10cr, kur, rr and genm with MAC and signature protection,
 * really issued certificates, polling with a fake clock, implicit
 * confirmation, fixed mode (-rsp_cert), and 8 threads enrolling at once.
 * Fault injection is in test_mock_faults.c.
 */
#include <pthread.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "srv_backend.h"
#include "tap.h"
#include "testutil.h"
#include "test_mock.h"

/* Enrolls CN=cn with a new key through ctx's ir (or cr); *cert the new
 * certificate (caller frees), *key its key. */
static int enroll(PKIXCMP_CTX *ctx, int cr, X509 **cert)
{
    int ok = cr ? pkixcmp_exec_cr(ctx) : pkixcmp_exec_ir(ctx);

    *cert = NULL;
    if (!ok) {
        tap_diag("enrollment failed: %s", pkixcmp_err_reason_string(tm_last_error()));
        return 0;
    }
    *cert = pkixcmp_ctx_get0_newcert(ctx);
    return *cert != NULL && X509_up_ref(*cert);
}

static void test_ir_cr_mac_and_sig(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k1 = tm_newkey(), *k2 = tm_newkey(), *k3 = tm_newkey();
    PKIXCMP_CTX *mac = tm_cli_mac(&link, k1, "mock ir mac");
    PKIXCMP_CTX *sig = tm_cli_sig(&link, tm_pki.client, tm_pki.client_key, k2, "mock ir sig");
    PKIXCMP_CTX *crc = tm_cli_mac(&link, k3, "mock cr");
    X509 *c1 = NULL, *c2 = NULL, *c3 = NULL;

    X509_STORE *store = tu_store("root.crt");

    ok(pkixcmp_ctx_set1_out_trusted(mac, store), "the MAC client validates what it gets");
    ok(enroll(mac, 0, &c1), "ir, MAC-protected: enrolled");
    ok(tm_issued(c1, "mock ir mac", k1), "ir/MAC: interm issued CN=mock ir mac for our key");
    is_int(link.n, 2, "ir/MAC: ir and certConf sent");
    is_int(link.types[1], PKIXCMP_BODY_CERTCONF, "ir/MAC: the second message is certConf");
    ok(sk_X509_num(pkixcmp_ctx_get0_newchain(mac)) == 3
       && X509_cmp(sk_X509_value(pkixcmp_ctx_get0_newchain(mac), 1), tm_pki.interm) == 0
       && X509_cmp(sk_X509_value(pkixcmp_ctx_get0_newchain(mac), 2), tm_pki.root) == 0,
       "ir/MAC: the new certificate validates: chain interm, root");
    link.n = 0;
    ok(enroll(sig, 0, &c2), "ir, signed with client_p256: enrolled");
    ok(tm_issued(c2, "mock ir sig", k2), "ir/signature: interm issued CN=mock ir sig for our key");
    ok(enroll(crc, 1, &c3), "cr, MAC-protected: enrolled");
    ok(tm_issued(c3, "mock cr", k3), "cr: interm issued CN=mock cr");
    ok(c1 != NULL && c2 != NULL && c3 != NULL
       && ASN1_INTEGER_cmp(X509_get0_serialNumber(c1), X509_get0_serialNumber(c2)) != 0
       && ASN1_INTEGER_cmp(X509_get0_serialNumber(c2), X509_get0_serialNumber(c3)) != 0
       && ASN1_INTEGER_cmp(X509_get0_serialNumber(c1), X509_get0_serialNumber(c3)) != 0,
       "three enrollments, three serial numbers");
    is_int(pkixcmp_mock_count(mock), 3, "the mock remembers three certificates");
    is_int(pxc_srv_ctx_open_txns(link.srv), 0, "no transaction left open");

    X509_STORE_free(store);
    X509_free(c1);
    X509_free(c2);
    X509_free(c3);
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(sig);
    pkixcmp_ctx_free(crc);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    EVP_PKEY_free(k3);
    tm_srv_free(link.srv, mock);
}

static X509_REQ *make_csr(EVP_PKEY *key, const char *cn)
{
    X509_REQ *csr = X509_REQ_new();
    X509_NAME *name = tm_name(cn);

    if (csr == NULL || name == NULL || !X509_REQ_set_subject_name(csr, name)
        || !X509_REQ_set_pubkey(csr, key) || X509_REQ_sign(csr, key, EVP_sha256()) <= 0) {
        X509_REQ_free(csr);
        csr = NULL;
    }
    X509_NAME_free(name);
    return csr;
}

static void test_p10cr(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey(), *other = tm_newkey();
    X509_REQ *csr = make_csr(k, "mock p10cr"), *bad = make_csr(k, "mock p10cr bad");
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, NULL, NULL);
    PKIXCMP_CTX *ctx2 = tm_cli_mac(&link, NULL, NULL);

    ok(pkixcmp_ctx_set1_p10csr(ctx, csr) && pkixcmp_exec_p10cr(ctx), "p10cr: enrolled");
    ok(tm_issued(pkixcmp_ctx_get0_newcert(ctx), "mock p10cr", k),
       "p10cr: the CSR's subject and key, issued by interm");
    /* a CSR whose signature does not verify: signed, then its key replaced */
    ok(bad != NULL && X509_REQ_set_pubkey(bad, other), "a CSR with another key than signed it");
    ok(!(pkixcmp_ctx_set1_p10csr(ctx2, bad) && pkixcmp_exec_p10cr(ctx2)),
       "p10cr with a bad CSR signature fails");
    ERR_clear_error();
    is_int(pkixcmp_mock_count(mock), 1, "nothing issued for the bad CSR");

    pkixcmp_ctx_free(ctx);
    pkixcmp_ctx_free(ctx2);
    X509_REQ_free(csr);
    X509_REQ_free(bad);
    EVP_PKEY_free(k);
    EVP_PKEY_free(other);
    tm_srv_free(link.srv, mock);
}

/* kur of cert (key its key) to newkey, *out the new certificate (may be
 * NULL); the pkixcmp error code, PKIXCMP_E_NONE if it succeeded, and the
 * failInfo received in *failinfo. */
static int kur(struct tm_link *link, X509 *cert, EVP_PKEY *key, EVP_PKEY *newkey, X509 **out,
               unsigned long *failinfo)
{
    PKIXCMP_CTX *ctx = tm_cli_sig(link, cert, key, newkey, NULL);
    int ok = ctx != NULL && pkixcmp_exec_kur(ctx);

    if (out != NULL) {
        *out = ok ? pkixcmp_ctx_get0_newcert(ctx) : NULL;
        if (*out != NULL)
            X509_up_ref(*out);
    }
    if (failinfo != NULL)
        *failinfo = ctx != NULL ? pkixcmp_ctx_get_failinfo(ctx) : 0;
    pkixcmp_ctx_free(ctx);
    return ok ? PKIXCMP_E_NONE : tm_last_error();
}

/* rr of cert, MAC-protected; the pkixcmp error code, PKIXCMP_E_NONE if it
 * succeeded. */
static int rr(struct tm_link *link, X509 *cert)
{
    PKIXCMP_CTX *ctx = tm_cli_mac(link, NULL, NULL);
    int ok = ctx != NULL && pkixcmp_ctx_set1_oldcert(ctx, cert) && pkixcmp_exec_rr(ctx);

    pkixcmp_ctx_free(ctx);
    return ok ? PKIXCMP_E_NONE : tm_last_error();
}

static void test_kur_rr(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k1 = tm_newkey(), *k2 = tm_newkey(), *k3 = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k1, "mock kur");
    X509 *old = NULL, *upd = NULL;
    unsigned long failinfo = 0;

    ok(enroll(ctx, 0, &old), "ir for the certificate to update");
    is_int(kur(&link, old, k1, k2, &upd, NULL), PKIXCMP_E_NONE,
           "kur signed with the old certificate: updated");
    ok(tm_issued(upd, "mock kur", k2), "kur: same subject, the new key, issued by interm");
    ok(upd != NULL && ASN1_INTEGER_cmp(X509_get0_serialNumber(old),
                                       X509_get0_serialNumber(upd)) != 0,
       "kur: a new serial number");
    is_int(kur(&link, tm_pki.client, tm_pki.client_key, k3, NULL, &failinfo),
           PKIXCMP_E_RECEIVED_ERROR, "kur of client_p256.crt, which the mock did not issue, fails");
    is_int(failinfo, 1UL << pkixcmp_err_failinfo_bit(PKIXCMP_E_UNKNOWN_CERT),
           "kur of an unknown certificate: failInfo badCertId");

    is_int(rr(&link, old), PKIXCMP_E_NONE, "rr of an issued certificate: revoked");
    is_int(rr(&link, old), PKIXCMP_E_RECEIVED_ERROR, "rr of it again: the server refuses");
    is_int(rr(&link, tm_pki.client), PKIXCMP_E_RECEIVED_ERROR,
           "rr of a certificate the mock did not issue: refused");
    is_int(kur(&link, old, k1, k3, NULL, &failinfo), PKIXCMP_E_RECEIVED_ERROR,
           "kur of the revoked certificate fails");
    is_int(failinfo, 1UL << pkixcmp_err_failinfo_bit(PKIXCMP_E_CERT_REVOKED),
           "kur of a revoked certificate: failInfo certRevoked");
    is_int(kur(&link, upd, k2, k3, NULL, NULL), PKIXCMP_E_NONE, "kur of the updated certificate works");
    is_int(pxc_srv_ctx_open_txns(link.srv), 0, "no transaction left open");

    X509_free(old);
    X509_free(upd);
    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    EVP_PKEY_free(k3);
    tm_srv_free(link.srv, mock);
}

static void test_genm(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    PKIXCMP_CTX *mac = tm_cli_mac(&link, NULL, NULL);
    PKIXCMP_CTX *sig = tm_cli_sig(&link, tm_pki.client, tm_pki.client_key, NULL, NULL);
    STACK_OF(X509) *certs = NULL, *certs2 = NULL;

    ok(pkixcmp_exec_get_cacerts(mac, &certs), "genm caCerts, MAC-protected");
    ok(sk_X509_num(certs) == 2 && X509_cmp(sk_X509_value(certs, 0), tm_pki.interm) == 0
       && X509_cmp(sk_X509_value(certs, 1), tm_pki.root) == 0,
       "caCerts: the issuing CA and its root");
    ok(pkixcmp_exec_get_cacerts(sig, &certs2) && sk_X509_num(certs2) == 2,
       "genm caCerts, signed: the same answer");
    ERR_clear_error();

    sk_X509_pop_free(certs, X509_free);
    sk_X509_pop_free(certs2, X509_free);
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(sig);
    tm_srv_free(link.srv, mock);
}

static void test_polling(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k, "mock polled");
    time_t start = tm_now;
    X509 *cert = NULL;

    ok(pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_POLL_COUNT, 2)
       && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_CHECK_AFTER, 7), "poll_count 2, check_after 7");
    ok(enroll(ctx, 0, &cert), "ir with polling: enrolled");
    ok(tm_issued(cert, "mock polled", k), "the certificate after polling is the one asked for");
    is_int(link.n, 4, "ir, pollReq, pollReq, certConf");
    is_int(link.types[1], PKIXCMP_BODY_POLLREQ, "the second message is a pollReq");
    is_int(link.types[2], PKIXCMP_BODY_POLLREQ, "the third message is a pollReq");
    is_int(link.types[3], PKIXCMP_BODY_CERTCONF, "then certConf");
    /* the waiting ip has no checkAfter: the client waits after the pollRep */
    is_int(tm_now - start, 7, "the client waited checkAfter once on the fake clock");
    is_int(pkixcmp_mock_count(mock), 1, "one certificate issued");
    is_int(pxc_srv_ctx_open_txns(link.srv), 0, "no transaction left open");

    /* rr is not delayed (unless POLL_ALL: test_mock_faults.c) */
    link.n = 0;
    is_int(rr(&link, cert), PKIXCMP_E_NONE, "rr is answered at once");
    is_int(link.n, 1, "one message for the rr");
    X509_free(cert);
    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(k);
    tm_srv_free(link.srv, mock);
}

static void test_implicit_confirm(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k, "mock implicit");
    X509 *cert = NULL;

    ok(pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_IMPLICIT_CONFIRM, 1), "client asks implicitConfirm");
    ok(enroll(ctx, 0, &cert), "enrolled, server does not grant");
    is_int(link.n, 2, "not granted: certConf sent");
    X509_free(cert);
    ok(pkixcmp_srv_ctx_set_option(link.srv, PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM, 1),
       "server grants implicitConfirm");
    link.n = 0;
    ok(enroll(ctx, 0, &cert), "enrolled with implicit confirmation");
    is_int(link.n, 1, "granted: only the ir, no certConf");
    ok(tm_issued(cert, "mock implicit", k), "the certificate is ours");
    is_int(pxc_srv_ctx_open_txns(link.srv), 0, "the granted transaction is closed");

    X509_free(cert);
    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(k);
    tm_srv_free(link.srv, mock);
}

/* -rsp_cert: every request gets that certificate; kur and rr know it. */
static void test_fixed_mode(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct tm_link link = {tm_srv_new(&mock), 0, {0}};
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, tm_pki.client_key, "whatever");
    X509 *cert = NULL;

    ok(pkixcmp_mock_set1_rsp_cert(mock, tm_pki.client), "fixed mode with client_p256.crt");
    ok(enroll(ctx, 0, &cert) && X509_cmp(cert, tm_pki.client) == 0,
       "ir gets the fixed certificate");
    is_int(rr(&link, tm_pki.client), PKIXCMP_E_NONE, "rr of the fixed certificate is accepted");
    is_int(rr(&link, tm_pki.client), PKIXCMP_E_NONE, "again: the reference certificate has no state");
    is_int(rr(&link, tm_pki.server), PKIXCMP_E_RECEIVED_ERROR, "rr of another certificate: refused");
    X509_free(cert);
    pkixcmp_ctx_free(ctx);
    tm_srv_free(link.srv, mock);
}

/* ---- 8 threads, 50 enrollments each, one server ---- */

#define THREADS 8
#define PER_THREAD 50

struct worker {
    PKIXCMP_SRV_CTX *srv;
    int done;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct tm_link link = {w->srv, 0, {0}};
    EVP_PKEY *k = tm_newkey();
    PKIXCMP_CTX *ctx = tm_cli_mac(&link, k, "mock thread");
    int i;

    /* the fake clock is only read here: no polling */
    for (i = 0; ctx != NULL && i < PER_THREAD; i++) {
        if (!pkixcmp_exec_ir(ctx)) {
            ERR_clear_error();
            continue;
        }
        w->done++;
    }
    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(k);
    OPENSSL_thread_stop();
    return NULL;
}

static void test_threads(void)
{
    PKIXCMP_MOCK *mock = NULL;
    PKIXCMP_SRV_CTX *srv = tm_srv_new(&mock);
    pthread_t t[THREADS];
    struct worker w[THREADS];
    int i, started = 0, done = 0;

    for (i = 0; i < THREADS; i++) {
        w[i].srv = srv;
        w[i].done = 0;
        if (pthread_create(&t[i], NULL, work, &w[i]) == 0)
            started++;
    }
    for (i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
        done += w[i].done;
    }
    is_int(started, THREADS, "8 client threads started");
    is_int(done, THREADS * PER_THREAD, "400 enrollments from 8 threads all succeeded");
    is_int(pkixcmp_mock_count(mock), THREADS * PER_THREAD, "400 certificates issued");
    is_int(pxc_srv_ctx_open_txns(srv), 0, "no transaction left open");
    tm_srv_free(srv, mock);
}

int main(void)
{
    if (!ok(tm_init(), "test PKI loaded"))
        return tap_done();
    test_ir_cr_mac_and_sig();
    test_p10cr();
    test_kur_rr();
    test_genm();
    test_polling();
    test_implicit_confirm();
    test_fixed_mode();
    test_threads();
    tm_cleanup();
    return tap_done();
}
