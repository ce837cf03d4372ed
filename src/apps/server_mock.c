/*
 * server_mock.c - the mock server of the CLI, as `openssl cmp` sets up its
 * own (apps/cmp.c setup_srv_ctx, ../shared/openssl-cmp-options.md 2.7): a
 * server context and a mock CA from the -srv_*, -rsp_*, -ref_cert, fault
 * injection and policy options, for -use_mock_srv, for -port and for each
 * endpoint of -srv_endpoints (server_run.c). Public API only (server.h,
 * mock.h).
 *
 * One difference from openssl: without -rsp_cert, openssl's mock has no
 * certificate to return and refuses certificate requests; ours then issues
 * real certificates with -srv_cert/-srv_key as the issuing CA (its chain
 * from the rest of the -srv_cert file, -srv_untrusted and -srv_trusted),
 * and accepts kur and rr for exactly what it issued (and -ref_cert).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <pkixcmp/pkixcmp.h>
#include <pkixcmp/mock.h>
#include "apps.h"
#include "client_run.h"
#include "server_run.h"

/* A server and its mock CA: that of the main options, or of an endpoint. */
struct app_mock {
    PKIXCMP_SRV_CTX *srv;
    PKIXCMP_MOCK *mock;
    char *name;                 /* the endpoint's section; NULL: the main options */
};

/* Server log lines on stderr (stdout carries the ACCEPT line of -port);
 * arg is the endpoint's section name, or NULL. */
static void srv_log(int level, const char *line, void *arg)
{
    static const char *const names[] = {
        "EMERG", "ALERT", "CRIT", "error", "warning", "NOTICE", "info", "DEBUG", "TRACE",
    };
    const char *name = arg;

    fprintf(stderr, "CMP %s: mock server%s%s%s: %s\n",
            level >= 0 && level <= 8 ? names[level] : "log", name != NULL ? " [" : "",
            name != NULL ? name : "", name != NULL ? "]" : "", line);
}

/* ------------------------------------------------ the server's identity */

/* -srv_ref and -srv_secret: the MAC credentials. */
static int set_mac(const struct cmp_opts *o, PKIXCMP_CTX *cmp)
{
    char *sec;
    int ok;

    if (o->srv_ref == NULL && o->srv_cert == NULL) {
        app_err("must give -srv_ref for mock server if no -srv_cert given");
        return 0;
    }
    if (o->srv_ref != NULL
        && !pkixcmp_ctx_set1_reference(cmp, (const unsigned char *)o->srv_ref, strlen(o->srv_ref)))
        return 0;
    if (o->srv_secret == NULL) {
        if (o->srv_cert == NULL) {
            app_err("mock server credentials must be given if -use_mock_srv or -port is used");
            return 0;
        }
        app_warn(o, "mock server will not be able to handle PBM-protected requests since "
                 "-srv_secret is not given");
        return 1;
    }
    if ((sec = app_pass_get(o, o->srv_secret, "-srv_secret")) == NULL)
        return 0;
    ok = pkixcmp_ctx_set1_secret(cmp, (const unsigned char *)sec, strlen(sec));
    app_pass_free(sec);
    return ok;
}

/*
 * -srv_cert (its first certificate; the others join -srv_untrusted into
 * *untrusted), -srv_key, -srv_trusted (into *store) and -srv_untrusted.
 */
static int set_signer(const struct cmp_opts *o, PKIXCMP_CTX *cmp, X509 **cert, EVP_PKEY **key,
                      STACK_OF(X509) **untrusted, X509_STORE **store)
{
    STACK_OF(X509) *rest = NULL;
    int ok = 0, i;

    if (o->srv_secret == NULL && (o->srv_cert == NULL) != (o->srv_key == NULL)) {
        app_err("must give both -srv_cert and -srv_key options or neither");
        return 0;
    }
    *untrusted = o->srv_untrusted != NULL
        ? app_load_certs(o, o->srv_untrusted, o->otherpass, "-srv_untrusted") : sk_X509_new_null();
    if (*untrusted == NULL)
        goto out;
    if (o->srv_cert != NULL
        && (!app_load_cert_chain(o, o->srv_cert, o->srv_keypass, "-srv_cert", cert, &rest)
            || !pkixcmp_ctx_set1_cert(cmp, *cert)))
        goto out;
    for (i = 0; i < sk_X509_num(rest); i++)
        if (!X509_add_cert(*untrusted, sk_X509_value(rest, i), X509_ADD_FLAG_UP_REF))
            goto out;
    if (!pkixcmp_ctx_set1_untrusted(cmp, *untrusted))
        goto out;
    if (o->srv_key != NULL
        && ((*key = app_load_key(o, o->srv_key, o->srv_keypass, "-srv_key")) == NULL
            || !pkixcmp_ctx_set1_pkey(cmp, *key)))
        goto out;
    if (o->srv_trusted == NULL)
        app_warn(o, "mock server will not be able to handle signature-protected requests since "
                 "-srv_trusted is not given");
    else if ((*store = app_load_trusted(o, o->srv_trusted, o->otherpass, 0, "-srv_trusted")) == NULL
             || !pkixcmp_ctx_set1_trusted(cmp, *store))
        goto out;
    ok = pkixcmp_ctx_set_option(cmp, PKIXCMP_OPT_IGNORE_KEYUSAGE, o->ignore_keyusage);
out:
    sk_X509_pop_free(rest, X509_free);
    return ok;
}

/* ------------------------------------------------------------ the mock */

/* The issuers of cacert up to the root, as far as they can be found. */
static STACK_OF(X509) *ca_chain(const struct cmp_opts *o, X509 *cacert, STACK_OF(X509) *untrusted,
                                X509_STORE *store)
{
    STACK_OF(X509) *chain = NULL;

    ERR_set_mark(); /* an incomplete chain is no error here */
    if (store != NULL)
        chain = X509_build_chain(cacert, untrusted, store, 1, o->env.libctx, o->env.propq);
    if (chain == NULL)
        chain = X509_build_chain(cacert, untrusted, NULL, 1, o->env.libctx, o->env.propq);
    ERR_pop_to_mark();
    if (chain != NULL)
        X509_free(sk_X509_shift(chain)); /* cacert itself */
    return chain;
}

/* -rsp_cert (fixed mode), else the issuing CA -srv_cert/-srv_key. */
static int set_issuer(const struct cmp_opts *o, PKIXCMP_MOCK *m, X509 *cert, EVP_PKEY *key,
                      STACK_OF(X509) *untrusted, X509_STORE *store)
{
    STACK_OF(X509) *chain = NULL;
    X509 *rsp = NULL;
    int ok = 0;

    if (o->rsp_cert != NULL) {
        rsp = app_load_cert(o, o->rsp_cert, o->rsp_keypass != NULL ? o->rsp_keypass : o->keypass,
                            "-rsp_cert");
        ok = rsp != NULL && pkixcmp_mock_set1_rsp_cert(m, rsp);
        goto out;
    }
    if (cert == NULL || key == NULL) {
        app_warn(o, "no -rsp_cert given for mock server, nor -srv_cert and -srv_key to issue "
                 "with: it will refuse certificate requests");
        ok = 1;
        goto out;
    }
    if (X509_check_ca(cert) == 0)
        app_warn(o, "-srv_cert is no CA certificate: the certificates the mock server issues "
                 "with it will not validate");
    chain = ca_chain(o, cert, untrusted, store);
    ok = pkixcmp_mock_set1_ca(m, cert, key, chain);
    if (ok)
        app_info(o, "mock server issues certificates with -srv_cert as CA");
out:
    X509_free(rsp);
    sk_X509_pop_free(chain, X509_free);
    return ok;
}

/* A certificate option into a mock setter; a NULL uri is no error. */
static int load_one(const struct cmp_opts *o, const char *uri, const char *desc, PKIXCMP_MOCK *m,
                    int (*set1)(PKIXCMP_MOCK *, X509 *))
{
    X509 *x;
    int ok;

    if (uri == NULL)
        return 1;
    if ((x = app_load_cert(o, uri, o->otherpass, desc)) == NULL)
        return 0;
    ok = set1(m, x);
    X509_free(x);
    return ok;
}

static int load_list(const struct cmp_opts *o, const char *uris, const char *desc,
                     PKIXCMP_MOCK *m, int (*set1)(PKIXCMP_MOCK *, STACK_OF(X509) *))
{
    STACK_OF(X509) *certs;
    int ok;

    if (uris == NULL)
        return 1;
    if ((certs = app_load_certs(o, uris, o->otherpass, desc)) == NULL)
        return 0;
    ok = set1(m, certs);
    sk_X509_pop_free(certs, X509_free);
    return ok;
}

/* -ref_cert, -rsp_extracerts, -rsp_capubs, -rsp_crl, -rsp_newwith*. */
static int set_answers(const struct cmp_opts *o, PKIXCMP_MOCK *m)
{
    X509_CRL *crl = NULL;
    int ok;

    if (o->rsp_key != NULL) {
        /* the key returned for central key generation (else one is made) */
        EVP_PKEY *key = app_load_key(o, o->rsp_key,
                                     o->rsp_keypass != NULL ? o->rsp_keypass : o->keypass, "-rsp_key");

        ok = key != NULL && pkixcmp_mock_set1_rsp_key(m, key);
        EVP_PKEY_free(key);
        if (!ok)
            return 0;
    }
    if (o->rsp_crl != NULL && (crl = app_load_crl(o, o->rsp_crl, "-rsp_crl")) == NULL)
        return 0;
    ok = (crl == NULL || pkixcmp_mock_set1_rsp_crl(m, crl))
        && load_one(o, o->ref_cert, "-ref_cert", m, pkixcmp_mock_set1_ref_cert)
        && load_one(o, o->rsp_newwithnew, "-rsp_newwithnew", m, pkixcmp_mock_set1_rsp_newwithnew)
        && load_one(o, o->rsp_newwithold, "-rsp_newwithold", m, pkixcmp_mock_set1_rsp_newwithold)
        && load_one(o, o->rsp_oldwithnew, "-rsp_oldwithnew", m, pkixcmp_mock_set1_rsp_oldwithnew)
        && load_list(o, o->rsp_extracerts, "-rsp_extracerts", m, pkixcmp_mock_set1_rsp_extracerts)
        && load_list(o, o->rsp_capubs, "-rsp_capubs", m, pkixcmp_mock_set1_rsp_capubs);
    X509_CRL_free(crl);
    return ok;
}

/* -poll_count, -check_after, -pkistatus, -failure(bits), -statusstring,
 * -send_error. */
static int set_faults(const struct cmp_opts *o, PKIXCMP_MOCK *m)
{
    long bits = o->failurebits;

    if (o->failure != INT_MIN) { /* given */
        if (bits != 0)
            app_warn(o, "-failurebits overrides -failure");
        else
            bits = 1L << o->failure;
    }
    return pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_POLL_COUNT, o->poll_count)
        && pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_CHECK_AFTER, o->check_after)
        && pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_PKISTATUS, o->pkistatus)
        && pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_FAILUREBITS, bits)
        && pkixcmp_mock_set1_statusstring(m, o->statusstring)
        && pkixcmp_mock_set_option(m, PKIXCMP_MOCK_OPT_SEND_ERROR, o->send_error);
}

/* -grant_implicitconf, -send_unprot*, -accept_*, -max_msg_size. */
static int set_policy(const struct cmp_opts *o, PKIXCMP_SRV_CTX *srv)
{
    return pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM,
                                      o->grant_implicitconf)
        && pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_SEND_UNPROTECTED, o->send_unprotected)
        && pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_SEND_UNPROT_ERR, o->send_unprot_err)
        && pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED, o->accept_unprotected)
        && pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_UNPROT_ERR, o->accept_unprot_err)
        && pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_RAVERIFIED, o->accept_raverified)
        && (o->max_msg_size <= 0
            || pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_MAX_MSG_SIZE, o->max_msg_size));
}

void app_mock_free(void *arg)
{
    struct app_mock *am = arg;

    if (am == NULL)
        return;
    pkixcmp_srv_ctx_free(am->srv); /* first the server: it points to the mock */
    pkixcmp_mock_free(am->mock);
    OPENSSL_free(am->name);
    OPENSSL_free(am);
}

PKIXCMP_SRV_CTX *app_mock_get0_srv(struct app_mock *am)
{
    return am->srv;
}

struct app_mock *app_mock_build(struct cmp_opts *o, const char *name)
{
    struct app_mock *am = OPENSSL_zalloc(sizeof(*am));
    STACK_OF(X509) *untrusted = NULL;
    X509_STORE *store = NULL;
    PKIXCMP_CTX *cmp;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    int ok = 0;

    if (am == NULL || (name != NULL && (am->name = OPENSSL_strdup(name)) == NULL)
        || (am->srv = pkixcmp_srv_ctx_new(o->env.libctx, o->env.propq)) == NULL
        || (am->mock = pkixcmp_mock_new(o->env.libctx, o->env.propq)) == NULL)
        goto out;
    cmp = pkixcmp_srv_ctx_get0_cmp_ctx(am->srv);
    ok = pkixcmp_ctx_set_log_cb(cmp, srv_log, am->name)
        && pkixcmp_ctx_set_option(cmp, PKIXCMP_OPT_LOG_VERBOSITY, o->verbosity)
        && set_mac(o, cmp) && set_signer(o, cmp, &cert, &key, &untrusted, &store)
        && set_issuer(o, am->mock, cert, key, untrusted, store) && set_answers(o, am->mock)
        && set_faults(o, am->mock) && set_policy(o, am->srv)
        && pkixcmp_mock_attach(am->mock, am->srv);
out:
    if (!ok) {
        if (name != NULL)
            app_err("cannot set up the mock server of endpoint section [%s]", name);
        else
            app_err("cannot set up the mock server");
        app_mock_free(am);
        am = NULL;
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    sk_X509_pop_free(untrusted, X509_free);
    X509_STORE_free(store);
    return am;
}
