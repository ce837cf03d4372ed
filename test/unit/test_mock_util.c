/*
 * test_mock_util.c - helpers of the mock server tests (test_mock.h).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include "tap.h"
#include "testutil.h"
#include "test_mock.h"

time_t tm_now;
struct tm_pki tm_pki;

time_t tm_clock(void *arg)
{
    (void)arg;
    return tm_now;
}

void tm_sleep(void *arg, long secs)
{
    (void)arg;
    tm_now += secs;
}

int tm_init(void)
{
    struct tm_pki *p = &tm_pki;

    tm_now = time(NULL);
    p->root = tu_cert("root.crt");
    p->interm = tu_cert("interm.crt");
    p->server = tu_cert("server.crt");
    p->client = tu_cert("client_p256.crt");
    p->interm_key = tu_key("interm.key");
    p->server_key = tu_key("server.key");
    p->client_key = tu_key("client_p256.key");
    return p->root != NULL && p->interm != NULL && p->server != NULL && p->client != NULL
        && p->interm_key != NULL && p->server_key != NULL && p->client_key != NULL;
}

void tm_cleanup(void)
{
    struct tm_pki *p = &tm_pki;

    X509_free(p->root);
    X509_free(p->interm);
    X509_free(p->server);
    X509_free(p->client);
    EVP_PKEY_free(p->interm_key);
    EVP_PKEY_free(p->server_key);
    EVP_PKEY_free(p->client_key);
    memset(p, 0, sizeof(*p));
}

/* Secret test1234, reference 4711; trust root.crt, interm.crt untrusted. */
static int set_common(PKIXCMP_CTX *ctx)
{
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE *store = tu_store("root.crt");
    int ok = untrusted != NULL && store != NULL
        && X509_add_cert(untrusted, tm_pki.interm, X509_ADD_FLAG_UP_REF)
        && pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"test1234", 8)
        && pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)"4711", 4)
        && pkixcmp_ctx_set1_trusted(ctx, store) && pkixcmp_ctx_set1_untrusted(ctx, untrusted)
        && pkixcmp_ctx_set_clock(ctx, tm_clock, NULL)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_LOG_VERBOSITY, 3);

    sk_X509_pop_free(untrusted, X509_free);
    X509_STORE_free(store);
    return ok;
}

PKIXCMP_SRV_CTX *tm_srv_new(PKIXCMP_MOCK **mock)
{
    PKIXCMP_SRV_CTX *srv = pkixcmp_srv_ctx_new(NULL, NULL);
    PKIXCMP_CTX *cmp = srv != NULL ? pkixcmp_srv_ctx_get0_cmp_ctx(srv) : NULL;
    STACK_OF(X509) *chain = sk_X509_new_null();
    int ok;

    *mock = pkixcmp_mock_new(NULL, NULL);
    ok = cmp != NULL && *mock != NULL && chain != NULL && set_common(cmp)
        && pkixcmp_ctx_set1_cert(cmp, tm_pki.server) && pkixcmp_ctx_set1_pkey(cmp, tm_pki.server_key)
        && X509_add_cert(chain, tm_pki.root, X509_ADD_FLAG_UP_REF)
        && pkixcmp_mock_set1_ca(*mock, tm_pki.interm, tm_pki.interm_key, chain)
        && pkixcmp_mock_attach(*mock, srv);
    sk_X509_pop_free(chain, X509_free);
    if (!ok) {
        tap_diag("cannot set up the server: %s", pkixcmp_err_reason_string(tm_last_error()));
        tm_srv_free(srv, *mock);
        *mock = NULL;
        return NULL;
    }
    return srv;
}

void tm_srv_free(PKIXCMP_SRV_CTX *srv, PKIXCMP_MOCK *mock)
{
    pkixcmp_srv_ctx_free(srv);
    pkixcmp_mock_free(mock);
}

PKIXCMP_MSG *tm_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct tm_link *link = arg;

    if (link->n < (int)(sizeof(link->types) / sizeof(link->types[0])))
        link->types[link->n] = pkixcmp_msg_get_body_type(req);
    link->n++;
    return pkixcmp_transfer_server(ctx, req, link->srv);
}

static PKIXCMP_CTX *cli_new(struct tm_link *link, EVP_PKEY *newkey, const char *cn)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    X509_NAME *name = cn != NULL ? tm_name(cn) : NULL;
    int ok = ctx != NULL && set_common(ctx)
        && (link == NULL || pkixcmp_ctx_set_transfer_cb(ctx, tm_transfer, link))
        && pkixcmp_ctx_set_sleep_cb(ctx, tm_sleep, NULL)
        && (newkey == NULL || pkixcmp_ctx_set1_newkey(ctx, newkey))
        && (name == NULL || pkixcmp_ctx_set1_subject(ctx, name));

    X509_NAME_free(name);
    if (!ok) {
        pkixcmp_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

PKIXCMP_CTX *tm_cli_mac(struct tm_link *link, EVP_PKEY *newkey, const char *cn)
{
    return cli_new(link, newkey, cn);
}

PKIXCMP_CTX *tm_cli_sig(struct tm_link *link, X509 *cert, EVP_PKEY *key, EVP_PKEY *newkey,
                        const char *cn)
{
    PKIXCMP_CTX *ctx = cli_new(link, newkey, cn);

    /* no secret: protect with the signature; the server signs as
     * server.crt, the recipient the client checks responses against */
    if (ctx != NULL
        && (!pkixcmp_ctx_set1_secret(ctx, NULL, 0) || !pkixcmp_ctx_set1_reference(ctx, NULL, 0)
            || !pkixcmp_ctx_set1_cert(ctx, cert) || !pkixcmp_ctx_set1_pkey(ctx, key)
            || !pkixcmp_ctx_set1_recipient(ctx, X509_get_subject_name(tm_pki.server)))) {
        pkixcmp_ctx_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

EVP_PKEY *tm_newkey(void)
{
    return EVP_EC_gen("P-256");
}

X509_NAME *tm_name(const char *cn)
{
    X509_NAME *n = X509_NAME_new();

    if (n == NULL
        || !X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"DE", -1, -1, 0)
        || !X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"pkixcmp test",
                                       -1, -1, 0)
        || !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                                       0)) {
        X509_NAME_free(n);
        return NULL;
    }
    return n;
}

/* 1 if cert validates: root trusted, interm untrusted, at the fake time. */
static int validates(const X509 *cert)
{
    X509_STORE *store = tu_store("root.crt");
    X509_STORE_CTX *vctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    int ok = store != NULL && vctx != NULL && untrusted != NULL
        && X509_add_cert(untrusted, tm_pki.interm, X509_ADD_FLAG_UP_REF)
        && X509_STORE_CTX_init(vctx, store, (X509 *)cert, untrusted);

    if (ok) {
        X509_STORE_CTX_set_time(vctx, 0, tm_now);
        ok = X509_verify_cert(vctx) == 1;
        if (!ok)
            tap_diag("validation: %s",
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(vctx)));
    }
    X509_STORE_CTX_free(vctx);
    X509_STORE_free(store);
    sk_X509_pop_free(untrusted, X509_free);
    return ok;
}

int tm_issued(const X509 *cert, const char *cn, const EVP_PKEY *key)
{
    X509_NAME *want = tm_name(cn);
    int ok = cert != NULL && want != NULL
        && X509_NAME_cmp(X509_get_subject_name(cert), want) == 0
        && X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(tm_pki.interm)) == 0
        && EVP_PKEY_eq(X509_get0_pubkey(cert), key) == 1
        && X509_verify((X509 *)cert, X509_get0_pubkey(tm_pki.interm)) == 1 && validates(cert);

    X509_NAME_free(want);
    return ok;
}

int tm_last_error(void)
{
    int code = pkixcmp_err_peek_last();

    if (getenv("TM_VERBOSE") != NULL) {
        BIO *b = BIO_new_fp(stdout, BIO_NOCLOSE);

        pkixcmp_err_print(b);
        BIO_free(b);
    }

    ERR_clear_error();
    return code;
}
