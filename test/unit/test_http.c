/*
 * test_http.c - PKIXCMP_HTTP against real servers on 127.0.0.1 (httpsrv.c):
 * round trip and request headers, HTTP status and content type, the size
 * limit, refused connections, the message and total timeouts, keep-alive
 * counted in server-side connections, proxies (-proxy, -no_proxy, the
 * environment, CONNECT for HTTPS), and TLS: server authentication with
 * -tls_trusted and -tls_host, none without trust, client certificates.
 *
 * Two checks wait for a timeout of 1 s each; nothing else sleeps.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <pkixcmp/pkixcmp.h>
#include <pkixcmp/http.h>
#include "httpsrv.h"
#include "tap.h"
#include "testutil.h"

static const char *CMP = "application/pkixcmp";

/* ---- helpers ---- */

static X509 *load_cert(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *b = path != NULL ? BIO_new_file(path, "r") : NULL;
    X509 *x = b != NULL ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;

    if (x == NULL)
        tap_diag("cannot load %s", path != NULL ? path : name);
    BIO_free(b);
    free(path);
    return x;
}

static EVP_PKEY *load_key(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *b = path != NULL ? BIO_new_file(path, "r") : NULL;
    EVP_PKEY *k = b != NULL ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;

    if (k == NULL)
        tap_diag("cannot load %s", path != NULL ? path : name);
    BIO_free(b);
    free(path);
    return k;
}

/* A store with the one certificate name as trust anchor. */
static X509_STORE *store_of(const char *name)
{
    X509_STORE *st = X509_STORE_new();
    X509 *x = load_cert(name);

    if (st == NULL || x == NULL || !X509_STORE_add_cert(st, x)) {
        X509_STORE_free(st);
        st = NULL;
    }
    X509_free(x);
    return st;
}

/* The detail text of the newest error, kept until the next call. */
static char detail[1024];

/* 1 if ret is 0 with the pkixcmp code code on the queue and its detail
 * containing want (may be NULL); clears the queue. */
static int failed(int ret, int code, const char *want)
{
    int got = pkixcmp_err_peek_last();
    const char *data = NULL;
    int flags = 0;

    detail[0] = '\0';
    if (ERR_peek_last_error_data(&data, &flags) != 0 && data != NULL
        && (flags & ERR_TXT_STRING) != 0)
        snprintf(detail, sizeof(detail), "%s", data);
    ERR_clear_error();
    if (ret == 0 && got == code && (want == NULL || strstr(detail, want) != NULL)) {
        tap_diag("%s: %s", pkixcmp_err_name(got), detail);
        return 1;
    }
    tap_diag("ret %d, want %s \"%s\", got %s \"%s\"", ret, pkixcmp_err_name(code),
             want != NULL ? want : "", pkixcmp_err_name(got), detail);
    return 0;
}

/* 1 if ret is 1; otherwise prints the error. */
static int succeeded(int ret)
{
    BIO *out;

    if (ret != 1 && (out = BIO_new_fp(stdout, BIO_NOCLOSE | BIO_FP_TEXT)) != NULL) {
        tap_diag("transfer failed:");
        pkixcmp_err_print(out);
        BIO_free(out);
    }
    ERR_clear_error();
    return ret == 1;
}

/* Log lines received through the callback. */
static struct {
    int warnings;
    char last[512];
} logged;

static void log_cb(int level, const char *line, void *arg)
{
    (void)arg;
    if (level <= PKIXCMP_LOG_WARNING) {
        logged.warnings++;
        snprintf(logged.last, sizeof(logged.last), "%s", line);
    }
}

static unsigned char request[3000];
static unsigned char *rsp;
static size_t rsp_len;

/* One exchange of request with h; the response lands in rsp. */
static int xfer(PKIXCMP_HTTP *h)
{
    OPENSSL_free(rsp);
    rsp = NULL;
    return pkixcmp_http_transfer(h, request, sizeof(request), &rsp, &rsp_len, 0);
}

/* A transfer object for the server "<prefix><port><path>". */
static PKIXCMP_HTTP *client(const char *prefix, int port, const char *path)
{
    PKIXCMP_HTTP *h = pkixcmp_http_new(NULL, NULL);
    char server[128];

    snprintf(server, sizeof(server), "%s%d%s", prefix, port, path);
    /* a bug must not hang the test for the default 120 s */
    if (h == NULL || !pkixcmp_http_set1_server(h, server)
        || !pkixcmp_http_set_log_cb(h, log_cb, NULL) || !pkixcmp_http_set_msg_timeout(h, 10)) {
        tap_diag("cannot set up a client for %s", server);
        pkixcmp_http_free(h);
        return NULL;
    }
    return h;
}

/* A port on 127.0.0.1 where nothing listens. */
static int closed_port(void)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0
        && getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static double seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static time_t fixed_now(void *arg)
{
    return *(time_t *)arg;
}


/* ---- plain HTTP ---- */

static void test_round_trip(void)
{
    struct httpsrv_cfg cfg = { .ctype = CMP, .echo = 1 };
    HTTPSRV *srv = httpsrv_start(&cfg, NULL);
    PKIXCMP_HTTP *h = srv != NULL ? client("127.0.0.1:", httpsrv_port(srv), "/pkix/") : NULL;
    struct httpsrv_stats st;

    if (!ok(h != NULL, "server and client"))
        goto out;
    ok(succeeded(xfer(h)) && rsp_len == sizeof(request)
       && memcmp(rsp, request, sizeof(request)) == 0, "round trip: the server's echo comes back");
    is_int(pkixcmp_http_get_status(h), 200, "status 200");
    st = httpsrv_stats(srv);
    is_str(st.method, "POST", "method POST");
    is_str(st.target, "/pkix/", "path from the server URL");
    /* RFC 9811 3.4: "application/pkixcmp" MUST be set in "Content-Type" */
    is_str(st.ctype, "application/pkixcmp", "request Content-Type");
    /* RFC 9811 3.8: no "Expect: 100-continue" (the body is over 1 kB) */
    ok(!st.has_expect, "no Expect header");
    is_str(st.connection, "keep-alive", "Connection: keep-alive requested (keep_alive 1)");
    is_int(st.body_len, sizeof(request), "request body length");
    ok(pkixcmp_http_set1_path(h, "c/d") && succeeded(xfer(h)), "with -path");
    st = httpsrv_stats(srv);
    is_str(st.target, "/c/d", "-path overrides the URL's path");
    is_int(logged.warnings, 0, "nothing logged");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
}

static void test_status(void)
{
    struct httpsrv_cfg cfg = { .status = 404, .reason = "Not Found", .ctype = "text/html",
                               .body_len = 5000 };
    HTTPSRV *srv = httpsrv_start(&cfg, NULL);
    PKIXCMP_HTTP *h = srv != NULL ? client("127.0.0.1:", httpsrv_port(srv), "/pkix/") : NULL;
    char want[128];

    if (!ok(h != NULL, "server and client"))
        goto out;
    snprintf(want, sizeof(want), "server answered HTTP 404 Not Found for http://127.0.0.1:%d/pkix/",
             httpsrv_port(srv));
    pkixcmp_http_set_max_resp_size(h, 100);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_STATUS, want) && rsp == NULL,
       "404: the status and URL (an HTML body over the size limit is dropped, not an error)");
    is_int(pkixcmp_http_get_status(h), 404, "get_status 404");

    cfg = (struct httpsrv_cfg){ .status = 500, .reason = "Internal Server Error", .ctype = CMP,
                                .body_len = 50 };
    httpsrv_configure(srv, &cfg);
    logged.warnings = 0;
    ok(succeeded(xfer(h)) && rsp_len == 50, "500 with a CMP body: the error message is returned");
    is_int(pkixcmp_http_get_status(h), 500, "... get_status 500");
    ok(logged.warnings == 1 && strstr(logged.last, "HTTP 500") != NULL, "... and a warning");
    logged.warnings = 0;

    cfg.status = 400;
    cfg.body_len = 0;
    httpsrv_configure(srv, &cfg);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_STATUS, "HTTP 400"), "400 with an empty CMP body");

    cfg.status = 201;
    cfg.reason = "Created";
    cfg.body_len = 10;
    httpsrv_configure(srv, &cfg);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_STATUS, "HTTP 201"),
       "201: other 2xx codes MUST NOT carry a CMP response (RFC 9811 3.3)");

    cfg = (struct httpsrv_cfg){ .ctype = CMP, .echo = 1, .redirect_to = "/new" };
    httpsrv_configure(srv, &cfg);
    pkixcmp_http_set_max_resp_size(h, 0);
    httpsrv_reset(srv);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_STATUS, "HTTP 302 Found"), "302 not followed by default");
    ok(strstr(detail, "/new, not followed") != NULL, "... the detail names the target");
    ok(pkixcmp_http_set_follow_redirects(h, 1) && succeeded(xfer(h))
       && rsp_len == sizeof(request), "302 followed when enabled, POST kept");
    is_int(httpsrv_stats(srv).requests, 3, "... 1 + 2 requests");
    is_str(httpsrv_stats(srv).target, "/new", "... the last to the new path");
    is_str(httpsrv_stats(srv).method, "POST", "... still POST");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
}

static void test_content_type(void)
{
    struct httpsrv_cfg cfg = { .ctype = "text/html", .body_len = 10 };
    HTTPSRV *srv = httpsrv_start(&cfg, NULL);
    PKIXCMP_HTTP *h = srv != NULL ? client("127.0.0.1:", httpsrv_port(srv), "") : NULL;

    if (!ok(h != NULL, "server and client"))
        goto out;
    ok(failed(xfer(h), PKIXCMP_E_HTTP_CONTENT_TYPE, "Content-Type \"text/html\""),
       "200 text/html: the type is named");
    is_str(httpsrv_stats(srv).target, "/", "default path /");
    cfg.ctype = NULL;
    httpsrv_configure(srv, &cfg);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_CONTENT_TYPE, "no Content-Type"), "200 without a type");
    cfg.ctype = "Application/PKIXCMP; x=y";
    httpsrv_configure(srv, &cfg);
    ok(succeeded(xfer(h)) && rsp_len == 10, "type in another case, with a parameter");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
}

static void test_size_limit(void)
{
    struct httpsrv_cfg cfg = { .ctype = CMP, .body_len = 101 };
    HTTPSRV *srv = httpsrv_start(&cfg, NULL);
    PKIXCMP_HTTP *h = srv != NULL ? client("127.0.0.1:", httpsrv_port(srv), "") : NULL;

    if (!ok(h != NULL, "server and client"))
        goto out;
    pkixcmp_http_set_max_resp_size(h, 100);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_TOO_LARGE, "larger than 100 bytes (Content-Length)")
       && rsp == NULL, "101 bytes announced, limit 100");
    cfg.no_length = 1;
    httpsrv_configure(srv, &cfg);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_TOO_LARGE, "larger than 100 bytes"),
       "101 bytes without Content-Length: stopped while receiving");
    cfg.body_len = 100;
    httpsrv_configure(srv, &cfg);
    ok(succeeded(xfer(h)) && rsp_len == 100, "100 bytes without Content-Length pass");
    cfg.no_length = 0;
    httpsrv_configure(srv, &cfg);
    ok(succeeded(xfer(h)) && rsp_len == 100, "100 bytes with Content-Length pass");
    cfg.body_len = 0;
    httpsrv_configure(srv, &cfg);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_TRANSFER, "empty body"), "200 with an empty body");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
}

static void test_refused(void)
{
    int port = closed_port();
    PKIXCMP_HTTP *h = client("http://127.0.0.1:", port, "/pkix/");
    char want[64];

    snprintf(want, sizeof(want), "connection refused to 127.0.0.1:%d", port);
    ok(h != NULL && failed(xfer(h), PKIXCMP_E_HTTP_CONNECT, want), "nothing listens");
    pkixcmp_http_free(h);
}

static void test_timeouts(void)
{
    struct httpsrv_cfg cfg = { .hang = 1 };
    HTTPSRV *srv = httpsrv_start(&cfg, NULL);
    PKIXCMP_HTTP *h = srv != NULL ? client("127.0.0.1:", httpsrv_port(srv), "") : NULL;
    time_t clock = 100000;
    double t;

    if (!ok(h != NULL, "server and client"))
        goto out;
    pkixcmp_http_set_msg_timeout(h, 1);
    t = seconds();
    ok(failed(xfer(h), PKIXCMP_E_HTTP_TIMEOUT, "within 1 s, the message timeout"),
       "the server never answers: msg_timeout 1");
    t = seconds() - t;
    ok(t > 0.9 && t < 10, "... after about 1 s (%.2f s)", t);

    pkixcmp_http_set_clock(h, fixed_now, &clock);
    httpsrv_reset(srv);
    ok(failed(pkixcmp_http_transfer(h, request, 10, &rsp, &rsp_len, clock),
              PKIXCMP_E_TOTAL_TIMEOUT, "ran out before sending"), "deadline reached: not sent");
    is_int(httpsrv_stats(srv).connections, 0, "... no connection made");
    pkixcmp_http_set_msg_timeout(h, 0);
    t = seconds();
    ok(failed(pkixcmp_http_transfer(h, request, 10, &rsp, &rsp_len, clock + 1),
              PKIXCMP_E_TOTAL_TIMEOUT, "within 1 s, the transaction's total timeout"),
       "deadline 1 s ahead caps an unlimited msg_timeout");
    t = seconds() - t;
    ok(t > 0.9 && t < 10, "... after about 1 s (%.2f s)", t);
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
}

/* n transfers with keep_alive mode; the server's connection count. */
static int connections_for(HTTPSRV *srv, int mode, int n)
{
    PKIXCMP_HTTP *h = client("127.0.0.1:", httpsrv_port(srv), "/pkix/");
    int good = h != NULL && pkixcmp_http_set_keep_alive(h, mode);

    httpsrv_reset(srv);
    for (int i = 0; i < n && good; i++)
        good = succeeded(xfer(h)) && rsp_len == sizeof(request);
    pkixcmp_http_free(h);
    return good ? httpsrv_stats(srv).connections : -1;
}

static void test_keep_alive(void)
{
    struct httpsrv_cfg cfg = { .ctype = CMP, .echo = 1 };
    HTTPSRV *srv = httpsrv_start(&cfg, NULL);
    PKIXCMP_HTTP *h = NULL;

    if (!ok(srv != NULL, "server"))
        return;
    is_int(connections_for(srv, 1, 3), 1, "keep_alive 1: 3 messages over 1 connection");
    is_int(connections_for(srv, 2, 3), 1, "keep_alive 2: 3 messages over 1 connection");
    is_int(connections_for(srv, 0, 3), 3, "keep_alive 0: a connection per message");
    is_str(httpsrv_stats(srv).connection, "close", "... asking for Connection: close");
    cfg.close = 1;
    httpsrv_configure(srv, &cfg);
    is_int(connections_for(srv, 1, 3), 3, "keep_alive 1, server closes: reconnects");
    h = client("127.0.0.1:", httpsrv_port(srv), "/pkix/");
    ok(h != NULL && pkixcmp_http_set_keep_alive(h, 2)
       && failed(xfer(h), PKIXCMP_E_HTTP_TRANSFER, "keep-alive is required"),
       "keep_alive 2, server closes: error");
    cfg.close = 0;
    cfg.http10 = 1;
    httpsrv_configure(srv, &cfg);
    is_int(connections_for(srv, 2, 2), 1, "keep_alive 2, HTTP/1.0 server with keep-alive");
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
}

/* ---- proxies ---- */

static void test_proxy(void)
{
    struct httpsrv_cfg ocfg = { .ctype = CMP, .echo = 1 };
    struct httpsrv_cfg pcfg = { .ctype = CMP, .body_len = 7, .proxy = 1 };
    HTTPSRV *origin = httpsrv_start(&ocfg, NULL), *proxy = httpsrv_start(&pcfg, NULL);
    PKIXCMP_HTTP *h = origin != NULL ? client("127.0.0.1:", httpsrv_port(origin), "/pkix/") : NULL;
    char px[64], target[64], want[80];
    int dead = closed_port();

    if (!ok(h != NULL && proxy != NULL, "origin, proxy and client"))
        goto out;
    snprintf(px, sizeof(px), "127.0.0.1:%d", httpsrv_port(proxy));
    snprintf(target, sizeof(target), "http://127.0.0.1:%d/pkix/", httpsrv_port(origin));
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");

    ok(pkixcmp_http_set1_proxy(h, px) && succeeded(xfer(h)) && rsp_len == 7,
       "-proxy host:port: the proxy answers");
    is_str(httpsrv_stats(proxy).target, target, "... asked in absolute form for the server URL");
    is_int(httpsrv_stats(origin).requests, 0, "... the server is not contacted directly");

    ok(pkixcmp_http_set1_no_proxy(h, "localhost, 127.0.0.1") && succeeded(xfer(h))
       && rsp_len == sizeof(request), "-no_proxy naming the server: direct");
    is_int(httpsrv_stats(origin).requests, 1, "... the server got it");
    is_int(httpsrv_stats(proxy).requests, 1, "... the proxy did not");

    httpsrv_reset(proxy);
    httpsrv_reset(origin);
    setenv("http_proxy", px, 1);
    ok(pkixcmp_http_set1_proxy(h, NULL) && pkixcmp_http_set1_no_proxy(h, NULL)
       && succeeded(xfer(h)) && rsp_len == 7 && httpsrv_stats(proxy).requests == 1,
       "http_proxy from the environment");
    setenv("no_proxy", "127.0.0.1", 1);
    ok(succeeded(xfer(h)) && rsp_len == sizeof(request) && httpsrv_stats(origin).requests == 1,
       "no_proxy from the environment: direct");
    ok(pkixcmp_http_set1_no_proxy(h, "") && succeeded(xfer(h)) && rsp_len == 7
       && httpsrv_stats(proxy).requests == 2, "-no_proxy \"\" overrides the environment's");
    ok(pkixcmp_http_set1_proxy(h, "") && succeeded(xfer(h)) && rsp_len == sizeof(request)
       && httpsrv_stats(origin).requests == 2, "-proxy \"\" overrides http_proxy: direct");
    unsetenv("http_proxy");
    unsetenv("no_proxy");

    snprintf(px, sizeof(px), "http://127.0.0.1:%d", dead);
    snprintf(want, sizeof(want), "connection refused to proxy http://127.0.0.1:%d", dead);
    ok(pkixcmp_http_set1_proxy(h, px) && failed(xfer(h), PKIXCMP_E_HTTP_CONNECT, want),
       "the proxy refuses the connection: it is named");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(origin);
    httpsrv_stop(proxy);
}

/* ---- TLS ---- */

/* The TLS server context: tls_server.crt with its chain; with client_ca,
 * a client certificate chaining to it is required. max_version limits the
 * TLS version (0: none). */
static SSL_CTX *tls_server_ctx(const char *client_ca, int max_version)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    X509 *cert = load_cert("tls_server.crt"), *interm = load_cert("interm.crt");
    EVP_PKEY *key = load_key("tls_server.key");
    X509_STORE *st = client_ca != NULL ? store_of(client_ca) : NULL;
    int good = ctx != NULL && cert != NULL && interm != NULL && key != NULL
        && SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1
        && SSL_CTX_add1_chain_cert(ctx, interm) == 1;

    if (good && client_ca != NULL) {
        good = st != NULL && SSL_CTX_set_max_proto_version(ctx, max_version) == 1;
        SSL_CTX_set1_cert_store(ctx, st);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    X509_free(cert);
    X509_free(interm);
    EVP_PKEY_free(key);
    X509_STORE_free(st);
    if (!good) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

static void test_tls_server_auth(void)
{
    struct httpsrv_cfg cfg = { .ctype = CMP, .echo = 1 };
    SSL_CTX *sctx = tls_server_ctx(NULL, 0);
    HTTPSRV *srv = sctx != NULL ? httpsrv_start(&cfg, sctx) : NULL;
    HTTPSRV *plain = httpsrv_start(&cfg, NULL);
    PKIXCMP_HTTP *h = srv != NULL ? client("https://127.0.0.1:", httpsrv_port(srv), "/pkix/") : NULL;
    X509_STORE *root = store_of("root.crt"), *other = store_of("untrusted_root.crt");

    if (!ok(h != NULL && plain != NULL && root != NULL && other != NULL, "servers and client"))
        goto out;
    logged.warnings = 0;
    ok(pkixcmp_http_set1_tls_trusted(h, root) && succeeded(xfer(h))
       && rsp_len == sizeof(request), "https:// with -tls_trusted: verified round trip");
    is_int(logged.warnings, 0, "... no warning");
    ok(succeeded(xfer(h)) && succeeded(xfer(h)), "two more");
    is_int(httpsrv_stats(srv).connections, 1, "... over the same TLS connection");

    ok(pkixcmp_http_set1_tls_trusted(h, other)
       && failed(xfer(h), PKIXCMP_E_HTTP_TLS, "server certificate not accepted for 127.0.0.1:"
                 " unable to get local issuer certificate"),
       "a root that did not issue the server's chain: refused");
    is_int(httpsrv_stats(srv).connections, 2, "... on a new connection, not the verified one");

    ok(pkixcmp_http_set1_tls_trusted(h, root) && pkixcmp_http_set1_tls_host(h, "wrong.example")
       && failed(xfer(h), PKIXCMP_E_HTTP_TLS, "wrong.example: hostname mismatch"),
       "-tls_host not in the certificate: refused");
    ok(pkixcmp_http_set1_tls_host(h, "localhost") && succeeded(xfer(h)),
       "-tls_host localhost (a dNSName of the certificate)");
    ok(pkixcmp_http_set1_tls_host(h, "127.0.0.2")
       && failed(xfer(h), PKIXCMP_E_HTTP_TLS, "IP address mismatch"),
       "-tls_host of another IP address: refused");
    ok(pkixcmp_http_set1_tls_host(h, NULL) && succeeded(xfer(h)),
       "the server's IP address matches the iPAddress SAN");

    ok(pkixcmp_http_set1_tls_trusted(h, NULL) && succeeded(xfer(h)) && succeeded(xfer(h)),
       "no -tls_trusted: not verified, as openssl cmp");
    ok(logged.warnings == 1 && strstr(logged.last, "not authenticated") != NULL,
       "... with one warning");

    pkixcmp_http_free(h);
    h = client("127.0.0.1:", httpsrv_port(srv), "");
    ok(h != NULL && pkixcmp_http_set_use_tls(h, 1) && pkixcmp_http_set1_tls_trusted(h, root)
       && succeeded(xfer(h)), "-tls_used with host:port");

    pkixcmp_http_free(h);
    h = client("https://127.0.0.1:", httpsrv_port(plain), "");
    ok(h != NULL && failed(xfer(h), PKIXCMP_E_HTTP_TLS, NULL), "TLS to a plain HTTP server");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
    httpsrv_stop(plain);
    SSL_CTX_free(sctx);
    X509_STORE_free(root);
    X509_STORE_free(other);
}

static void test_tls_via_proxy(void)
{
    struct httpsrv_cfg cfg = { .ctype = CMP, .echo = 1 }, pcfg = { .proxy = 1 };
    SSL_CTX *sctx = tls_server_ctx(NULL, 0);
    HTTPSRV *srv = sctx != NULL ? httpsrv_start(&cfg, sctx) : NULL;
    HTTPSRV *proxy = httpsrv_start(&pcfg, NULL);
    PKIXCMP_HTTP *h = srv != NULL ? client("https://127.0.0.1:", httpsrv_port(srv), "/pkix/") : NULL;
    X509_STORE *root = store_of("root.crt");
    char env[64], to[64];

    if (!ok(h != NULL && proxy != NULL && root != NULL, "server, proxy and client"))
        goto out;
    snprintf(env, sizeof(env), "127.0.0.1:%d", httpsrv_port(proxy));
    setenv("https_proxy", env, 1);
    snprintf(env, sizeof(env), "127.0.0.1:%d", closed_port());
    setenv("http_proxy", env, 1);
    unsetenv("no_proxy");
    ok(pkixcmp_http_set1_tls_trusted(h, root) && succeeded(xfer(h)) && succeeded(xfer(h))
       && rsp_len == sizeof(request), "HTTPS through https_proxy (not http_proxy)");
    snprintf(to, sizeof(to), "127.0.0.1:%d", httpsrv_port(srv));
    is_int(httpsrv_stats(proxy).tunnels, 1, "... one CONNECT tunnel for two messages");
    is_str(httpsrv_stats(proxy).tunnel_to, to, "... to the server");

    /* a proxy that does not want to: the answer to CONNECT */
    pcfg = (struct httpsrv_cfg){ .status = 403, .reason = "Forbidden", .ctype = "text/plain" };
    httpsrv_configure(proxy, &pcfg);
    pkixcmp_http_free(h);
    h = client("https://127.0.0.1:", httpsrv_port(srv), "/pkix/");
    ok(h != NULL && pkixcmp_http_set1_tls_trusted(h, root)
       && failed(xfer(h), PKIXCMP_E_HTTP_CONNECT, "refused the tunnel to 127.0.0.1:"),
       "the proxy answers CONNECT with 403");
    ok(strstr(detail, "HTTP 403") != NULL, "... the proxy's status is named");
    unsetenv("https_proxy");
    unsetenv("http_proxy");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
    httpsrv_stop(proxy);
    SSL_CTX_free(sctx);
    X509_STORE_free(root);
}

static void test_tls_client_auth(void)
{
    struct httpsrv_cfg cfg = { .ctype = CMP, .echo = 1 };
    /* TLS 1.2: a refused client certificate fails the handshake itself */
    SSL_CTX *sctx = tls_server_ctx("root.crt", TLS1_2_VERSION);
    SSL_CTX *sctx13 = tls_server_ctx("root.crt", TLS1_3_VERSION);
    HTTPSRV *srv13 = sctx13 != NULL ? httpsrv_start(&cfg, sctx13) : NULL;
    HTTPSRV *srv = sctx != NULL ? httpsrv_start(&cfg, sctx) : NULL;
    PKIXCMP_HTTP *h = srv != NULL ? client("https://127.0.0.1:", httpsrv_port(srv), "") : NULL;
    X509_STORE *root = store_of("root.crt");
    X509 *cert = load_cert("client_p256.crt"), *interm = load_cert("interm.crt");
    EVP_PKEY *key = load_key("client_p256.key"), *other = load_key("client_rsa.key");
    STACK_OF(X509) *extra = sk_X509_new_null();

    if (!ok(h != NULL && root != NULL && cert != NULL && interm != NULL && key != NULL
            && other != NULL && extra != NULL && sk_X509_push(extra, interm) > 0,
            "server, client, credentials"))
        goto out;
    interm = NULL; /* transferred */
    pkixcmp_http_set1_tls_trusted(h, root);
    ok(failed(xfer(h), PKIXCMP_E_HTTP_TLS, NULL), "no client certificate: refused");
    ok(pkixcmp_http_set1_tls_cert(h, cert) && failed(xfer(h), PKIXCMP_E_HTTP_TLS, "without key"),
       "a certificate without key");
    ok(pkixcmp_http_set1_tls_key(h, other)
       && failed(xfer(h), PKIXCMP_E_HTTP_TLS, "does not match"), "a key of another certificate");
    ok(pkixcmp_http_set1_tls_key(h, key) && failed(xfer(h), PKIXCMP_E_HTTP_TLS, NULL),
       "without -tls_extra the server cannot chain our certificate");
    ok(pkixcmp_http_set1_tls_extra(h, extra) && succeeded(xfer(h)) && rsp_len == sizeof(request),
       "certificate, key and intermediate: accepted");
    ok(strstr(httpsrv_stats(srv).client_cert, "client") != NULL, "... the server saw %s",
       httpsrv_stats(srv).client_cert);

    /* TLS 1.3: the server refuses after the client's handshake is done */
    pkixcmp_http_free(h);
    h = srv13 != NULL ? client("https://127.0.0.1:", httpsrv_port(srv13), "") : NULL;
    ok(h != NULL && pkixcmp_http_set1_tls_trusted(h, root)
       && failed(xfer(h), PKIXCMP_E_HTTP_TLS, "the server sent the alert \"number 116\""),
       "TLS 1.3 without client certificate: the server's alert is the reason");
    ok(pkixcmp_http_set1_tls_cert(h, cert) && pkixcmp_http_set1_tls_key(h, key)
       && pkixcmp_http_set1_tls_extra(h, extra) && succeeded(xfer(h)),
       "TLS 1.3 with client certificate: accepted");
out:
    pkixcmp_http_free(h);
    httpsrv_stop(srv);
    httpsrv_stop(srv13);
    SSL_CTX_free(sctx);
    SSL_CTX_free(sctx13);
    X509_STORE_free(root);
    X509_free(cert);
    X509_free(interm);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    sk_X509_pop_free(extra, X509_free);
}

int main(void)
{
    /* a peer closing while we write must not kill the test */
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof(request); i++)
        request[i] = (unsigned char)(i * 7);
    test_round_trip();
    test_status();
    test_content_type();
    test_size_limit();
    test_refused();
    test_timeouts();
    test_keep_alive();
    test_proxy();
    test_tls_server_auth();
    test_tls_via_proxy();
    test_tls_client_auth();
    OPENSSL_free(rsp);
    return tap_done();
}
