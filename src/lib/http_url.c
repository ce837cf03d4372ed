/*
 * http_url.c - server and proxy addresses as openssl cmp takes them
 * (-server, -proxy, -no_proxy and their environment variables), the
 * timeout of one exchange, and libcurl's results sorted into error codes.
 * Nothing here touches the network.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include "http_local.h"

void pxc_http_addr_clear(PXC_HTTP_ADDR *addr)
{
    OPENSSL_free(addr->host);
    OPENSSL_free(addr->path);
    memset(addr, 0, sizeof(*addr));
}

/* 1 if c may not appear in a host or path (controls, space, DEL, non-ASCII
 * bytes are left to the server): they could split the request line. */
static int bad_char(unsigned char c)
{
    return c <= 0x20 || c == 0x7f;
}

/* The scheme: "http://" or "https://" (any case) or none. Returns the
 * rest, or NULL if another scheme is given. */
static const char *parse_scheme(const char *p, int *https)
{
    const char *sep = strstr(p, "://");

    *https = 0;
    if (sep == NULL || sep > p + strcspn(p, "/?#"))
        return p;
    if (sep - p == 4 && strncasecmp(p, "http", 4) == 0)
        return sep + 3;
    if (sep - p == 5 && strncasecmp(p, "https", 5) == 0) {
        *https = 1;
        return sep + 3;
    }
    return NULL;
}

/* host[:port] between p and end (userinfo already skipped). */
static int parse_authority(const char *p, const char *end, const char *what,
                           const char *text, PXC_HTTP_ADDR *addr)
{
    const char *h = p, *hend;
    unsigned long port = 0;
    int digits = 0;

    if (*p == '[') {
        h = p + 1;
        if ((hend = memchr(h, ']', (size_t)(end - h))) == NULL) {
            PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s \"%s\": '[' without ']'", what, text);
            return 0;
        }
        p = hend + 1;
        addr->ipv6 = 1;
    } else {
        hend = h + strcspn(h, ":/?#");
        if (hend > end)
            hend = end;
        p = hend;
    }
    if (hend == h) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s \"%s\": no host", what, text);
        return 0;
    }
    for (const char *c = h; c < hend; c++) {
        if (bad_char((unsigned char)*c) || strchr("[]@", *c) != NULL) {
            PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s \"%s\": bad character in the host",
                    what, text);
            return 0;
        }
    }
    if (p < end && *p == ':') {
        for (p++; p < end && *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
            port = port * 10 + (unsigned long)(*p - '0');
        if (digits == 0 || p != end || port == 0 || port > 65535) {
            PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT,
                    "%s \"%s\": the port must be a number from 1 to 65535, followed by"
                    " '/', '?', '#' or the end", what, text);
            return 0;
        }
    } else if (p != end) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s \"%s\": unexpected text after the host",
                what, text);
        return 0;
    }
    addr->port = (unsigned)port;
    if ((addr->host = OPENSSL_strndup(h, (size_t)(hend - h))) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s host", what);
        return 0;
    }
    return 1;
}

/* The path with any query; the fragment is never sent in HTTP. */
static int parse_path(const char *p, const char *what, const char *text, PXC_HTTP_ADDR *addr)
{
    size_t len = strcspn(p, "#");

    for (size_t i = 0; i < len; i++) {
        if (bad_char((unsigned char)p[i])) {
            PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s \"%s\": bad character in the path",
                    what, text);
            return 0;
        }
    }
    if (len == 0)
        return 1;
    if ((addr->path = OPENSSL_malloc(len + 2)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s path", what);
        return 0;
    }
    /* "host?q" has the path "/?q" */
    addr->path[0] = '/';
    memcpy(addr->path + (*p != '/'), p, len);
    addr->path[len + (*p != '/')] = '\0';
    return 1;
}

int pxc_http_addr_parse(const char *text, const char *what, PXC_HTTP_ADDR *addr)
{
    const char *p, *end, *at;
    int ret = 0;

    memset(addr, 0, sizeof(*addr));
    if ((p = parse_scheme(text, &addr->https)) == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s \"%s\": the scheme must be http or https",
                what, text);
        goto out;
    }
    end = p + strcspn(p, "/?#");
    /* userinfo is ignored, as by openssl cmp */
    for (at = p; (at = memchr(at, '@', (size_t)(end - at))) != NULL; p = ++at)
        ;
    if (!parse_authority(p, end, what, text, addr) || !parse_path(end, what, text, addr))
        goto out;
    ret = 1;
out:
    if (!ret)
        pxc_http_addr_clear(addr);
    return ret;
}

/* The first of two environment variables that is set (maybe ""), or NULL. */
static const char *env2(const char *lower, const char *upper)
{
    const char *v = getenv(lower);

    return v != NULL ? v : getenv(upper);
}

int pxc_http_no_proxy_match(const char *list, const char *host)
{
    static const char seps[] = ", \t\r\n";
    size_t hlen = strlen(host), len;
    const char *p = list;

    while (*(p += strspn(p, seps)) != '\0') {
        const char *item = p;

        len = strcspn(p, seps);
        p += len;
        if (len >= 2 && item[0] == '[' && item[len - 1] == ']') {
            item++;
            len -= 2;
        }
        if (len == hlen && strncasecmp(item, host, len) == 0)
            return 1;
    }
    return 0;
}

int pxc_http_proxy_for(const char *host, int tls, const char *proxy, const char *no_proxy,
                       char **out)
{
    PXC_HTTP_ADDR pa;
    size_t size;
    int ret = 0;

    memset(&pa, 0, sizeof(pa));
    *out = NULL;
    if (proxy == NULL)
        proxy = tls ? env2("https_proxy", "HTTPS_PROXY") : env2("http_proxy", "HTTP_PROXY");
    if (no_proxy == NULL)
        no_proxy = env2("no_proxy", "NO_PROXY");
    if (proxy == NULL || *proxy == '\0'
        || (no_proxy != NULL && pxc_http_no_proxy_match(no_proxy, host)))
        return 1;
    if (!pxc_http_addr_parse(proxy, "proxy", &pa))
        goto out;
    if (pa.port == 0)
        pa.port = pa.https ? 443 : 80;
    size = strlen(pa.host) + sizeof("http://[]:65535");
    if ((*out = OPENSSL_malloc(size)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "proxy URL");
        goto out;
    }
    BIO_snprintf(*out, size, pa.ipv6 ? "http://[%s]:%u" : "http://%s:%u", pa.host, pa.port);
    ret = 1;
out:
    pxc_http_addr_clear(&pa);
    return ret;
}

long pxc_http_timeout_ms(int msg_timeout, time_t deadline, time_t now, int *by_deadline)
{
    long ms = msg_timeout > 0 ? (long)msg_timeout * 1000 : 0;

    *by_deadline = 0;
    if (deadline == 0)
        return ms;
    if (deadline <= now) {
        *by_deadline = 1;
        return -1;
    }
    if (ms == 0 || deadline - now < (time_t)msg_timeout) {
        *by_deadline = 1;
        /* more than 24 days does not fit in a 32-bit long of ms; no limit */
        return deadline - now > 2000000 ? 0 : (long)(deadline - now) * 1000;
    }
    return ms;
}

int pxc_http_curl_error_class(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return PKIXCMP_E_HTTP_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return PKIXCMP_E_HTTP_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return PKIXCMP_E_HTTP_TLS;
    case CURLE_FILESIZE_EXCEEDED:
        return PKIXCMP_E_HTTP_TOO_LARGE;
    default:
        return PKIXCMP_E_HTTP_TRANSFER;
    }
}

int pxc_http_is_pkixcmp_type(const char *ctype)
{
    static const char want[] = "application/pkixcmp";
    size_t len;

    if (ctype == NULL)
        return 0;
    ctype += strspn(ctype, " \t");
    len = strcspn(ctype, ";");
    while (len > 0 && (ctype[len - 1] == ' ' || ctype[len - 1] == '\t'))
        len--;
    return len == sizeof(want) - 1 && strncasecmp(ctype, want, len) == 0;
}
