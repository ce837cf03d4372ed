/*
 * http_local.h - inside PKIXCMP_HTTP: the object and its settings (http.c),
 * the transfer (http_xfer.c), the parts that need no network: server and
 * proxy addresses, proxy choice, timeouts, libcurl error classes
 * (http_url.c), and the TLS setup hook (http_tls.c).
 */
#ifndef PKIXCMP_HTTP_LOCAL_H
#define PKIXCMP_HTTP_LOCAL_H

#include <time.h>
#include <curl/curl.h>
#include <pkixcmp/http.h>
#include "internal.h"

/* A server or proxy address in openssl cmp's -server syntax. */
typedef struct {
    int https;      /* the scheme was https */
    char *host;     /* host name or address, without IPv6 brackets */
    int ipv6;       /* the host was given in brackets */
    unsigned port;  /* 0 if absent */
    char *path;     /* "/..." with any query, no fragment; NULL if none */
} PXC_HTTP_ADDR;

/*
 * Parses "[http[s]://][userinfo@]host[:port][/path][?query][#fragment]"
 * into addr (cleared first; free with pxc_http_addr_clear()). what names
 * the address in errors ("server", "proxy"). Returns 0 with
 * PKIXCMP_E_INVALID_ARGUMENT if it is malformed.
 */
int pxc_http_addr_parse(const char *text, const char *what, PXC_HTTP_ADDR *addr) PXC_MUST_CHECK;
void pxc_http_addr_clear(PXC_HTTP_ADDR *addr);

/*
 * The proxy for a request to host: proxy (the -proxy setting, or NULL for
 * the environment's http_proxy/HTTP_PROXY, https_proxy/HTTPS_PROXY with
 * tls), unless no_proxy (or, if NULL, the environment's no_proxy/NO_PROXY)
 * names host. *out becomes "http://host:port" in a new buffer
 * (OPENSSL_free) or NULL for a direct connection. Returns 0 if the proxy
 * is malformed or memory runs out.
 */
int pxc_http_proxy_for(const char *host, int tls, const char *proxy, const char *no_proxy,
                       char **out) PXC_MUST_CHECK;

/* 1 if the comma or white space separated list names host exactly
 * (case-insensitively, brackets around an entry ignored). */
int pxc_http_no_proxy_match(const char *list, const char *host);

/*
 * Milliseconds an exchange may take: the smaller of msg_timeout seconds
 * (0 = no limit) and the time from now to deadline (0 = none); 0 means no
 * limit, -1 that the deadline has passed. *by_deadline is set to 1 if the
 * deadline is what limits it.
 */
long pxc_http_timeout_ms(int msg_timeout, time_t deadline, time_t now, int *by_deadline);

/* The pkixcmp error code for a libcurl result (CURLcode), before the
 * transfer's own checks refine it: CONNECT, TIMEOUT, TLS or TRANSFER. */
int pxc_http_curl_error_class(CURLcode rc);

/* 1 if a Content-Type header value is application/pkixcmp (any case,
 * parameters after ';' ignored). */
int pxc_http_is_pkixcmp_type(const char *ctype);

/*
 * What the SSL_CTX hook installs into the SSL_CTX libcurl made for a new
 * TLS connection: client certificate, key and chain, and either a check of
 * the server's chain against trusted and of its name or address host, or
 * no verification at all. err gets the reason of a failure, alert the
 * description of a fatal alert the server sent.
 */
typedef struct {
    OSSL_LIB_CTX *libctx;
    const char *propq;
    X509 *cert;
    EVP_PKEY *key;
    STACK_OF(X509) *extra;
    X509_STORE *trusted;
    const char *host;
    char err[320];
    char alert[96];
} PXC_HTTP_TLS;

/* The CURLOPT_SSL_CTX_FUNCTION callback; arg is a PXC_HTTP_TLS. */
CURLcode pxc_http_tls_setup(CURL *curl, void *ssl_ctx, void *arg);

/* ---- the object (http.c) and its transfer (http_xfer.c) ---- */

/* The response being received; reset at each status line, so only the last
 * response of a redirect chain counts. */
struct pxc_http_rsp {
    long status;
    char reason[64];
    char ctype[128];        /* Content-Type ("" if absent), printable */
    int has_ctype;
    int http10;             /* the status line said HTTP/1.0 */
    int conn_close;         /* "Connection: close" */
    int conn_keep_alive;    /* "Connection: keep-alive" */
    long long clen;         /* Content-Length, -1 if absent */
    int want;               /* the body is kept (see headers_done in http_xfer.c) */
    int too_large, nomem;
    unsigned char *buf;
    size_t len, cap;
};

struct pkixcmp_http_st {
    OSSL_LIB_CTX *libctx;
    char *propq;
    /* settings */
    PXC_HTTP_ADDR server;
    int have_server;
    char *path;             /* -path with leading '/'; NULL: the URL's */
    char *proxy, *no_proxy; /* NULL: from the environment */
    int keep_alive, msg_timeout, follow_redirects, use_tls;
    size_t max_resp_size;
    X509 *tls_cert;
    EVP_PKEY *tls_key;
    STACK_OF(X509) *tls_extra;
    X509_STORE *tls_trusted;
    char *tls_host;
    pkixcmp_log_fn *log_fn;
    void *log_arg;
    time_t (*now)(void *arg);
    void *now_arg;
    /* state */
    CURL *curl;
    char *url;              /* where requests go, from server, path, TLS */
    int fresh_connect;      /* TLS settings changed: do not reuse */
    int warned_untrusted;   /* the "server not authenticated" warning */
    PXC_HTTP_TLS tls;
    struct pxc_http_rsp rsp;
    long last_status;
    char errbuf[CURL_ERROR_SIZE];
};

/* Logs a line through h's log callback (default: warnings to stderr). */
void pxc_http_log(const PKIXCMP_HTTP *h, int level, const char *fmt, ...) PXC_PRINTF(3, 4);

/* 1 if requests use TLS (-tls_used or an https:// server). */
int pxc_http_tls_on(const PKIXCMP_HTTP *h);

#endif
