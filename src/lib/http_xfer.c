/*
 * http_xfer.c - one request-response exchange of PKIXCMP_HTTP: the libcurl
 * options from the settings, receiving headers and a bounded body, and
 * turning libcurl's and HTTP's failures into pkixcmp errors that name the
 * URL and keep libcurl's own text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "http_local.h"

#define MAX_REDIRECTS 5L
#define MIN_BUF 4096

/* Copies len bytes of src as text, with '?' for anything not printable. */
static void copy_text(char *dst, size_t size, const char *src, size_t len)
{
    size_t i;

    for (i = 0; i < len && i + 1 < size; i++)
        dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
    dst[i] = '\0';
}

/* Length of a header line without its line end. */
static size_t trim_eol(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    return len;
}

/* "HTTP/1.1 404 Not Found": a new response begins (after 1xx, redirects). */
static void status_line(struct pxc_http_rsp *r, const char *line, size_t len)
{
    size_t i = 0;

    r->status = 0;
    r->reason[0] = r->ctype[0] = '\0';
    r->has_ctype = r->conn_close = r->conn_keep_alive = r->want = 0;
    r->clen = -1;
    r->len = 0;
    r->http10 = len >= 8 && memcmp(line, "HTTP/1.0", 8) == 0;
    while (i < len && line[i] != ' ')
        i++;
    for (i++; i < len && line[i] >= '0' && line[i] <= '9' && r->status < 1000; i++)
        r->status = r->status * 10 + (line[i] - '0');
    if (i < len && line[i] == ' ')
        copy_text(r->reason, sizeof(r->reason), line + i + 1, len - i - 1);
}

/* The value of a header line if its name is name (any case), else NULL. */
static const char *header_value(const char *line, size_t len, const char *name,
                                size_t *vlen)
{
    size_t n = strlen(name);

    if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
        return NULL;
    for (n++; n < len && (line[n] == ' ' || line[n] == '\t'); n++)
        ;
    *vlen = len - n;
    while (*vlen > 0 && (line[n + *vlen - 1] == ' ' || line[n + *vlen - 1] == '\t'))
        (*vlen)--;
    return line + n;
}

/* "Connection: close" or "keep-alive" among the tokens of v. */
static void connection_tokens(struct pxc_http_rsp *r, const char *v, size_t len)
{
    while (len > 0) {
        size_t n = 0;

        while (len > 0 && (*v == ',' || *v == ' ' || *v == '\t')) {
            v++;
            len--;
        }
        while (n < len && v[n] != ',' && v[n] != ' ' && v[n] != '\t')
            n++;
        if (n == 5 && strncasecmp(v, "close", 5) == 0)
            r->conn_close = 1;
        if (n == 10 && strncasecmp(v, "keep-alive", 10) == 0)
            r->conn_keep_alive = 1;
        v += n;
        len -= n;
    }
}

/*
 * All headers are in: decide whether the body is kept. RFC 9811 section
 * 3.3: "The HTTP response status code in this case MUST be 200 (OK)" and
 * "All applicable Client Error 4xx or Server Error 5xx status codes MAY be
 * used to inform the client about errors" - such a response may still
 * carry the CMP error message, so its body is kept if it is one. Returns 0
 * to stop at once when the announced length is over the limit.
 */
static int headers_done(PKIXCMP_HTTP *h)
{
    struct pxc_http_rsp *r = &h->rsp;

    r->want = pxc_http_is_pkixcmp_type(r->ctype)
        && (r->status == 200 || (r->status >= 400 && r->status <= 599));
    if (r->want && r->clen > 0 && (unsigned long long)r->clen > h->max_resp_size) {
        r->too_large = 1;
        return 0;
    }
    return 1;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *arg)
{
    PKIXCMP_HTTP *h = arg;
    struct pxc_http_rsp *r = &h->rsp;
    size_t total = size * nitems, len = trim_eol(line, total), vlen;
    const char *v;

    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        status_line(r, line, len);
    } else if (len == 0) {
        if (!headers_done(h))
            return 0;
    } else if ((v = header_value(line, len, "Content-Type", &vlen)) != NULL) {
        r->has_ctype = 1;
        copy_text(r->ctype, sizeof(r->ctype), v, vlen);
    } else if ((v = header_value(line, len, "Connection", &vlen)) != NULL) {
        connection_tokens(r, v, vlen);
    } else if ((v = header_value(line, len, "Content-Length", &vlen)) != NULL) {
        char num[24];

        copy_text(num, sizeof(num), v, vlen);
        errno = 0;
        r->clen = strtoll(num, NULL, 10);
        if (errno != 0)
            r->clen = -1;
    }
    return total;
}

/* The body, kept up to the limit (libcurl stops when this returns less). */
static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
    PKIXCMP_HTTP *h = arg;
    struct pxc_http_rsp *r = &h->rsp;
    size_t len = size * nmemb, cap;
    unsigned char *buf;

    if (!r->want)
        return len; /* not a CMP message: read, but dropped */
    if (len > h->max_resp_size - r->len) {
        r->too_large = 1;
        return 0;
    }
    if (r->len + len > r->cap) {
        cap = r->cap < MIN_BUF ? MIN_BUF : r->cap;
        while (cap < r->len + len)
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        if (cap > h->max_resp_size)
            cap = h->max_resp_size;
        if ((buf = OPENSSL_realloc(r->buf, cap)) == NULL) {
            r->nomem = 1;
            return 0;
        }
        r->buf = buf;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, len);
    r->len += len;
    return len;
}

/* The request headers. RFC 9811 section 3.4: "The Internet Media Type
 * "application/pkixcmp" MUST be set in the HTTP "Content-Type" header
 * field"; section 3.8: no "Expect: 100-continue" (an empty Expect stops
 * libcurl from adding it). */
static struct curl_slist *request_headers(const PKIXCMP_HTTP *h)
{
    static const char *const fixed[] = {
        "Content-Type: application/pkixcmp", "Accept: application/pkixcmp", "Expect:",
    };
    struct curl_slist *list = NULL, *tmp;

    for (size_t i = 0; i < PXC_NELEM(fixed); i++) {
        if ((tmp = curl_slist_append(list, fixed[i])) == NULL)
            goto err;
        list = tmp;
    }
    tmp = curl_slist_append(list, h->keep_alive == 0 ? "Connection: close"
                                                     : "Connection: keep-alive");
    if (tmp == NULL)
        goto err;
    return tmp;
err:
    curl_slist_free_all(list);
    return NULL;
}

/* TLS: everything comes from the SSL_CTX hook, nothing from libcurl's own
 * CA files; libcurl's host check is off because the hook's is exact. */
static CURLcode set_tls_options(PKIXCMP_HTTP *h)
{
    CURL *c = h->curl;
    CURLcode rc;

    h->tls.libctx = h->libctx;
    h->tls.propq = h->propq;
    h->tls.cert = h->tls_cert;
    h->tls.key = h->tls_key;
    h->tls.extra = h->tls_extra;
    h->tls.trusted = h->tls_trusted;
    h->tls.host = h->tls_host != NULL ? h->tls_host : h->server.host;
    h->tls.err[0] = h->tls.alert[0] = '\0';
    if ((rc = curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, pxc_http_tls_setup)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &h->tls)) != CURLE_OK) {
        BIO_snprintf(h->tls.err, sizeof(h->tls.err),
                     "libcurl's TLS backend does not take OpenSSL settings: %s",
                     curl_easy_strerror(rc));
        return rc;
    }
    if ((rc = curl_easy_setopt(c, CURLOPT_CAINFO, NULL)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_CAPATH, NULL)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, h->tls_trusted != NULL ? 1L : 0L))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L)) != CURLE_OK
        /* a resumed session would skip verification with new settings */
        || (rc = curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L)) != CURLE_OK)
        return rc;
    return CURLE_OK;
}

static CURLcode set_options(PKIXCMP_HTTP *h, const unsigned char *req, size_t req_len,
                            const char *proxy, long timeout_ms, struct curl_slist *hdrs)
{
    CURL *c = h->curl;
    CURLcode rc;

    if ((rc = curl_easy_setopt(c, CURLOPT_URL, h->url)) != CURLE_OK
#if LIBCURL_VERSION_NUM >= 0x075500
        || (rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https")) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
                                  pxc_http_tls_on(h) ? "https" : "http,https")) != CURLE_OK
#else
        || (rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, pxc_http_tls_on(h)
                                  ? (long)CURLPROTO_HTTPS
                                  : (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS))) != CURLE_OK
#endif
        || (rc = curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_POST, 1L)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, req)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req_len))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_USERAGENT, "pkixcmp/" PKIXCMP_VERSION_STR))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_FORBID_REUSE, h->keep_alive == 0 ? 1L : 0L))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, h->fresh_connect ? 1L : 0L))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms)) != CURLE_OK
        /* "" = no proxy; an empty NOPROXY keeps libcurl from no_proxy */
        || (rc = curl_easy_setopt(c, CURLOPT_PROXY, proxy != NULL ? proxy : "")) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_NOPROXY, "")) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_PROXYTYPE, (long)CURLPROXY_HTTP)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, h->follow_redirects ? 1L : 0L))
            != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_MAXREDIRS, MAX_REDIRECTS)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_HEADERDATA, h)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body)) != CURLE_OK
        || (rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, h)) != CURLE_OK)
        return rc;
    return pxc_http_tls_on(h) ? set_tls_options(h) : CURLE_OK;
}

/* "host:port" of the server, or "proxy URL" when one is used. */
static const char *peer_text(const PKIXCMP_HTTP *h, const char *proxy, char *buf, size_t size)
{
    unsigned port = h->server.port != 0 ? h->server.port : pxc_http_tls_on(h) ? 443 : 80;

    if (proxy != NULL)
        BIO_snprintf(buf, size, "proxy %s", proxy);
    else
        BIO_snprintf(buf, size, h->server.ipv6 ? "[%s]:%u" : "%s:%u", h->server.host, port);
    return buf;
}

/* libcurl failed: one pkixcmp error saying what, with libcurl's text. */
static void curl_failed(PKIXCMP_HTTP *h, CURLcode rc, const char *proxy, long timeout_ms,
                        int by_deadline)
{
    const char *what = curl_easy_strerror(rc);
    int code = pxc_http_curl_error_class(rc);
    long oserr = 0, connect_code = 0;
    char peer[320], why[CURL_ERROR_SIZE + 128];

    /* libcurl's error buffer keeps the FIRST message of the transfer, which
     * need not be why it failed (e.g. "getpeername() failed with errno 107"
     * before the send fails on a reset connection): lead with the result */
    if (h->errbuf[0] == '\0' || strstr(h->errbuf, what) != NULL)
        BIO_snprintf(why, sizeof(why), "%s", h->errbuf[0] != '\0' ? h->errbuf : what);
    else
        BIO_snprintf(why, sizeof(why), "%s: %s", what, h->errbuf);

    curl_easy_getinfo(h->curl, CURLINFO_OS_ERRNO, &oserr);
    curl_easy_getinfo(h->curl, CURLINFO_HTTP_CONNECTCODE, &connect_code);
    /* a fatal alert after the handshake (TLS 1.3 refusing our client
     * certificate) reaches libcurl as a receive error */
    if (code == PKIXCMP_E_HTTP_TRANSFER && pxc_http_tls_on(h) && h->tls.alert[0] != '\0')
        code = PKIXCMP_E_HTTP_TLS;
    if (h->rsp.too_large) {
        PXC_ERR(PKIXCMP_E_HTTP_TOO_LARGE, "the response from %s is larger than %zu bytes%s",
                h->url, h->max_resp_size, h->rsp.clen > 0 ? " (Content-Length)" : "");
    } else if (h->rsp.nomem) {
        PXC_ERR(PKIXCMP_E_MALLOC, "response buffer for %s", h->url);
    } else if (proxy != NULL && connect_code != 0 && connect_code != 200) {
        PXC_ERR(PKIXCMP_E_HTTP_CONNECT, "proxy %s refused the tunnel to %s with HTTP %ld (%s)",
                proxy, peer_text(h, NULL, peer, sizeof(peer)), connect_code, why);
    } else if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
        PXC_ERR(PKIXCMP_E_HTTP_CONNECT, "cannot resolve host %s (%s)",
                rc == CURLE_COULDNT_RESOLVE_HOST ? h->server.host : proxy, why);
    } else if (rc == CURLE_COULDNT_CONNECT) {
        PXC_ERR(PKIXCMP_E_HTTP_CONNECT, "%s to %s (%s)",
                oserr == ECONNREFUSED ? "connection refused" : "cannot connect",
                peer_text(h, proxy, peer, sizeof(peer)), why);
    } else if (code == PKIXCMP_E_HTTP_TIMEOUT) {
        PXC_ERR(by_deadline ? PKIXCMP_E_TOTAL_TIMEOUT : PKIXCMP_E_HTTP_TIMEOUT,
                "no response from %s within %ld s, the %s timeout (%s)", h->url,
                timeout_ms / 1000, by_deadline ? "transaction's total" : "message", why);
    } else if (code == PKIXCMP_E_HTTP_TLS && h->tls.err[0] != '\0') {
        PXC_ERR(code, "TLS with %s failed: %s", peer_text(h, NULL, peer, sizeof(peer)),
                h->tls.err);
    } else if (code == PKIXCMP_E_HTTP_TLS && h->tls.alert[0] != '\0') {
        PXC_ERR(code, "TLS with %s failed: the server sent the alert \"%s\" (%s)",
                peer_text(h, NULL, peer, sizeof(peer)), h->tls.alert, why);
    } else if (code == PKIXCMP_E_HTTP_TLS) {
        PXC_ERR(code, "TLS with %s failed: %s", peer_text(h, NULL, peer, sizeof(peer)), why);
    } else {
        PXC_ERR(code, "transfer to %s failed: %s", h->url, why);
    }
}

/* The server keeps the connection open after this response. */
static int server_keeps_alive(const struct pxc_http_rsp *r)
{
    return !r->conn_close && (!r->http10 || r->conn_keep_alive);
}

/* The response arrived: status, type and keep-alive as required. */
static int check_response(PKIXCMP_HTTP *h)
{
    const struct pxc_http_rsp *r = &h->rsp;
    char *location = NULL;

    if (r->status != 200 && !r->want) {
        curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &location);
        PXC_ERR(PKIXCMP_E_HTTP_STATUS, "server answered HTTP %ld%s%s for %s%s%s%s", r->status,
                r->reason[0] != '\0' ? " " : "", r->reason, h->url,
                location != NULL ? " (redirect to " : "", location != NULL ? location : "",
                location != NULL ? ", not followed)" : "");
        return 0;
    }
    if (!r->want) {
        PXC_ERR(PKIXCMP_E_HTTP_CONTENT_TYPE, "response from %s has %s%s%s, not application/pkixcmp",
                h->url, r->has_ctype ? "Content-Type \"" : "no Content-Type",
                r->ctype, r->has_ctype ? "\"" : "");
        return 0;
    }
    if (r->len == 0) {
        PXC_ERR(r->status == 200 ? PKIXCMP_E_HTTP_TRANSFER : PKIXCMP_E_HTTP_STATUS,
                "server answered HTTP %ld for %s with an empty body", r->status, h->url);
        return 0;
    }
    if (h->keep_alive == 2 && !server_keeps_alive(r)) {
        PXC_ERR(PKIXCMP_E_HTTP_TRANSFER,
                "server %s closes the connection, but keep-alive is required (keep_alive 2)",
                h->url);
        return 0;
    }
    if (r->status != 200)
        pxc_http_log(h, PKIXCMP_LOG_WARNING, "server answered HTTP %ld %s for %s with a CMP"
                     " message", r->status, r->reason, h->url);
    return 1;
}

static time_t now(const PKIXCMP_HTTP *h)
{
    return h->now != NULL ? h->now(h->now_arg) : time(NULL);
}

int pkixcmp_http_transfer(PKIXCMP_HTTP *h, const unsigned char *req, size_t req_len,
                          unsigned char **rsp, size_t *rsp_len, time_t deadline)
{
    struct curl_slist *hdrs = NULL;
    char *proxy = NULL;
    int by_deadline, ret = 0;
    long timeout_ms;
    CURLcode rc;

    *rsp = NULL;
    *rsp_len = 0;
    h->last_status = 0;
    if (req == NULL || req_len == 0) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no request to send");
        goto out;
    }
    if (h->url == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "no server to send to (pkixcmp_http_set1_server)");
        goto out;
    }
    if ((timeout_ms = pxc_http_timeout_ms(h->msg_timeout, deadline, now(h), &by_deadline)) < 0) {
        PXC_ERR(PKIXCMP_E_TOTAL_TIMEOUT, "the transaction's total timeout ran out before"
                " sending to %s", h->url);
        goto out;
    }
    if (!pxc_http_proxy_for(h->server.host, pxc_http_tls_on(h), h->proxy, h->no_proxy, &proxy))
        goto out;
    if ((hdrs = request_headers(h)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "HTTP request headers");
        goto out;
    }
    h->errbuf[0] = '\0';
    if ((rc = set_options(h, req, req_len, proxy, timeout_ms, hdrs)) != CURLE_OK) {
        curl_failed(h, rc, proxy, timeout_ms, by_deadline);
        goto out;
    }
    if (pxc_http_tls_on(h) && h->tls_trusted == NULL && !h->warned_untrusted) {
        pxc_http_log(h, PKIXCMP_LOG_WARNING, "TLS without tls_trusted: the server at %s is"
                     " not authenticated", h->url);
        h->warned_untrusted = 1;
    }
    pxc_http_log(h, PKIXCMP_LOG_DEBUG, "POST of %zu bytes to %s%s%s", req_len, h->url,
                 proxy != NULL ? " via " : "", proxy != NULL ? proxy : "");
    status_line(&h->rsp, "", 0);
    h->rsp.too_large = h->rsp.nomem = 0;
    /* what libcurl's OpenSSL calls leave on the queue (e.g. "shutdown while
     * in init") is noise: the reasons that matter are in the error buffer
     * and the TLS alert, which curl_failed() puts in the detail */
    ERR_set_mark();
    rc = curl_easy_perform(h->curl);
    ERR_pop_to_mark();
    h->fresh_connect = 0;
    h->last_status = h->rsp.status;
    if (rc != CURLE_OK) {
        curl_failed(h, rc, proxy, timeout_ms, by_deadline);
        goto out;
    }
    if (!check_response(h))
        goto out;
    pxc_http_log(h, PKIXCMP_LOG_DEBUG, "HTTP %ld with %zu bytes from %s", h->rsp.status,
                 h->rsp.len, h->url);
    *rsp = h->rsp.buf;
    *rsp_len = h->rsp.len;
    h->rsp.buf = NULL; /* transferred */
    h->rsp.cap = h->rsp.len = 0;
    ret = 1;
out:
    if (h->curl != NULL)
        curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    curl_slist_free_all(hdrs);
    OPENSSL_free(proxy);
    /* a dropped or failed body is not kept until the next transfer */
    OPENSSL_free(h->rsp.buf);
    h->rsp.buf = NULL;
    h->rsp.cap = h->rsp.len = 0;
    return ret;
}
