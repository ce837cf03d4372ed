/*
 * http.c - PKIXCMP_HTTP: CMP messages over HTTP(S) with libcurl (RFC 9811).
 *
 * One libcurl easy handle lives as long as the object, so consecutive
 * transfers reuse its connection when the server keeps it open. Every
 * option is set again before each transfer, from the settings, so a setter
 * called between transfers needs no bookkeeping. libcurl never reads the
 * environment: the proxy is chosen here (http_url.c) by openssl cmp's
 * rules, and TLS is configured in the SSL_CTX itself (http_tls.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include "http_local.h"

#define DEFAULT_MSG_TIMEOUT 120 /* seconds, as openssl cmp */

static CRYPTO_ONCE curl_once = CRYPTO_ONCE_STATIC_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void pxc_http_log(const PKIXCMP_HTTP *h, int level, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (h->log_fn != NULL)
        h->log_fn(level, line, h->log_arg);
    else if (level <= PKIXCMP_LOG_WARNING)
        fprintf(stderr, "pkixcmp %s: %s\n", level <= PKIXCMP_LOG_ERR ? "error" : "warning",
                line);
}

PKIXCMP_HTTP *pkixcmp_http_new(OSSL_LIB_CTX *libctx, const char *propq)
{
    PKIXCMP_HTTP *h = NULL;

    if (!CRYPTO_THREAD_run_once(&curl_once, curl_init) || curl_init_result != CURLE_OK) {
        PXC_ERR(PKIXCMP_E_HTTP_TRANSFER, "curl_global_init failed: %s",
                curl_easy_strerror(curl_init_result));
        goto err;
    }
    if ((h = OPENSSL_zalloc(sizeof(*h))) == NULL
        || (propq != NULL && (h->propq = OPENSSL_strdup(propq)) == NULL)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "HTTP transfer object");
        goto err;
    }
    if ((h->curl = curl_easy_init()) == NULL) {
        PXC_ERR(PKIXCMP_E_HTTP_TRANSFER, "curl_easy_init failed");
        goto err;
    }
    curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
    h->libctx = libctx;
    h->keep_alive = 1;
    h->msg_timeout = DEFAULT_MSG_TIMEOUT;
    h->max_resp_size = PKIXCMP_DEFAULT_MAX_MSG_SIZE;
    return h;
err:
    pkixcmp_http_free(h);
    return NULL;
}

void pkixcmp_http_free(PKIXCMP_HTTP *h)
{
    if (h == NULL)
        return;
    if (h->curl != NULL)
        curl_easy_cleanup(h->curl);
    OPENSSL_free(h->propq);
    pxc_http_addr_clear(&h->server);
    OPENSSL_free(h->path);
    OPENSSL_free(h->proxy);
    OPENSSL_free(h->no_proxy);
    X509_free(h->tls_cert);
    EVP_PKEY_free(h->tls_key);
    sk_X509_pop_free(h->tls_extra, X509_free);
    X509_STORE_free(h->tls_trusted);
    OPENSSL_free(h->tls_host);
    OPENSSL_free(h->url);
    OPENSSL_free(h->rsp.buf);
    OPENSSL_free(h);
}

int pxc_http_tls_on(const PKIXCMP_HTTP *h)
{
    return h->use_tls || h->server.https;
}

/* Rebuilds h->url from server, path and TLS. */
static int update_url(PKIXCMP_HTTP *h)
{
    const char *path = h->path != NULL ? h->path : h->server.path != NULL ? h->server.path : "/";
    unsigned port = h->server.port != 0 ? h->server.port : pxc_http_tls_on(h) ? 443 : 80;
    size_t size;

    OPENSSL_free(h->url);
    h->url = NULL;
    if (!h->have_server)
        return 1;
    size = strlen(h->server.host) + strlen(path) + sizeof("https://[]:65535");
    if ((h->url = OPENSSL_malloc(size)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "URL");
        return 0;
    }
    BIO_snprintf(h->url, size, h->server.ipv6 ? "%s://[%s]:%u%s" : "%s://%s:%u%s",
                 pxc_http_tls_on(h) ? "https" : "http", h->server.host, port, path);
    return 1;
}

/* Replaces *dst with a copy of src (NULL clears). */
static int set1_str(char **dst, const char *src, const char *what)
{
    char *copy = NULL;

    if (src != NULL && (copy = OPENSSL_strdup(src)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s", what);
        return 0;
    }
    OPENSSL_free(*dst);
    *dst = copy;
    return 1;
}

int pkixcmp_http_set1_server(PKIXCMP_HTTP *h, const char *server)
{
    PXC_HTTP_ADDR addr;

    memset(&addr, 0, sizeof(addr));
    if (server != NULL && !pxc_http_addr_parse(server, "server", &addr))
        return 0;
    pxc_http_addr_clear(&h->server);
    h->server = addr; /* transferred */
    h->have_server = server != NULL;
    h->warned_untrusted = 0;
    return update_url(h);
}

int pkixcmp_http_set1_path(PKIXCMP_HTTP *h, const char *path)
{
    size_t len = path != NULL ? strlen(path) : 0;
    char *copy;

    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)path[i] <= 0x20 || path[i] == 0x7f) {
            PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "path \"%s\": bad character", path);
            return 0;
        }
    }
    if (len == 0) {
        OPENSSL_free(h->path);
        h->path = NULL;
        return update_url(h);
    }
    if ((copy = OPENSSL_malloc(len + 2)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "path");
        return 0;
    }
    copy[0] = '/';
    memcpy(copy + (path[0] != '/'), path, len + 1);
    OPENSSL_free(h->path);
    h->path = copy;
    return update_url(h);
}

int pkixcmp_http_set1_proxy(PKIXCMP_HTTP *h, const char *proxy)
{
    PXC_HTTP_ADDR addr;

    /* refuse a malformed proxy now rather than at the first transfer */
    if (proxy != NULL && *proxy != '\0') {
        if (!pxc_http_addr_parse(proxy, "proxy", &addr))
            return 0;
        pxc_http_addr_clear(&addr);
    }
    return set1_str(&h->proxy, proxy, "proxy");
}

int pkixcmp_http_set1_no_proxy(PKIXCMP_HTTP *h, const char *list)
{
    return set1_str(&h->no_proxy, list, "no_proxy list");
}

int pkixcmp_http_set_keep_alive(PKIXCMP_HTTP *h, int mode)
{
    if (mode < 0 || mode > 2) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "keep_alive %d: must be 0, 1 or 2", mode);
        return 0;
    }
    h->keep_alive = mode;
    return 1;
}

int pkixcmp_http_set_msg_timeout(PKIXCMP_HTTP *h, int seconds)
{
    if (seconds < 0) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "msg_timeout %d: must be 0 (none) or more",
                seconds);
        return 0;
    }
    h->msg_timeout = seconds;
    return 1;
}

int pkixcmp_http_set_max_resp_size(PKIXCMP_HTTP *h, size_t max)
{
    h->max_resp_size = max != 0 ? max : PKIXCMP_DEFAULT_MAX_MSG_SIZE;
    return 1;
}

int pkixcmp_http_set_follow_redirects(PKIXCMP_HTTP *h, int on)
{
    h->follow_redirects = on != 0;
    return 1;
}

int pkixcmp_http_set_clock(PKIXCMP_HTTP *h, time_t (*now)(void *arg), void *arg)
{
    h->now = now;
    h->now_arg = arg;
    return 1;
}

int pkixcmp_http_set_log_cb(PKIXCMP_HTTP *h, pkixcmp_log_fn *fn, void *arg)
{
    h->log_fn = fn;
    h->log_arg = arg;
    return 1;
}

int pkixcmp_http_set_use_tls(PKIXCMP_HTTP *h, int on)
{
    h->use_tls = on != 0;
    return update_url(h);
}

/* A TLS setting changed: a connection set up with the old ones must not be
 * reused, and the warning about missing trust is due again. */
static int tls_changed(PKIXCMP_HTTP *h)
{
    h->fresh_connect = 1;
    h->warned_untrusted = 0;
    return 1;
}

int pkixcmp_http_set1_tls_cert(PKIXCMP_HTTP *h, X509 *cert)
{
    if (cert != NULL && !X509_up_ref(cert)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "X509_up_ref failed");
        return 0;
    }
    X509_free(h->tls_cert);
    h->tls_cert = cert;
    return tls_changed(h);
}

int pkixcmp_http_set1_tls_key(PKIXCMP_HTTP *h, EVP_PKEY *key)
{
    if (key != NULL && !EVP_PKEY_up_ref(key)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "EVP_PKEY_up_ref failed");
        return 0;
    }
    EVP_PKEY_free(h->tls_key);
    h->tls_key = key;
    return tls_changed(h);
}

int pkixcmp_http_set1_tls_extra(PKIXCMP_HTTP *h, STACK_OF(X509) *certs)
{
    STACK_OF(X509) *copy = NULL;

    if (certs != NULL && (copy = X509_chain_up_ref(certs)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "TLS extra certificates");
        return 0;
    }
    sk_X509_pop_free(h->tls_extra, X509_free);
    h->tls_extra = copy;
    return tls_changed(h);
}

int pkixcmp_http_set1_tls_trusted(PKIXCMP_HTTP *h, X509_STORE *store)
{
    if (store != NULL && !X509_STORE_up_ref(store)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "X509_STORE_up_ref failed");
        return 0;
    }
    X509_STORE_free(h->tls_trusted);
    h->tls_trusted = store;
    return tls_changed(h);
}

int pkixcmp_http_set1_tls_host(PKIXCMP_HTTP *h, const char *host)
{
    return set1_str(&h->tls_host, host, "TLS host") && tls_changed(h);
}

long pkixcmp_http_get_status(const PKIXCMP_HTTP *h)
{
    return h->last_status;
}

const char *pkixcmp_http_get0_url(const PKIXCMP_HTTP *h)
{
    return h->url;
}

