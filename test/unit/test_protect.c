/*
 * test_protect.c - the coordinator: pkixcmp_msg_protect(), _verify() and
 * _check_response() on openssl cmp's fixtures and on our own protection;
 * the unprotected-errors policy; 3GPP trust on first use.
 */
#include <stdlib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "protect_local.h"
#include "tap.h"
#include "testutil.h"

static PKIXCMP_MSG *load(const char *file)
{
    char *path = tu_data_path("test/data", file);
    PKIXCMP_MSG *msg = pkixcmp_msg_read_file(path, 0);

    if (msg == NULL)
        tap_diag("cannot load %s", file);
    free(path);
    return msg;
}

static PKIXCMP_CTX *mac_ctx(const char *secret)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

    pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)secret, strlen(secret));
    pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)"4711", 4);
    return ctx;
}

/* A context trusting root.crt with interm.crt as untrusted. */
static PKIXCMP_CTX *sig_ctx(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509 *root = tu_cert("root.crt");

    X509_STORE_add_cert(store, root);
    sk_X509_push(untrusted, tu_cert("interm.crt"));
    pkixcmp_ctx_set1_trusted(ctx, store);
    pkixcmp_ctx_set1_untrusted(ctx, untrusted);
    X509_free(root);
    X509_STORE_free(store);
    sk_X509_pop_free(untrusted, X509_free);
    return ctx;
}

static int logged;
static void count_log(int level, const char *line, void *arg)
{
    (void)line;
    (void)arg;
    logged += level == PKIXCMP_LOG_WARNING;
}

static void test_fixtures(void)
{
    PKIXCMP_CTX *mac = mac_ctx("test1234"), *wrong = mac_ctx("wrong"), *sig = sig_ctx();
    PKIXCMP_MSG *ir = load("ir_mac.der"), *ip = load("ip_mac.der"), *ips = load("ip_sig.der");
    PKIXCMP_MSG *irs = load("ir_sig.der");
    X509 *signer = NULL;

    ok(pkixcmp_msg_verify(mac, ir, NULL), "openssl's PBM-protected ir verifies");
    ok(!pkixcmp_msg_verify(wrong, ir, NULL) && pkixcmp_err_peek_last() == PKIXCMP_E_WRONG_MAC,
       "with a wrong secret: PKIXCMP_E_WRONG_MAC");
    ERR_clear_error();
    ok(!pkixcmp_msg_verify(sig, ir, NULL) && pkixcmp_err_peek_last() == PKIXCMP_E_WRONG_INTEGRITY,
       "MAC-protected message without a secret: PKIXCMP_E_WRONG_INTEGRITY");
    ERR_clear_error();
    {
        X509 *srv = tu_cert("server.crt");

        ok(pkixcmp_msg_verify(sig, ips, &signer) && signer != NULL && X509_cmp(signer, srv) == 0,
           "openssl's signed ip verifies and its signer is server.crt");
        X509_free(srv);
    }
    X509_free(signer);
    ok(pkixcmp_msg_check_response(mac, ir, ip), "ip_mac answers ir_mac (protection and header)");
    ok(pkixcmp_msg_check_response(sig, irs, ips), "ip_sig answers ir_sig");
    ok(!pkixcmp_msg_check_response(mac, irs, ip)
       && pkixcmp_err_peek_last() == PKIXCMP_E_WRONG_TRANSACTIONID,
       "ip of another transaction: PKIXCMP_E_WRONG_TRANSACTIONID");
    ERR_clear_error();
    pkixcmp_msg_free(ir);
    pkixcmp_msg_free(ip);
    pkixcmp_msg_free(irs);
    pkixcmp_msg_free(ips);
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(wrong);
    pkixcmp_ctx_free(sig);
}

/* Makes req the request rsp answers (transactionID, nonce), so that only
 * the protection decides. */
static void pair(PKIXCMP_MSG *req, const PKIXCMP_MSG *rsp)
{
    ASN1_OCTET_STRING_free(req->header->transactionID);
    req->header->transactionID = ASN1_OCTET_STRING_dup(rsp->header->transactionID);
    ASN1_OCTET_STRING_free(req->header->senderNonce);
    req->header->senderNonce = ASN1_OCTET_STRING_dup(rsp->header->recipNonce);
}

static void test_unprotected_errors(void)
{
    PKIXCMP_CTX *mac = mac_ctx("test1234");
    PKIXCMP_MSG *ir = load("ir_mac.der"), *err = load("error_unprotected.der");
    PKIXCMP_MSG *irm = load("ir_mac.der"), *rej = load("ip_rejected_mac.der"), *ip = load("ip_mac.der");

    pair(ir, err);
    pair(irm, rej);

    ok(!pkixcmp_msg_verify(mac, err, NULL) && pkixcmp_err_peek_last() == PKIXCMP_E_UNPROTECTED,
       "unprotected error: PKIXCMP_E_UNPROTECTED");
    ERR_clear_error();
    ok(!pkixcmp_msg_check_response(mac, ir, err), "unprotected error refused by default");
    ERR_clear_error();
    pkixcmp_ctx_set_option(mac, PKIXCMP_OPT_UNPROTECTED_ERRORS, 1);
    pkixcmp_ctx_set_log_cb(mac, count_log, NULL);
    logged = 0;
    ok(pkixcmp_msg_check_response(mac, ir, err) && logged == 1,
       "accepted with -unprotected_errors, with one warning");
    /* a rejection whose MAC is broken is accepted by the policy too ... */
    rej->protection->data[0] ^= 1;
    ok(pkixcmp_msg_check_response(mac, irm, rej) && logged == 2,
       "badly protected rejection accepted by the policy, with a warning");
    /* ... but a positive response never is */
    pair(irm, ip);
    ip->protection->data[0] ^= 1;
    ok(!pkixcmp_msg_check_response(mac, irm, ip) && pkixcmp_err_peek_last() == PKIXCMP_E_WRONG_MAC,
       "badly protected accepting ip refused even with the policy");
    ERR_clear_error();
    pkixcmp_msg_free(ir);
    pkixcmp_msg_free(err);
    pkixcmp_msg_free(irm);
    pkixcmp_msg_free(rej);
    pkixcmp_msg_free(ip);
    pkixcmp_ctx_free(mac);
}

/* protect with ctx, encode, decode, verify with vctx */
static int round_trip(PKIXCMP_CTX *ctx, PKIXCMP_CTX *vctx, const char *file)
{
    PKIXCMP_MSG *msg = load(file), *back = NULL;
    unsigned char *der = NULL;
    int n, ok = 0;

    if (msg != NULL && pkixcmp_msg_protect(ctx, msg) && (n = pkixcmp_msg_encode(msg, &der)) > 0
        && (back = pkixcmp_msg_decode(der, (size_t)n, 0)) != NULL)
        ok = pkixcmp_msg_verify(vctx, back, NULL);
    OPENSSL_free(der);
    pkixcmp_msg_free(msg);
    pkixcmp_msg_free(back);
    return ok;
}

static void test_round_trips(void)
{
    PKIXCMP_CTX *mac = mac_ctx("s3cr3t"), *sig = sig_ctx(), *signer = sig_ctx();
    X509 *c = tu_cert("client_p256.crt");
    EVP_PKEY *k = tu_key("client_p256.key");
    PKIXCMP_MSG *msg;

    ok(round_trip(mac, mac, "genm_mac.der"), "PBM protect, decode, verify");
    pkixcmp_ctx_set_option(mac, PKIXCMP_OPT_MAC_TYPE, 1);
    ok(round_trip(mac, mac, "genm_mac.der"), "PBMAC1 protect, decode, verify");
    pkixcmp_ctx_set1_cert(signer, c);
    pkixcmp_ctx_set1_pkey(signer, k);
    ok(round_trip(signer, sig, "genm_sig.der"), "signature protect, decode, verify");
    msg = load("genm_mac.der");
    ok(pkixcmp_msg_protect(signer, msg) && sk_X509_num(msg->extraCerts) >= 2
       && X509_cmp(sk_X509_value(msg->extraCerts, 0), c) == 0,
       "extraCerts: signer first, then its chain");
    ok(msg->header->senderKID != NULL
       && ASN1_OCTET_STRING_cmp(msg->header->senderKID, X509_get0_subject_key_id(c)) == 0,
       "senderKID is the signer's SKID");
    ok(X509_NAME_cmp(msg->header->sender->d.directoryName, X509_get_subject_name(c)) == 0,
       "sender is the signer's subject");
    pkixcmp_msg_free(msg);
    {
        PKIXCMP_CTX *none = pkixcmp_ctx_new(NULL, NULL);

        msg = load("genm_mac.der");
        ok(!pkixcmp_msg_protect(none, msg) && pkixcmp_err_peek_last() == PKIXCMP_E_NO_CREDENTIALS,
           "no credentials: PKIXCMP_E_NO_CREDENTIALS");
        ERR_clear_error();
        pkixcmp_msg_free(msg);
        pkixcmp_ctx_free(none);
    }
    X509_free(c);
    EVP_PKEY_free(k);
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(sig);
    pkixcmp_ctx_free(signer);
}

/* An ip signed by server.crt, with root.crt (self-issued) in extraCerts. */
static void test_tofu(void)
{
    PKIXCMP_CTX *srv = sig_ctx(), *cli = pkixcmp_ctx_new(NULL, NULL);
    STACK_OF(X509) *extra = sk_X509_new_null();
    X509 *c = tu_cert("server.crt");
    EVP_PKEY *k = tu_key("server.key");
    PKIXCMP_MSG *ip = load("ip_sig.der"), *genp = load("genp_sig.der");

    sk_X509_push(extra, tu_cert("root.crt"));
    pkixcmp_ctx_set1_cert(srv, c);
    pkixcmp_ctx_set1_pkey(srv, k);
    pkixcmp_ctx_set1_extra_certs_out(srv, extra);
    ok(pkixcmp_msg_protect(srv, ip) && pkixcmp_msg_protect(srv, genp), "ip and genp signed, root in extraCerts");
    ok(!pkixcmp_msg_verify(cli, ip, NULL) && pkixcmp_err_peek_last() == PKIXCMP_E_UNTRUSTED_SIGNER,
       "without trust anchors the ip is not trusted");
    ERR_clear_error();
    pkixcmp_ctx_set_option(cli, PKIXCMP_OPT_PERMIT_TA_IN_EXTRACERTS_FOR_IR, 1);
    pkixcmp_ctx_set_log_cb(cli, count_log, NULL);
    logged = 0;
    ok(pkixcmp_msg_verify(cli, ip, NULL) && logged == 1,
       "3GPP: the ip is trusted through its self-issued extraCert, with a warning");
    ok(!pkixcmp_msg_verify(cli, genp, NULL) && pkixcmp_err_peek_last() == PKIXCMP_E_UNTRUSTED_SIGNER,
       "3GPP trust on first use is for ip only, not genp");
    ERR_clear_error();
    sk_X509_pop_free(extra, X509_free);
    X509_free(c);
    EVP_PKEY_free(k);
    pkixcmp_msg_free(ip);
    pkixcmp_msg_free(genp);
    pkixcmp_ctx_free(srv);
    pkixcmp_ctx_free(cli);
}

static void test_capubs(void)
{
    PKIXCMP_CTX *mac = mac_ctx("test1234"), *wrong = mac_ctx("wrong"), *sig = sig_ctx();
    PKIXCMP_MSG *env = load("v3/ip_v3_envelopeddata.der"), *ips = load("ip_sig.der");
    PKIXCMP_MSG *genp = load("genp_mac.der");
    STACK_OF(X509) *capubs;

    capubs = pkixcmp_msg_get1_trusted_capubs(mac, env);
    ok(capubs != NULL && sk_X509_num(capubs) == sk_X509_num(env->body->value.ip->caPubs)
       && sk_X509_num(capubs) > 0, "caPubs of a MAC-protected ip that verifies are trusted");
    sk_X509_pop_free(capubs, X509_free);
    ok(pkixcmp_msg_get1_trusted_capubs(wrong, env) == NULL
       && pkixcmp_err_peek_last() == PKIXCMP_E_WRONG_MAC, "not if the MAC does not verify");
    ERR_clear_error();
    ok(pkixcmp_msg_get1_trusted_capubs(sig, ips) == NULL
       && pkixcmp_err_peek_last() == PKIXCMP_E_WRONG_INTEGRITY,
       "not from a signature-protected ip");
    ERR_clear_error();
    ok(pkixcmp_msg_get1_trusted_capubs(mac, genp) == NULL
       && pkixcmp_err_peek_last() == PKIXCMP_E_INVALID_ARGUMENT, "genp has no caPubs");
    ERR_clear_error();
    pkixcmp_msg_free(env);
    pkixcmp_msg_free(ips);
    pkixcmp_msg_free(genp);
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(wrong);
    pkixcmp_ctx_free(sig);
}

static int round_trip(PKIXCMP_CTX *ctx, PKIXCMP_CTX *vctx, const char *file);

/* RFC 9481 only: openssl's default PBM (hmac-sha1) is refused, SHA-2 ok. */
static void test_rfc9481_only(void)
{
    PKIXCMP_CTX *mac = mac_ctx("test1234"), *sig = sig_ctx(), *signer = sig_ctx();
    PKIXCMP_MSG *ir = load("ir_mac.der"), *ips = load("ip_sig.der"), *msg = load("genm_mac.der");
    X509 *c = tu_cert("client_rsa.crt");
    EVP_PKEY *k = tu_key("client_rsa.key");

    pkixcmp_ctx_set_option(mac, PKIXCMP_OPT_RFC9481_ONLY, 1);
    pkixcmp_ctx_set_option(sig, PKIXCMP_OPT_RFC9481_ONLY, 1);
    ok(!pkixcmp_msg_verify(mac, ir, NULL)
       && pkixcmp_err_peek_last() == PKIXCMP_E_DISALLOWED_ALGORITHM,
       "RFC 9481 only: PBM with hmac-sha1 refused with PKIXCMP_E_DISALLOWED_ALGORITHM");
    ERR_clear_error();
    ok(pkixcmp_msg_verify(sig, ips, NULL), "RFC 9481 only: ecdsa-with-SHA256 accepted");
    pkixcmp_ctx_set1_mac(mac, "HMAC-SHA256");
    ok(round_trip(mac, mac, "genm_mac.der"), "RFC 9481 only: PBM with hmacWithSHA256 accepted");
    pkixcmp_ctx_set1_cert(signer, c);
    pkixcmp_ctx_set1_pkey(signer, k);
    pkixcmp_ctx_set1_digest(signer, "SHA1");
    ok(pkixcmp_msg_protect(signer, msg) && !pkixcmp_msg_verify(sig, msg, NULL)
       && pkixcmp_err_peek_last() == PKIXCMP_E_DISALLOWED_ALGORITHM,
       "RFC 9481 only: sha1WithRSAEncryption refused");
    ERR_clear_error();
    X509_free(c);
    EVP_PKEY_free(k);
    pkixcmp_msg_free(ir);
    pkixcmp_msg_free(ips);
    pkixcmp_msg_free(msg);
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(sig);
    pkixcmp_ctx_free(signer);
}

static void test_request_sender_kid(void)
{
    PKIXCMP_CTX *ctx = mac_ctx("test1234");
    PKIXCMP_MSG *ir = load("ir_mac.der");

    ok(pxc_hdr_check_request(ctx, ir), "openssl's MAC-protected ir passes the request checks");
    ASN1_OCTET_STRING_free(ir->header->senderKID);
    ir->header->senderKID = NULL;
    ok(!pxc_hdr_check_request(ctx, ir) && pkixcmp_err_peek_last() == PKIXCMP_E_MISSING_SENDERKID,
       "MAC-protected request without senderKID: PKIXCMP_E_MISSING_SENDERKID");
    ERR_clear_error();
    pkixcmp_msg_free(ir);
    pkixcmp_ctx_free(ctx);
}

int main(void)
{
    test_request_sender_kid();
    test_rfc9481_only();
    test_capubs();
    test_fixtures();
    test_unprotected_errors();
    test_round_trips();
    test_tofu();
    return tap_done();
}
