/*
 * test_http_addr.c - the parts of the HTTP transfer that need no network
 * (http_url.c): -server and -proxy syntax as openssl cmp takes it, the
 * proxy choice with -proxy, -no_proxy and the environment, the timeout of
 * one exchange under a transaction deadline, libcurl error classes, the
 * response content type; and the object's setters and URL.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "http_local.h"
#include "tap.h"

/* 1 if the call failed (ret 0) with the given pkixcmp code; clears the queue. */
static int refused(int ret, int code)
{
    int got = pkixcmp_err_peek_last();

    if (ret != 0 || got != code)
        tap_diag("ret %d, want %s, got %s", ret, pkixcmp_err_name(code), pkixcmp_err_name(got));
    ERR_clear_error();
    return ret == 0 && got == code;
}

static const struct addr_case {
    const char *text;
    int https, ipv6;
    const char *host;
    unsigned port;
    const char *path; /* NULL: none */
} good_addrs[] = {
    { "127.0.0.1", 0, 0, "127.0.0.1", 0, NULL },
    { "localhost:8080", 0, 0, "localhost", 8080, NULL },
    { "ca.example:80/pkix/", 0, 0, "ca.example", 80, "/pkix/" },
    { "http://ca.example/.well-known/cmp", 0, 0, "ca.example", 0, "/.well-known/cmp" },
    { "HTTPS://ca.example:8443/p/x", 1, 0, "ca.example", 8443, "/p/x" },
    { "https://ca.example", 1, 0, "ca.example", 0, NULL },
    { "[::1]:443", 0, 1, "::1", 443, NULL },
    { "http://[2001:db8::1]/pkix", 0, 1, "2001:db8::1", 0, "/pkix" },
    { "http://user:pw@ca.example:1/x", 0, 0, "ca.example", 1, "/x" },
    { "ca.example/x?a=b#frag", 0, 0, "ca.example", 0, "/x?a=b" },
    { "ca.example?a=b", 0, 0, "ca.example", 0, "/?a=b" },
    { "ca.example:65535#top", 0, 0, "ca.example", 65535, NULL },
};

static const struct {
    const char *text, *why;
} bad_addrs[] = {
    { "", "empty" },
    { "ftp://ca.example", "another scheme" },
    { "http://", "no host" },
    { "http://:80/x", "empty host before the port" },
    { "::1", "IPv6 without brackets" },
    { "[::1", "no closing bracket" },
    { "[::1]x", "text after the bracket" },
    { "ca.example:", "empty port" },
    { "ca.example:0", "port 0" },
    { "ca.example:65536", "port above 65535" },
    { "ca.example:-10", "negative port" },
    { "ca.example:x", "port not a number" },
    { "ca.example:39213+/x", "text after the port" },
    { "ca.example:0000080", "port with more than 5 digits" },
    { "ca example", "space in the host" },
    { "ca.example/a b", "space in the path" },
    { "ca.example/a\r\nX-Evil: 1", "line break in the path" },
};

static void test_addr_parse(void)
{
    PXC_HTTP_ADDR a;

    for (size_t i = 0; i < PXC_NELEM(good_addrs); i++) {
        const struct addr_case *c = &good_addrs[i];
        int parsed = pxc_http_addr_parse(c->text, "server", &a);

        if (!ok(parsed && a.https == c->https && a.ipv6 == c->ipv6 && strcmp(a.host, c->host) == 0
           && a.port == c->port
           && (c->path == NULL ? a.path == NULL : a.path != NULL && strcmp(a.path, c->path) == 0),
           "server \"%s\" parses", c->text) && parsed)
            tap_diag("got https=%d host=%s port=%u path=%s", a.https, a.host, a.port,
                     a.path != NULL ? a.path : "(none)");
        pxc_http_addr_clear(&a);
    }
    for (size_t i = 0; i < PXC_NELEM(bad_addrs); i++) {
        ok(refused(pxc_http_addr_parse(bad_addrs[i].text, "server", &a),
                   PKIXCMP_E_INVALID_ARGUMENT) && a.host == NULL,
           "server refused: %s", bad_addrs[i].why);
    }
}

static void test_no_proxy_match(void)
{
    ok(pxc_http_no_proxy_match("a.example, ca.example", "ca.example"), "second list entry");
    ok(pxc_http_no_proxy_match("a.example\tCA.Example\n", "ca.example"), "any case, tabs");
    ok(pxc_http_no_proxy_match("[::1],x", "::1"), "IPv6 entry in brackets");
    ok(!pxc_http_no_proxy_match("example", "ca.example"), "no domain suffix matching");
    ok(!pxc_http_no_proxy_match(".example,*", "ca.example"), "no wildcards");
    ok(!pxc_http_no_proxy_match("ca.example.org", "ca.example"), "no prefix matching");
    ok(!pxc_http_no_proxy_match("", "ca.example"), "empty list");
}

/* One proxy decision: settings and environment, then the expected result. */
static const struct proxy_case {
    const char *what;
    const char *proxy, *no_proxy;               /* settings; NULL: environment */
    const char *env_http, *env_HTTP, *env_https, *env_no, *env_NO;
    int tls;
    const char *want;                           /* NULL: direct */
} proxy_cases[] = {
    { "nothing set: direct", NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL },
    { "-proxy host:port", "px.example:3128", NULL, NULL, NULL, NULL, NULL, NULL, 0,
      "http://px.example:3128" },
    { "-proxy URL: only host and port used", "http://u@px.example:8/ignored?q", NULL,
      NULL, NULL, NULL, NULL, NULL, 0, "http://px.example:8" },
    { "-proxy default port 80", "px.example", NULL, NULL, NULL, NULL, NULL, NULL, 0,
      "http://px.example:80" },
    { "-proxy https:// default port 443", "https://px.example", NULL, NULL, NULL, NULL,
      NULL, NULL, 1, "http://px.example:443" },
    { "-proxy IPv6", "[::1]:3128", NULL, NULL, NULL, NULL, NULL, NULL, 0,
      "http://[::1]:3128" },
    { "http_proxy from the environment", NULL, NULL, "e.example:1", NULL, NULL, NULL, NULL,
      0, "http://e.example:1" },
    { "HTTP_PROXY when http_proxy is unset", NULL, NULL, NULL, "E.example:2", NULL, NULL,
      NULL, 0, "http://E.example:2" },
    { "http_proxy before HTTP_PROXY", NULL, NULL, "e.example:1", "E.example:2", NULL,
      NULL, NULL, 0, "http://e.example:1" },
    { "empty http_proxy: no proxy (HTTP_PROXY not consulted)", NULL, NULL, "",
      "E.example:2", NULL, NULL, NULL, 0, NULL },
    { "TLS takes https_proxy, not http_proxy", NULL, NULL, "e.example:1", NULL,
      "s.example:3", NULL, NULL, 1, "http://s.example:3" },
    { "TLS without https_proxy: direct", NULL, NULL, "e.example:1", NULL, NULL, NULL,
      NULL, 1, NULL },
    { "-proxy overrides the environment", "px.example:3128", NULL, "e.example:1", NULL,
      NULL, NULL, NULL, 0, "http://px.example:3128" },
    { "-proxy \"\" overrides the environment: direct", "", NULL, "e.example:1", NULL,
      NULL, NULL, NULL, 0, NULL },
    { "-no_proxy names the server", "px.example:3128", "x, ca.example", NULL, NULL, NULL,
      NULL, NULL, 0, NULL },
    { "-no_proxy names other hosts", "px.example:3128", "x,y", NULL, NULL, NULL, NULL,
      NULL, 0, "http://px.example:3128" },
    { "no_proxy from the environment", "px.example:3128", NULL, NULL, NULL, NULL,
      "ca.example", NULL, 0, NULL },
    { "NO_PROXY when no_proxy is unset", "px.example:3128", NULL, NULL, NULL, NULL, NULL,
      "ca.example", 0, NULL },
    { "-no_proxy overrides the environment's", "px.example:3128", "other", NULL, NULL,
      NULL, "ca.example", NULL, 0, "http://px.example:3128" },
    { "-no_proxy \"\" overrides the environment's", "px.example:3128", "", NULL, NULL,
      NULL, "ca.example", NULL, 0, "http://px.example:3128" },
};

static void setenv_or_unset(const char *name, const char *value)
{
    if (value != NULL)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

static void test_proxy_for(void)
{
    char *got = NULL;

    for (size_t i = 0; i < PXC_NELEM(proxy_cases); i++) {
        const struct proxy_case *c = &proxy_cases[i];
        int ret;

        setenv_or_unset("http_proxy", c->env_http);
        setenv_or_unset("HTTP_PROXY", c->env_HTTP);
        setenv_or_unset("https_proxy", c->env_https);
        setenv_or_unset("HTTPS_PROXY", NULL);
        setenv_or_unset("no_proxy", c->env_no);
        setenv_or_unset("NO_PROXY", c->env_NO);
        ret = pxc_http_proxy_for("ca.example", c->tls, c->proxy, c->no_proxy, &got);
        ok(ret && (c->want == NULL ? got == NULL : got != NULL && strcmp(got, c->want) == 0),
           "proxy: %s", c->what);
        if (got != NULL && (c->want == NULL || strcmp(got, c->want) != 0))
            tap_diag("got %s", got);
        OPENSSL_free(got);
    }
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    setenv_or_unset("http_proxy", "ftp://e.example");
    ok(refused(pxc_http_proxy_for("ca.example", 0, NULL, NULL, &got),
               PKIXCMP_E_INVALID_ARGUMENT) && got == NULL,
       "a malformed http_proxy is an error, not silently ignored");
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("https_proxy");
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
}

static void test_timeout(void)
{
    int by;

    is_int(pxc_http_timeout_ms(120, 0, 1000, &by), 120000, "msg_timeout alone");
    ok(!by, "... not limited by a deadline");
    is_int(pxc_http_timeout_ms(0, 0, 1000, &by), 0, "no msg_timeout, no deadline: no limit");
    is_int(pxc_http_timeout_ms(120, 1030, 1000, &by), 30000, "deadline nearer than msg_timeout");
    ok(by, "... limited by the deadline");
    is_int(pxc_http_timeout_ms(10, 1030, 1000, &by), 10000, "msg_timeout nearer than deadline");
    ok(!by, "... limited by msg_timeout");
    is_int(pxc_http_timeout_ms(0, 1005, 1000, &by), 5000, "no msg_timeout: the deadline");
    ok(by, "... limited by the deadline");
    is_int(pxc_http_timeout_ms(10, 1000, 1000, &by), -1, "deadline reached: -1");
    is_int(pxc_http_timeout_ms(10, 999, 1000, &by), -1, "deadline passed: -1");
}

static void test_error_class(void)
{
    is_int(pxc_http_curl_error_class(CURLE_COULDNT_CONNECT), PKIXCMP_E_HTTP_CONNECT,
           "connect failure");
    is_int(pxc_http_curl_error_class(CURLE_COULDNT_RESOLVE_HOST), PKIXCMP_E_HTTP_CONNECT,
           "name resolution failure");
    is_int(pxc_http_curl_error_class(CURLE_COULDNT_RESOLVE_PROXY), PKIXCMP_E_HTTP_CONNECT,
           "proxy name resolution failure");
    is_int(pxc_http_curl_error_class(CURLE_OPERATION_TIMEDOUT), PKIXCMP_E_HTTP_TIMEOUT,
           "timeout");
    is_int(pxc_http_curl_error_class(CURLE_PEER_FAILED_VERIFICATION), PKIXCMP_E_HTTP_TLS,
           "peer verification");
    is_int(pxc_http_curl_error_class(CURLE_SSL_CONNECT_ERROR), PKIXCMP_E_HTTP_TLS,
           "TLS handshake");
    is_int(pxc_http_curl_error_class(CURLE_GOT_NOTHING), PKIXCMP_E_HTTP_TRANSFER,
           "empty reply");
    is_int(pxc_http_curl_error_class(CURLE_RECV_ERROR), PKIXCMP_E_HTTP_TRANSFER,
           "receive error");
}

static void test_content_type(void)
{
    ok(pxc_http_is_pkixcmp_type("application/pkixcmp"), "application/pkixcmp");
    ok(pxc_http_is_pkixcmp_type("Application/PKIXCMP"), "any case");
    ok(pxc_http_is_pkixcmp_type(" application/pkixcmp ; charset=binary"), "parameters");
    ok(!pxc_http_is_pkixcmp_type("application/pkixcmp-poll"), "pkixcmp-poll is another type");
    ok(!pxc_http_is_pkixcmp_type("text/html"), "text/html");
    ok(!pxc_http_is_pkixcmp_type(""), "empty");
    ok(!pxc_http_is_pkixcmp_type(NULL), "absent");
}

static void test_object(void)
{
    PKIXCMP_HTTP *h = pkixcmp_http_new(NULL, NULL);
    unsigned char *rsp = (unsigned char *)"x";
    size_t len = 1;

    if (!ok(h != NULL, "new"))
        return;
    ok(pkixcmp_http_get0_url(h) == NULL, "no URL before a server is set");
    ok(refused(pkixcmp_http_transfer(h, (const unsigned char *)"0", 1, &rsp, &len, 0),
               PKIXCMP_E_MISSING_PARAMETER) && rsp == NULL && len == 0,
       "transfer without a server");
    ok(refused(pkixcmp_http_transfer(h, (const unsigned char *)"0", 0, &rsp, &len, 0),
               PKIXCMP_E_INVALID_ARGUMENT), "transfer of 0 bytes");
    ok(pkixcmp_http_set1_server(h, "ca.example"), "server");
    is_str(pkixcmp_http_get0_url(h), "http://ca.example:80/", "default port 80 and path /");
    ok(pkixcmp_http_set_use_tls(h, 1), "TLS on");
    is_str(pkixcmp_http_get0_url(h), "https://ca.example:443/", "with TLS port 443");
    ok(pkixcmp_http_set_use_tls(h, 0) && pkixcmp_http_set1_server(h, "https://[::1]/a?b#c"),
       "https URL");
    is_str(pkixcmp_http_get0_url(h), "https://[::1]:443/a?b", "https:// turns TLS on");
    ok(pkixcmp_http_set1_server(h, "ca.example:8080/pkix/"), "server with path");
    is_str(pkixcmp_http_get0_url(h), "http://ca.example:8080/pkix/", "path from the URL");
    ok(pkixcmp_http_set1_path(h, "other"), "path without '/'");
    is_str(pkixcmp_http_get0_url(h), "http://ca.example:8080/other", "-path overrides, '/' added");
    ok(pkixcmp_http_set1_path(h, ""), "path \"\"");
    is_str(pkixcmp_http_get0_url(h), "http://ca.example:8080/pkix/", "\"\" falls back to the URL");
    ok(refused(pkixcmp_http_set1_path(h, "a b"), PKIXCMP_E_INVALID_ARGUMENT), "path with a space");
    ok(refused(pkixcmp_http_set1_server(h, "ca.example:99999"), PKIXCMP_E_INVALID_ARGUMENT),
       "malformed server");
    is_str(pkixcmp_http_get0_url(h), "http://ca.example:8080/pkix/",
           "a refused server leaves the old one");
    ok(refused(pkixcmp_http_set1_proxy(h, "px:x"), PKIXCMP_E_INVALID_ARGUMENT),
       "malformed proxy refused when set");
    ok(pkixcmp_http_set1_proxy(h, "") && pkixcmp_http_set1_proxy(h, NULL), "proxy \"\", NULL");
    ok(refused(pkixcmp_http_set_keep_alive(h, 3), PKIXCMP_E_INVALID_ARGUMENT), "keep_alive 3");
    ok(refused(pkixcmp_http_set_keep_alive(h, -1), PKIXCMP_E_INVALID_ARGUMENT), "keep_alive -1");
    ok(pkixcmp_http_set_keep_alive(h, 2), "keep_alive 2");
    ok(refused(pkixcmp_http_set_msg_timeout(h, -1), PKIXCMP_E_INVALID_ARGUMENT),
       "msg_timeout -1");
    ok(pkixcmp_http_set_msg_timeout(h, 0), "msg_timeout 0");
    is_int(pkixcmp_http_get_status(h), 0, "no status before a response");
    pkixcmp_http_free(h);
    pkixcmp_http_free(NULL);
}

int main(void)
{
    test_addr_parse();
    test_no_proxy_match();
    test_proxy_for();
    test_timeout();
    test_error_class();
    test_content_type();
    test_object();
    return tap_done();
}
