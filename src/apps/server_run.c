/*
 * server_run.c - the mock server of the CLI, as `openssl cmp` sets up its
 * own (apps/cmp.c setup_srv_ctx, ../shared/openssl-cmp-options.md 2.7):
 * -use_mock_srv hands each request to it in the same process, -port serves
 * it over HTTP. Both take the -srv_*, -rsp_*, -ref_cert, fault injection
 * and policy options. Public API only (server.h, mock.h, listen.h).
 *
 * One difference from openssl: without -rsp_cert, openssl's mock has no
 * certificate to return and refuses certificate requests; ours then issues
 * real certificates with -srv_cert/-srv_key as the issuing CA (its chain
 * from the rest of the -srv_cert file, -srv_untrusted and -srv_trusted),
 * and accepts kur and rr for exactly what it issued (and -ref_cert).
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <pkixcmp/pkixcmp.h>
#include <pkixcmp/mock.h>
#include "apps.h"
#include "client_run.h"

/* The server, its mock CA and, with -port, its listener. */
struct app_mock {
    PKIXCMP_SRV_CTX *srv;
    PKIXCMP_MOCK *mock;
    PKIXCMP_LISTENER *listener;
    atomic_int fatal;           /* the server made no response: stop, exit 1 */
};

/* Server log lines on stderr (stdout carries the ACCEPT line of -port). */
static void srv_log(int level, const char *line, void *arg)
{
    static const char *const names[] = {
        "EMERG", "ALERT", "CRIT", "error", "warning", "NOTICE", "info", "DEBUG", "TRACE",
    };

    (void)arg;
    fprintf(stderr, "CMP %s: mock server: %s\n", level >= 0 && level <= 8 ? names[level] : "log",
            line);
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

    if (o->rsp_key != NULL)
        app_warn(o, "-rsp_key is ignored: the mock server does not generate keys centrally");
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
    pkixcmp_listener_free(am->listener); /* first: its handler uses the server */
    pkixcmp_srv_ctx_free(am->srv);       /* then the server: it points to the mock */
    pkixcmp_mock_free(am->mock);
    OPENSSL_free(am);
}

/* The server and its mock from the options; NULL after an error. */
static struct app_mock *mock_build(struct cmp_opts *o)
{
    struct app_mock *am = OPENSSL_zalloc(sizeof(*am));
    STACK_OF(X509) *untrusted = NULL;
    X509_STORE *store = NULL;
    PKIXCMP_CTX *cmp;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    int ok = 0;

    if (am == NULL || (am->srv = pkixcmp_srv_ctx_new(o->env.libctx, o->env.propq)) == NULL
        || (am->mock = pkixcmp_mock_new(o->env.libctx, o->env.propq)) == NULL)
        goto out;
    atomic_init(&am->fatal, 0);
    cmp = pkixcmp_srv_ctx_get0_cmp_ctx(am->srv);
    ok = pkixcmp_ctx_set_log_cb(cmp, srv_log, NULL)
        && pkixcmp_ctx_set_option(cmp, PKIXCMP_OPT_LOG_VERBOSITY, o->verbosity)
        && set_mac(o, cmp) && set_signer(o, cmp, &cert, &key, &untrusted, &store)
        && set_issuer(o, am->mock, cert, key, untrusted, store) && set_answers(o, am->mock)
        && set_faults(o, am->mock) && set_policy(o, am->srv)
        && pkixcmp_mock_attach(am->mock, am->srv);
out:
    if (!ok) {
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

/* -use_mock_srv: the transfer to the server in arg (a struct app_mock). */
static PKIXCMP_MSG *mock_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    return pkixcmp_transfer_server(ctx, req, ((struct app_mock *)arg)->srv);
}

int app_mock_new(struct cmp_opts *o, pkixcmp_transfer_fn **fn, void **arg)
{
    struct app_mock *am = mock_build(o);

    *fn = NULL;
    *arg = NULL;
    if (am == NULL)
        return 0;
    *fn = mock_transfer;
    *arg = am;
    return 1;
}

/* ------------------------------------------------------------ -port */

/*
 * The paths we serve: those of openssl cmp -port (after its leading
 * slashes, empty or "pkix/", with any further trailing slashes), and the
 * well-known URIs of RFC 9811 3.3: /.well-known/cmp, and
 * /.well-known/cmp/p/<label> naming a CA or certificate profile (all
 * labels reach the same mock CA).
 */
static int path_served(const char *path)
{
    static const char wk[] = "/.well-known/cmp";
    const char *p = path;
    size_t n;

    while (*p == '/')
        p++;
    if (*p == '\0')
        return 1;
    if (strncmp(p, "pkix/", 5) == 0)
        return strspn(p + 4, "/") == strlen(p + 4);
    if (strncmp(path, wk, sizeof(wk) - 1) != 0)
        return 0;
    p = path + sizeof(wk) - 1;
    if (*p == '\0' || strcmp(p, "/") == 0)
        return 1;
    if (strncmp(p, "/p/", 3) != 0)
        return 0;
    p += 3;
    n = strcspn(p, "/");
    return n > 0 && (p[n] == '\0' || strcmp(p + n, "/") == 0);
}

static int handle(void *arg, const char *path, const unsigned char *req, size_t req_len,
                  unsigned char **rsp, size_t *rsp_len)
{
    struct app_mock *am = arg;

    if (!path_served(path)) {
        app_err("expecting empty path, 'pkix/' or '/.well-known/cmp[/p/<label>]' but got '%s'",
                path);
        return PKIXCMP_LISTEN_NOT_FOUND;
    }
    if (!pkixcmp_srv_process_der(am->srv, req, req_len, rsp, rsp_len)) {
        /* as openssl cmp -port: an internal error ends the server */
        app_err("the mock server made no response; stopping");
        atomic_store(&am->fatal, 1);
        pkixcmp_listener_stop(am->listener);
        return PKIXCMP_LISTEN_FAIL;
    }
    return PKIXCMP_LISTEN_REPLY;
}

int run_server(struct cmp_opts *o)
{
    struct app_mock *am = NULL;
    char line[128];
    long port, max_body;
    int ok = 0;

    port = o->port != NULL ? strtol(o->port, NULL, 10) : -1; /* checked by cmp_opts_check */
    if (port < 0 || port > 65535) {
        app_err("-port: no port number to listen on");
        return 0;
    }
    if ((am = mock_build(o)) == NULL || (am->listener = pkixcmp_listener_new()) == NULL)
        goto out;
    /* the HTTP body and the message have one limit */
    max_body = pkixcmp_srv_ctx_get_option(am->srv, PKIXCMP_SRV_OPT_MAX_MSG_SIZE);
    if (!pkixcmp_listener_set_port(am->listener, (int)port)
        || !pkixcmp_listener_set_max_msgs(am->listener, (unsigned long)o->max_msgs)
        || !pkixcmp_listener_set_max_body(am->listener, (size_t)max_body)
        || !pkixcmp_listener_set_handler(am->listener, handle, am)
        || !pkixcmp_listener_stop_on_signals(am->listener)
        || !pkixcmp_listener_start(am->listener)
        || !pkixcmp_listener_accept_line(am->listener, line, sizeof(line))) {
        app_err("cannot listen on port %ld", port);
        goto out;
    }
    /* the first line on stdout, which scripts wait for (openssl cmp -port) */
    printf("%s\n", line);
    fflush(stdout);
    pkixcmp_listener_wait(am->listener);
    app_info(o, "mock server stopped after %lu request(s)", pkixcmp_listener_served(am->listener));
    ok = !atomic_load(&am->fatal);
out:
    app_mock_free(am);
    return ok;
}
