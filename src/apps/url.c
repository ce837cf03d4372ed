/*
 * url.c - -server, -path, -proxy, -no_proxy and -tls_used as `openssl cmp`
 * resolves them (../shared/openssl-cmp-options.md 2.4), with libcrypto's
 * own URL parser and proxy selection (OSSL_HTTP_parse_url,
 * OSSL_HTTP_adapt_proxy), so that the rules are exactly openssl's: scheme
 * http or https, decimal port <= 65535 (default 80/443), IPv6 in [...],
 * userinfo ignored, query and fragment kept in the path; the proxy from
 * -proxy, else $http_proxy/$HTTP_PROXY ($https_proxy/$HTTPS_PROXY with TLS),
 * skipped for a host listed exactly in -no_proxy, else $no_proxy/$NO_PROXY.
 */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/http.h>
#include "apps.h"

void app_url_clear(struct app_url *u)
{
    OPENSSL_free(u->host);
    OPENSSL_free(u->path);
    memset(u, 0, sizeof(*u));
}

/* path?query#fragment as one new string (OpenSSL 3.0 gives "" for none) */
static char *join_path(const char *path, const char *query, const char *frag)
{
    if (query != NULL && query[0] == '\0')
        query = NULL;
    if (frag != NULL && frag[0] == '\0')
        frag = NULL;
    size_t len = strlen(path) + (query ? strlen(query) + 1 : 0) + (frag ? strlen(frag) + 1 : 0);
    char *ret = OPENSSL_malloc(len + 1);

    if (ret != NULL)
        snprintf(ret, len + 1, "%s%s%s%s%s", path, query ? "?" : "", query ? query : "",
                 frag ? "#" : "", frag ? frag : "");
    return ret;
}

int app_url_parse(const char *url, struct app_url *u, const char *desc)
{
    char *host = NULL, *path = NULL, *query = NULL, *frag = NULL;
    int ret = 0;

    memset(u, 0, sizeof(*u));
    if (!OSSL_HTTP_parse_url(url, &u->tls, NULL, &host, NULL, &u->port, &path, &query, &frag)) {
        app_err("cannot parse %s URL: %s", desc, url);
        goto out;
    }
    if ((u->path = join_path(path, query, frag)) == NULL) {
        app_err("out of memory");
        goto out;
    }
    u->host = host;
    host = NULL; /* transferred */
    ret = 1;
out:
    OPENSSL_free(host);
    OPENSSL_free(path);
    OPENSSL_free(query);
    OPENSSL_free(frag);
    if (!ret)
        app_url_clear(u);
    return ret;
}

void app_server_clear(struct app_server *s)
{
    app_url_clear(&s->url);
    app_url_clear(&s->proxy);
}

/* Without -server: -proxy, -no_proxy and -tls_used do not apply. */
static int no_server(struct cmp_opts *o, struct app_server *s)
{
    if (o->proxy != NULL)
        app_warn(o, "ignoring -proxy option since -server is not given");
    if (o->no_proxy != NULL)
        app_warn(o, "ignoring -no_proxy option since -server is not given");
    if (o->tls_used) {
        app_warn(o, "ignoring -tls_used option since -server is not given");
        o->tls_used = 0;
    }
    if ((s->url.path = OPENSSL_strdup(o->path != NULL ? o->path : "/")) == NULL) {
        app_err("out of memory");
        return 0;
    }
    return 1;
}

int app_server_resolve(struct cmp_opts *o, struct app_server *s)
{
    const char *proxy;
    char *path;

    memset(s, 0, sizeof(*s));
    if (o->server == NULL)
        return no_server(o, s);
    if (!app_url_parse(o->server, &s->url, "-server"))
        return 0;
    if (s->url.tls && !o->tls_used) {
        app_warn(o, "assuming -tls_used since -server URL indicates HTTPS");
        o->tls_used = 1;
    }
    if (o->path != NULL) {
        if ((path = OPENSSL_strdup(o->path)) == NULL) {
            app_err("out of memory");
            goto err;
        }
        OPENSSL_free(s->url.path);
        s->url.path = path;
    }
    proxy = OSSL_HTTP_adapt_proxy(o->proxy, o->no_proxy, s->url.host, o->tls_used);
    if (proxy != NULL && !app_url_parse(proxy, &s->proxy, "-proxy"))
        goto err;
    return 1;
err:
    app_server_clear(s);
    return 0;
}
