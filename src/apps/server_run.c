/*
 * server_run.c - the mock server of the CLI (server_mock.c) in use:
 * -use_mock_srv hands each request to it in the same process, -port serves
 * it over HTTP as `openssl cmp -port` (../shared/openssl-cmp-options.md
 * 2.7). Public API only (server.h, mock.h, listen.h).
 *
 * pkixcmp extensions of -port: -srv_bind listens on one address; the
 * endpoints of -srv_endpoints serve other paths, each with its own server
 * and mock CA (server_endpoints.c); -srv_tls_* serve HTTPS (server_tls.c).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/ssl.h>
#include <pkixcmp/pkixcmp.h>
#include <pkixcmp/mock.h>
#include "apps.h"
#include "client_run.h"
#include "server_run.h"

/* -use_mock_srv: the transfer to the server in arg (a struct app_mock). */
static PKIXCMP_MSG *mock_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    return pkixcmp_transfer_server(ctx, req, app_mock_get0_srv(arg));
}

int app_mock_new(struct cmp_opts *o, pkixcmp_transfer_fn **fn, void **arg)
{
    struct app_mock *am;

    *fn = NULL;
    *arg = NULL;
    if (o->srv_bind != NULL || o->srv_endpoints != NULL || o->srv_tls_cert != NULL)
        app_warn(o, "-srv_bind, -srv_endpoints and -srv_tls_cert apply to -port only; "
                 "-use_mock_srv ignores them");
    if ((am = app_mock_build(o, NULL)) == NULL)
        return 0;
    *fn = mock_transfer;
    *arg = am;
    return 1;
}


/* ------------------------------------------------------------ -port */

/* What -port serves. */
struct srv_run {
    const struct cmp_opts *o;
    struct app_mock *main_mock; /* of the main options; NULL: only -srv_endpoints */
    struct app_endpoint *eps;   /* -srv_endpoints, neps of them */
    size_t neps;
    PKIXCMP_LISTENER *listener;
    atomic_int fatal;           /* a server made no response: stop, exit 1 */
};

/*
 * The paths the main options serve: those of openssl cmp -port (after its
 * leading slashes, empty or "pkix/", with any further trailing slashes),
 * and the well-known URIs of RFC 9811 3.3: /.well-known/cmp, and with
 * any_label /.well-known/cmp/p/<label> naming a CA or certificate profile
 * (all labels reach the same mock CA; with -srv_endpoints, labels are
 * endpoints of their own).
 */
static int path_served(const char *path, int any_label)
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
    if (!any_label || strncmp(p, "/p/", 3) != 0)
        return 0;
    p += 3;
    n = strcspn(p, "/");
    return n > 0 && (p[n] == '\0' || strcmp(p + n, "/") == 0);
}

/* The listener's handler (from several threads at once): the request to
 * the mock server whose path it is. */
static int handle(void *arg, const char *path, const unsigned char *req, size_t req_len,
                  unsigned char **rsp, size_t *rsp_len)
{
    struct srv_run *r = arg;
    const struct app_endpoint *ep = NULL;
    struct app_mock *am = NULL;

    if (r->main_mock != NULL && path_served(path, r->neps == 0))
        am = r->main_mock;
    else if ((ep = app_endpoint_find(r->eps, r->neps, path)) != NULL)
        am = ep->mock;
    if (am == NULL) {
        if (r->neps == 0)
            app_err("expecting empty path, 'pkix/' or '/.well-known/cmp[/p/<label>]' but got "
                    "'%s'", path);
        else
            app_err("no endpoint serves the path '%s'", path);
        return PKIXCMP_LISTEN_NOT_FOUND;
    }
    if (!pkixcmp_srv_process_der(app_mock_get0_srv(am), req, req_len, rsp, rsp_len)) {
        /* as openssl cmp -port: an internal error ends the server */
        app_err("the mock server made no response; stopping");
        atomic_store(&r->fatal, 1);
        pkixcmp_listener_stop(r->listener);
        return PKIXCMP_LISTEN_FAIL;
    }
    if (r->neps > 0 && r->o->verbosity >= 6) /* one call: other threads log too */
        fprintf(stderr, "pkixcmp info: %s%s%s answered the request to '%s'\n",
                ep != NULL ? "endpoint [" : "the main endpoint", ep != NULL ? ep->section : "",
                ep != NULL ? "]" : "", path);
    return PKIXCMP_LISTEN_REPLY;
}

/*
 * The main options' mock server, unless -srv_endpoints is given and they
 * have no server credentials (-srv_ref, -srv_secret, -srv_cert, -srv_key),
 * and the mock server of each endpoint.
 */
static int srv_build(struct cmp_opts *o, struct srv_run *r)
{
    int with_main = o->srv_endpoints == NULL || o->srv_ref != NULL || o->srv_secret != NULL
        || o->srv_cert != NULL || o->srv_key != NULL;
    size_t i;

    if (o->srv_endpoints != NULL && (r->eps = app_endpoints_read(o, with_main, &r->neps)) == NULL)
        return 0;
    if (!with_main)
        app_info(o, "no -srv_ref, -srv_secret, -srv_cert or -srv_key: only the endpoints of "
                 "-srv_endpoints are served");
    else if ((r->main_mock = app_mock_build(o, NULL)) == NULL)
        return 0;
    for (i = 0; i < r->neps; i++) {
        app_info(o, "endpoint [%s] serves /%s", r->eps[i].section, r->eps[i].path);
        if ((r->eps[i].mock = app_mock_build(&r->eps[i].opts, r->eps[i].section)) == NULL)
            return 0;
    }
    return 1;
}

/* -srv_bind for the listener: an IPv6 address may come in brackets, as in
 * URLs and the ACCEPT line ("[::1]"). */
static int set_bind(const struct cmp_opts *o, PKIXCMP_LISTENER *l)
{
    const char *b = o->srv_bind;
    char host[256];
    size_t n = b != NULL ? strlen(b) : 0;

    if (n >= 2 && b[0] == '[' && b[n - 1] == ']') {
        if (n - 2 >= sizeof(host)) {
            app_err("-srv_bind '%s' is too long", b);
            return 0;
        }
        memcpy(host, b + 1, n - 2);
        host[n - 2] = '\0';
        b = host;
    }
    return pkixcmp_listener_set1_host(l, b);
}

/* Starts the listener of r on port (-srv_bind, -srv_tls_*) and writes its
 * ACCEPT line into line. */
static int listen_start(struct cmp_opts *o, struct srv_run *r, long port, char *line,
                        size_t size)
{
    struct app_mock *any = r->main_mock != NULL ? r->main_mock : r->eps[0].mock;
    SSL_CTX *tls = NULL;
    long max_body;
    int ok = 0;

    if (!app_srv_tls_new(o, &tls) || (r->listener = pkixcmp_listener_new()) == NULL)
        goto out;
    /* the HTTP body and the message have one limit (-max_msg_size, the
     * same for all endpoints) */
    max_body = pkixcmp_srv_ctx_get_option(app_mock_get0_srv(any), PKIXCMP_SRV_OPT_MAX_MSG_SIZE);
    if (!set_bind(o, r->listener)
        || !pkixcmp_listener_set_port(r->listener, (int)port)
        || !pkixcmp_listener_set_max_msgs(r->listener, (unsigned long)o->max_msgs)
        || !pkixcmp_listener_set_max_body(r->listener, (size_t)max_body)
        || !pkixcmp_listener_set1_ssl_ctx(r->listener, tls)
        || !pkixcmp_listener_set_handler(r->listener, handle, r)
        || !pkixcmp_listener_stop_on_signals(r->listener)
        || !pkixcmp_listener_start(r->listener)
        || !pkixcmp_listener_accept_line(r->listener, line, size)) {
        app_err("cannot listen on %s port %ld", o->srv_bind != NULL ? o->srv_bind : "the",
                port);
        goto out;
    }
    if (tls != NULL)
        app_info(o, "serving HTTPS%s", o->srv_tls_trusted != NULL
                 ? ", client certificates validated with -srv_tls_trusted required" : "");
    ok = 1;
out:
    SSL_CTX_free(tls);
    return ok;
}

int run_server(struct cmp_opts *o)
{
    struct srv_run r = {o, NULL, NULL, 0, NULL, 0};
    char line[128];
    long port;
    int ok = 0;

    atomic_init(&r.fatal, 0);
    port = o->port != NULL ? strtol(o->port, NULL, 10) : -1; /* checked by cmp_opts_check */
    if (port < 0 || port > 65535) {
        app_err("-port: no port number to listen on");
        return 0;
    }
    if (!srv_build(o, &r) || !listen_start(o, &r, port, line, sizeof(line)))
        goto out;
    /* the first line on stdout, which scripts wait for (openssl cmp -port) */
    printf("%s\n", line);
    fflush(stdout);
    pkixcmp_listener_wait(r.listener);
    app_info(o, "mock server stopped after %lu request(s)", pkixcmp_listener_served(r.listener));
    ok = !atomic_load(&r.fatal);
out:
    pkixcmp_listener_free(r.listener); /* first: its handler uses the servers */
    app_mock_free(r.main_mock);
    app_endpoints_free(r.eps, r.neps);
    return ok;
}
