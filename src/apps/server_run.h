/*
 * server_run.h - the -port server of the CLI, split by concern: the mock
 * server behind each endpoint (server_mock.c), the listener
 * (server_run.c), the endpoints of -srv_endpoints (server_endpoints.c) and
 * HTTPS (server_tls.c). The last two are pkixcmp extensions: openssl cmp -port
 * serves one mock server over plain HTTP on all interfaces.
 */
#ifndef PKIXCMP_APPS_SERVER_RUN_H
#define PKIXCMP_APPS_SERVER_RUN_H

#include <stddef.h>
#include <openssl/ssl.h>
#include <pkixcmp/server.h>
#include "opts.h"

/* One mock server: its server context and mock CA (server_mock.c). */
struct app_mock;

/* The server and its mock CA from the mock server options of o, for the
 * endpoint of section name (NULL: the main options; it names the endpoint
 * in log lines); free with app_mock_free(). NULL after an error. */
struct app_mock *app_mock_build(struct cmp_opts *o, const char *name);

/* The server context of am (borrowed). */
PKIXCMP_SRV_CTX *app_mock_get0_srv(struct app_mock *am);

/* At most this many -srv_endpoints sections */
#define APP_MAX_ENDPOINTS 64

/* One endpoint of -srv_endpoints. */
struct app_endpoint {
    char *section;          /* the configuration section that defines it */
    char *path;             /* its srv_path without leading and trailing '/' */
    struct cmp_opts opts;   /* the main options with the section's mock server options */
    struct app_mock *mock;  /* set up by run_server(); freed with the endpoint */
};

/*
 * The endpoints of the -srv_endpoints sections of o->conf, in list order,
 * with their options read (not yet their mock servers): a new array of *n
 * (>= 1) endpoints. with_main says whether the main options serve their
 * paths (empty, pkix/, .well-known/cmp), which sections may then not take.
 * NULL after printing an error.
 */
struct app_endpoint *app_endpoints_read(const struct cmp_opts *o, int with_main, size_t *n);

/* Frees n endpoints and their mock servers; NULL is a no-op. */
void app_endpoints_free(struct app_endpoint *eps, size_t n);

/* The endpoint serving the HTTP request path (leading and trailing slashes
 * ignored), or NULL. */
const struct app_endpoint *app_endpoint_find(const struct app_endpoint *eps, size_t n,
                                             const char *path);

/*
 * The TLS server context of -srv_tls_cert, -srv_tls_key, -srv_tls_keypass
 * and -srv_tls_trusted (which requires client certificates) into *ctx; *ctx
 * is NULL (plain HTTP) when -srv_tls_cert is not given.
 */
int app_srv_tls_new(const struct cmp_opts *o, SSL_CTX **ctx);

#endif
