/*
 * http.h - HTTP(S) transfer of DER-encoded CMP messages (RFC 9811) with
 * libcurl.
 *
 * A PKIXCMP_HTTP holds the settings of openssl cmp's message transfer and
 * TLS options (-server, -path, -proxy, -no_proxy, -keep_alive,
 * -msg_timeout, -tls_*) and one libcurl handle, so consecutive transfers
 * reuse one TCP (and TLS) connection while the server keeps it open.
 * Setters may be called between transfers; they take effect with the next.
 */
#ifndef PKIXCMP_HTTP_H
#define PKIXCMP_HTTP_H

#include <stddef.h>
#include <time.h>
#include <openssl/types.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <pkixcmp/ctx.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pkixcmp_http_st PKIXCMP_HTTP;

/* A new transfer object using libctx and propq (both may be NULL). */
PKIXCMP_HTTP *pkixcmp_http_new(OSSL_LIB_CTX *libctx, const char *propq);

/* Frees h and closes its connection; NULL is a no-op. */
void pkixcmp_http_free(PKIXCMP_HTTP *h);

/* ---- where to send ---- */

/*
 * The server as openssl cmp -server takes it: "host[:port][/path]" or
 * "http[s]://[userinfo@]host[:port][/path][?query]", IPv6 hosts in brackets.
 * userinfo and #fragment are ignored; "https://" turns TLS on. The port
 * defaults to 443 with TLS, else 80. Returns 0 for a malformed address.
 */
int pkixcmp_http_set1_server(PKIXCMP_HTTP *h, const char *server);

/* The HTTP path (-path, the "CMP alias"); NULL or "" (default) uses the
 * server URL's path, else "/". A missing leading '/' is added. */
int pkixcmp_http_set1_path(PKIXCMP_HTTP *h, const char *path);

/*
 * The HTTP proxy (-proxy), "[http[s]://]host[:port]"; only host and port
 * are used (default port 80, 443 for https://) and the proxy is spoken to
 * in plain HTTP (CONNECT tunnels for TLS). NULL (default) takes
 * http_proxy, then HTTP_PROXY (with TLS: https_proxy, then HTTPS_PROXY)
 * from the environment; "" means no proxy.
 */
int pkixcmp_http_set1_proxy(PKIXCMP_HTTP *h, const char *proxy);

/*
 * Hosts to reach without proxy (-no_proxy), separated by commas or white
 * space; the proxy is skipped only if an entry equals the server host
 * (case-insensitively, IPv6 brackets ignored; no domain suffixes or
 * wildcards, as openssl cmp). NULL (default) takes no_proxy, then
 * NO_PROXY from the environment; "" excludes nothing.
 */
int pkixcmp_http_set1_no_proxy(PKIXCMP_HTTP *h, const char *list);

/* ---- connection and limits ---- */

/*
 * Persistent connections (-keep_alive): 0 = close after each message,
 * 1 = keep open if the server agrees (default), 2 = require it: a response
 * after which the server closes the connection is an error
 * (PKIXCMP_E_HTTP_TRANSFER). May be changed per message.
 */
int pkixcmp_http_set_keep_alive(PKIXCMP_HTTP *h, int mode);

/* Seconds one request-response exchange may take, connecting included
 * (-msg_timeout); 0 = no limit. Default 120. */
int pkixcmp_http_set_msg_timeout(PKIXCMP_HTTP *h, int seconds);

/* Largest response body accepted, in bytes; enforced while receiving.
 * 0 means PKIXCMP_DEFAULT_MAX_MSG_SIZE (the default). */
int pkixcmp_http_set_max_resp_size(PKIXCMP_HTTP *h, size_t max);

/* Follow HTTP redirects (at most 5, POST kept, never from https to http;
 * with TLS the new server must still match tls_host or the server host);
 * off by default (RFC 9811 section 3.3). */
int pkixcmp_http_set_follow_redirects(PKIXCMP_HTTP *h, int on);

/* The clock the deadline of pkixcmp_http_transfer() is measured with:
 * now(arg) instead of time(NULL); NULL restores the system clock. */
int pkixcmp_http_set_clock(PKIXCMP_HTTP *h, time_t (*now)(void *arg), void *arg);

/* Log lines (TLS without authentication is a warning, each transfer a
 * debug line) go to fn(level, line, arg); NULL (default) writes warnings
 * and errors as "pkixcmp <level>: line" to stderr. */
int pkixcmp_http_set_log_cb(PKIXCMP_HTTP *h, pkixcmp_log_fn *fn, void *arg);

/* ---- TLS (-tls_used, -tls_cert, -tls_key, -tls_extra, -tls_trusted,
 * -tls_host); the key may be held by any provider ---- */

/* Use HTTPS (-tls_used); also turned on by an "https://" server URL. */
int pkixcmp_http_set_use_tls(PKIXCMP_HTTP *h, int on);

/* Our TLS client certificate and its private key (both or neither);
 * NULL clears. */
int pkixcmp_http_set1_tls_cert(PKIXCMP_HTTP *h, X509 *cert);
int pkixcmp_http_set1_tls_key(PKIXCMP_HTTP *h, EVP_PKEY *key);

/* Certificates sent after the client certificate to complete its chain
 * (-tls_extra); copied. NULL clears. */
int pkixcmp_http_set1_tls_extra(PKIXCMP_HTTP *h, STACK_OF(X509) *certs);

/*
 * Trust anchors for the TLS server (-tls_trusted); up-referenced. With a
 * store the server's chain and its host name or IP address are verified;
 * without one (default) the server is not authenticated, as in openssl
 * cmp, and a warning is logged (once until TLS settings change). NULL
 * clears.
 */
int pkixcmp_http_set1_tls_trusted(PKIXCMP_HTTP *h, X509_STORE *store);

/* The DNS name or IP address the server certificate must match
 * (-tls_host); NULL (default) uses the server host. */
int pkixcmp_http_set1_tls_host(PKIXCMP_HTTP *h, const char *host);

/* ---- transfer ---- */

/*
 * POSTs the DER message req (req_len bytes) with Content-Type
 * application/pkixcmp and returns the response body in a new buffer *rsp
 * (free with OPENSSL_free()) of *rsp_len bytes.
 *
 * deadline is an absolute time on h's clock (0 = none), normally the end
 * of the transaction's total timeout: it caps the time for this exchange,
 * and a transfer that would start after it, or that runs out of time
 * because of it, fails with PKIXCMP_E_TOTAL_TIMEOUT.
 *
 * The response must be HTTP 200 with Content-Type application/pkixcmp.
 * A 4xx or 5xx status whose body is application/pkixcmp is returned too:
 * it carries the server's CMP error message (pkixcmp_http_get_status()
 * tells the status). Failures: PKIXCMP_E_HTTP_CONNECT (cannot resolve or
 * connect to server or proxy), PKIXCMP_E_HTTP_TIMEOUT (msg_timeout),
 * PKIXCMP_E_HTTP_TLS (handshake, verification; libcurl's text in the
 * detail), PKIXCMP_E_HTTP_STATUS, PKIXCMP_E_HTTP_CONTENT_TYPE,
 * PKIXCMP_E_HTTP_TOO_LARGE, PKIXCMP_E_HTTP_TRANSFER (anything else).
 */
int pkixcmp_http_transfer(PKIXCMP_HTTP *h, const unsigned char *req, size_t req_len,
                          unsigned char **rsp, size_t *rsp_len, time_t deadline);

/* The HTTP status of the last response received, 0 if none. */
long pkixcmp_http_get_status(const PKIXCMP_HTTP *h);

/* The URL requests go to, e.g. "http://127.0.0.1:8080/pkix/", for log
 * lines such as "will contact ..."; NULL until a server is set. */
const char *pkixcmp_http_get0_url(const PKIXCMP_HTTP *h);

#ifdef __cplusplus
}
#endif
#endif
