/*
 * test_listen.c - the HTTP(S) listener (listen.c, listen_http.c) against
 * plain blocking sockets as clients: the status codes of RFC 9811 section
 * 3, persistent connections, concurrency, slow and vanishing clients,
 * max_msgs, stop() from another thread and from a signal, TLS, the ACCEPT
 * line. Set LISTEN_MEM_CONNS=1000 to print the memory that many idle
 * keep-alive connections take.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <pkixcmp/listen.h>
#include "internal.h"
#include "tap.h"
#include "testutil.h"

#define RECV_TIMEOUT_S 10 /* a test that hangs fails instead */
#define HUGE_RESPONSE (16 << 20)

/* ----------------------------------------------------------- the handler */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue;
}

static atomic_ulong handled;

/* The balancing test's clients: the worker thread that answered each of
 * their requests ("bal <client> <i>"). */
#define BAL_CLIENTS 2
#define BAL_REQUESTS 400
static pthread_t bal_thread[BAL_CLIENTS][BAL_REQUESTS];

/* Answers path "|" body; special bodies test the other return values. */
static int echo(void *arg, const char *path, const unsigned char *req, size_t req_len,
                unsigned char **rsp, size_t *rsp_len)
{
    size_t plen = strlen(path);

    atomic_fetch_add(&handled, 1);
    if (req_len > 4 && memcmp(req, "bal ", 4) == 0) {
        char text[32];
        int client = -1, i = -1;

        memcpy(text, req, req_len < sizeof(text) ? req_len : sizeof(text) - 1);
        text[req_len < sizeof(text) ? req_len : sizeof(text) - 1] = '\0';
        if (sscanf(text, "bal %d %d", &client, &i) == 2 && client >= 0 && client < BAL_CLIENTS
            && i >= 0 && i < BAL_REQUESTS)
            bal_thread[client][i] = pthread_self();
    }
    if (req_len == 5 && memcmp(req, "sleep", 5) == 0)
        sleep_ms(600); /* keeps this worker from accepting */
    if (req_len == 4 && memcmp(req, "fail", 4) == 0)
        return PKIXCMP_LISTEN_FAIL;
    if (req_len == 8 && memcmp(req, "notfound", 8) == 0)
        return PKIXCMP_LISTEN_NOT_FOUND;
    if (req_len == 5 && memcmp(req, "empty", 5) == 0)
        return PKIXCMP_LISTEN_REPLY; /* but no response */
    if (req_len == 4 && memcmp(req, "huge", 4) == 0) { /* more than socket buffers take */
        if ((*rsp = OPENSSL_zalloc(HUGE_RESPONSE)) == NULL)
            return PKIXCMP_LISTEN_FAIL;
        *rsp_len = HUGE_RESPONSE;
        return PKIXCMP_LISTEN_REPLY;
    }
    if ((*rsp = OPENSSL_malloc(plen + 1 + req_len)) == NULL)
        return PKIXCMP_LISTEN_FAIL;
    memcpy(*rsp, path, plen);
    (*rsp)[plen] = '|';
    memcpy(*rsp + plen + 1, req, req_len);
    *rsp_len = plen + 1 + req_len;
    if (req_len == 5 && memcmp(req, "close", 5) == 0)
        return PKIXCMP_LISTEN_REPLY_CLOSE;
    return PKIXCMP_LISTEN_REPLY;
}

/* ----------------------------------------------------------- the client */

struct conn {
    int fd;
    SSL *ssl;
    size_t len;
    unsigned char buf[8192];
};

struct resp {
    int status;
    char ctype[64], connection[32], allow[32], cache[32];
    int has_length;
    size_t body_len;
    unsigned char body[4096];
};

static int tcp_connect(int port)
{
    struct sockaddr_in sa;
    struct timeval tv = {RECV_TIMEOUT_S, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0), on = 1;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static struct conn *conn_open(int port)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (c == NULL || (c->fd = tcp_connect(port)) < 0) {
        free(c);
        return NULL;
    }
    return c;
}

static void conn_close(struct conn *c)
{
    if (c == NULL)
        return;
    SSL_free(c->ssl);
    close(c->fd);
    free(c);
}

static int conn_write(struct conn *c, const void *data, size_t len)
{
    const char *p = data;
    ssize_t n;

    while (len > 0) {
        n = c->ssl != NULL ? SSL_write(c->ssl, p, (int)len) : send(c->fd, p, len, MSG_NOSIGNAL);
        if (n <= 0)
            return 0;
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

/* Reads more into the buffer: > 0 bytes, 0 at EOF, -1 on error or timeout. */
static ssize_t conn_fill(struct conn *c)
{
    ssize_t n;

    if (c->len == sizeof(c->buf))
        return -1;
    if (c->ssl != NULL) {
        n = SSL_read(c->ssl, c->buf + c->len, (int)(sizeof(c->buf) - c->len));
        if (n <= 0)
            return SSL_get_error(c->ssl, (int)n) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
    } else {
        n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
    }
    if (n > 0)
        c->len += (size_t)n;
    return n < 0 ? (errno == ECONNRESET ? 0 : -1) : n;
}

/* 1 if the server closed the connection (EOF or reset) without sending
 * anything more, 0 if it sent something or did not close in time. */
static int conn_closed(struct conn *c)
{
    return c->len == 0 && conn_fill(c) == 0;
}

static void header_value(const char *line, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);

    if (strncasecmp(line, name, n) == 0 && line[n] == ':')
        snprintf(out, size, "%s", line + n + 1 + strspn(line + n + 1, " "));
}

/* Length of the header block (up to the empty line) in c's buffer, 0 if
 * it is not complete yet. */
static size_t head_length(const struct conn *c)
{
    size_t i;

    for (i = 0; i + 4 <= c->len; i++) {
        if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0)
            return i + 4;
    }
    return 0;
}

/* Reads one response into r; 1 if complete. */
static int read_response(struct conn *c, struct resp *r)
{
    char head[4096], *line, *eol, clen[24] = "";
    size_t hlen;

    memset(r, 0, sizeof(*r));
    while ((hlen = head_length(c)) == 0) {
        if (conn_fill(c) <= 0)
            return 0;
    }
    if (hlen >= sizeof(head))
        return 0;
    memcpy(head, c->buf, hlen);
    head[hlen] = '\0';
    if (sscanf(head, "HTTP/1.%*d %d", &r->status) != 1)
        return 0;
    for (line = head; (eol = strstr(line, "\r\n")) != NULL && eol != line; line = eol + 2) {
        *eol = '\0';
        header_value(line, "Content-Type", r->ctype, sizeof(r->ctype));
        header_value(line, "Connection", r->connection, sizeof(r->connection));
        header_value(line, "Allow", r->allow, sizeof(r->allow));
        header_value(line, "Cache-Control", r->cache, sizeof(r->cache));
        header_value(line, "Content-Length", clen, sizeof(clen));
    }
    r->has_length = clen[0] != '\0';
    r->body_len = strtoul(clen, NULL, 10);
    if (r->body_len > sizeof(r->body))
        return 0;
    while (c->len < hlen + r->body_len) {
        if (conn_fill(c) <= 0)
            return 0;
    }
    memcpy(r->body, c->buf + hlen, r->body_len);
    c->len -= hlen + r->body_len;
    memmove(c->buf, c->buf + hlen + r->body_len, c->len);
    return 1;
}

/* Sends one request: method, path, optional Content-Type and extra header
 * lines ("Name: value\r\n" each), body. */
static int send_request(struct conn *c, const char *method, const char *path,
                        const char *ctype, const char *extra, const void *body, size_t len)
{
    char head[18000];
    int n = snprintf(head, sizeof(head),
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%sContent-Length: %zu\r\n%s\r\n",
                     method, path, ctype != NULL ? "Content-Type: " : "",
                     ctype != NULL ? ctype : "", ctype != NULL ? "\r\n" : "", len,
                     extra != NULL ? extra : "");

    return n > 0 && (size_t)n < sizeof(head) && conn_write(c, head, (size_t)n)
           && conn_write(c, body, len);
}

/* POSTs body as application/pkixcmp to path and reads the response. */
static int post(struct conn *c, const char *path, const char *body, struct resp *r)
{
    return send_request(c, "POST", path, "application/pkixcmp", NULL, body, strlen(body))
           && read_response(c, r);
}

/* 1 if r is a 200 whose body is the echo of path and body. */
static int echoed(const struct resp *r, const char *path, const char *body)
{
    char want[512];
    int n = snprintf(want, sizeof(want), "%s|%s", path, body);

    return r->status == 200 && r->body_len == (size_t)n && memcmp(r->body, want, (size_t)n) == 0
           && strcmp(r->ctype, "application/pkixcmp") == 0;
}

/* 1 if the call failed (ret 0) with the given pkixcmp code; clears the queue. */
static int refused(int ret, int code)
{
    int got = pkixcmp_err_peek_last();

    if (ret != 0 || got != code)
        tap_diag("ret %d, want %s, got %s", ret, pkixcmp_err_name(code), pkixcmp_err_name(got));
    ERR_clear_error();
    return ret == 0 && got == code;
}

/* A started listener on 127.0.0.1, port 0, with the echo handler. */
static PKIXCMP_LISTENER *listener(int threads, size_t max_body, long timeout_ms,
                                  unsigned long max_msgs, SSL_CTX *tls)
{
    PKIXCMP_LISTENER *l = pkixcmp_listener_new();

    if (l == NULL || !pkixcmp_listener_set1_host(l, "127.0.0.1")
        || !pkixcmp_listener_set_threads(l, threads) || !pkixcmp_listener_set_max_body(l, max_body)
        || !pkixcmp_listener_set_timeout(l, timeout_ms)
        || !pkixcmp_listener_set_max_msgs(l, max_msgs) || !pkixcmp_listener_set1_ssl_ctx(l, tls)
        || !pkixcmp_listener_set_handler(l, echo, NULL) || !pkixcmp_listener_start(l)) {
        ERR_print_errors_fp(stdout);
        pkixcmp_listener_free(l);
        return NULL;
    }
    return l;
}

/* ----------------------------------------------------------- tests */

static void test_arguments(void)
{
    PKIXCMP_LISTENER *l = pkixcmp_listener_new();
    char line[64];

    ok(l != NULL, "new listener");
    if (l == NULL)
        return;
    ok(refused(pkixcmp_listener_set_port(l, -1), PKIXCMP_E_INVALID_ARGUMENT), "port -1");
    ok(refused(pkixcmp_listener_set_port(l, 65536), PKIXCMP_E_INVALID_ARGUMENT), "port 65536");
    ok(pkixcmp_listener_set_port(l, 65535), "port 65535");
    ok(refused(pkixcmp_listener_set_threads(l, 0), PKIXCMP_E_INVALID_ARGUMENT), "0 threads");
    ok(refused(pkixcmp_listener_set_threads(l, PKIXCMP_LISTEN_MAX_THREADS + 1),
               PKIXCMP_E_INVALID_ARGUMENT), "too many threads");
    ok(refused(pkixcmp_listener_set_max_body(l, 0), PKIXCMP_E_INVALID_ARGUMENT), "max_body 0");
    ok(refused(pkixcmp_listener_set_timeout(l, 0), PKIXCMP_E_INVALID_ARGUMENT), "timeout 0");
    ok(refused(pkixcmp_listener_set_handler(l, NULL, NULL), PKIXCMP_E_INVALID_ARGUMENT),
       "no handler function");
    ok(refused(pkixcmp_listener_start(l), PKIXCMP_E_MISSING_PARAMETER), "start without handler");
    ok(pkixcmp_listener_port(l) == 0, "no port before start");
    ok(refused(pkixcmp_listener_accept_line(l, line, sizeof(line)), PKIXCMP_E_INVALID_ARGUMENT),
       "no ACCEPT line before start");
    ok(refused(pkixcmp_listener_wait(l), PKIXCMP_E_INVALID_ARGUMENT), "wait before start");
    pkixcmp_listener_free(l);
    pkixcmp_listener_free(NULL);
}

/* Status codes, headers and the handler's return values. */
static void test_http(int port)
{
    static const char http10[] = "POST / HTTP/1.0\r\nContent-Type: application/pkixcmp\r\n"
                                 "Content-Length: 2\r\n\r\nhi";
    struct conn *c = conn_open(port), *d;
    struct resp r;
    char big[1002], hdr[17000];

    ok(c != NULL, "connect");
    if (c == NULL)
        return;
    ok(post(c, "/pkix/", "hello", &r) && echoed(&r, "/pkix/", "hello"), "POST answered by the handler");
    ok(r.has_length && strcmp(r.cache, "no-cache") == 0 && r.connection[0] == '\0',
       "Content-Length, Cache-Control: no-cache, kept alive");
    ok(post(c, "/.well-known/cmp/p/ca1?x=1", "q", &r) && echoed(&r, "/.well-known/cmp/p/ca1", "q"),
       "the handler gets the path without the query");
    ok(send_request(c, "GET", "/pkix/", NULL, NULL, "", 0) && read_response(c, &r)
       && r.status == 405 && strcmp(r.allow, "POST") == 0, "GET: 405 with Allow: POST");
    ok(send_request(c, "PUT", "/pkix/", "application/pkixcmp", NULL, "x", 1) && read_response(c, &r)
       && r.status == 405, "PUT: 405");
    ok(post(c, "/pkix/", "after", &r) && echoed(&r, "/pkix/", "after"),
       "the connection survives a 405");
    ok(send_request(c, "POST", "/", "text/plain", NULL, "x", 1) && read_response(c, &r)
       && r.status == 415, "Content-Type text/plain: 415");
    ok(send_request(c, "POST", "/", NULL, NULL, "x", 1) && read_response(c, &r) && r.status == 415,
       "no Content-Type: 415");
    ok(send_request(c, "POST", "/", "application/pkixcmpx", NULL, "x", 1) && read_response(c, &r)
       && r.status == 415, "application/pkixcmpx: 415");
    ok(send_request(c, "POST", "/", "Application/PKIXCMP; foo=bar", NULL, "y", 1)
       && read_response(c, &r) && echoed(&r, "/", "y"), "media type with other case and parameter");
    ok(send_request(c, "POST", "/", "application/pkixcmp-poll", NULL, "z", 1)
       && read_response(c, &r) && echoed(&r, "/", "z"), "application/pkixcmp-poll (RFC 9811 4)");
    ok(send_request(c, "POST", "/", "application/pkixcmp", NULL, "", 0) && read_response(c, &r)
       && r.status == 400, "empty body: 400");
    ok(post(c, "/", "notfound", &r) && r.status == 404, "handler NOT_FOUND: 404");
    ok(post(c, "/", "empty", &r) && r.status == 500 && conn_closed(c),
       "handler REPLY without response: 500, closed");
    conn_close(c);

    c = conn_open(port);
    memset(big, 'b', sizeof(big));
    big[1000] = '\0'; /* max_body is 1000 */
    ok(c != NULL && post(c, "/", big, &r) && r.status == 200 && r.body_len == 1002,
       "body of max_body bytes: 200");
    big[1000] = 'b';
    big[1001] = '\0';
    ok(c != NULL && post(c, "/", big, &r) && r.status == 413, "body of max_body + 1 bytes: 413");
    conn_close(c);

    c = conn_open(port);
    memset(hdr, 'h', sizeof(hdr));
    memcpy(hdr, "X-Big: ", 7);
    memcpy(hdr + sizeof(hdr) - 3, "\r\n", 3);
    memcpy(hdr + 8000, "\r\n", 3);
    ok(c != NULL && send_request(c, "POST", "/", "application/pkixcmp", hdr, "x", 1)
       && read_response(c, &r) && echoed(&r, "/", "x"), "header fields of 8 KB: 200");
    memset(hdr + 8000, 'h', 3);
    ok(c != NULL && send_request(c, "POST", "/", "application/pkixcmp", hdr, "x", 1)
       && read_response(c, &r) && r.status == 400 && conn_closed(c),
       "header fields above 16 KiB: 400, closed");
    conn_close(c);

    c = conn_open(port);
    ok(c != NULL && post(c, "/", "fail", &r) && r.status == 500 && strcmp(r.connection, "close") == 0
       && conn_closed(c), "handler FAIL: 500, connection closed");
    conn_close(c);
    c = conn_open(port);
    ok(c != NULL && post(c, "/", "close", &r) && echoed(&r, "/", "close")
       && strcmp(r.connection, "close") == 0 && conn_closed(c),
       "handler REPLY_CLOSE: 200, connection closed");
    conn_close(c);
    c = conn_open(port);
    ok(c != NULL && send_request(c, "POST", "/", "application/pkixcmp", "Connection: close\r\n", "k", 1)
       && read_response(c, &r) && echoed(&r, "/", "k") && strcmp(r.connection, "close") == 0
       && conn_closed(c), "client's Connection: close is honoured");
    conn_close(c);

    d = conn_open(port);
    ok(d != NULL && conn_write(d, http10, sizeof(http10) - 1) && read_response(d, &r) && echoed(&r, "/", "hi") && r.has_length && conn_closed(d),
       "HTTP/1.0: Content-Length set, then closed");
    conn_close(d);
    d = conn_open(port);
    ok(d != NULL && conn_write(d, "GARBAGE\r\n\r\n", 11) && read_response(d, &r) && r.status == 400,
       "malformed request line: 400");
    conn_close(d);
}

/* Three requests sent at once on one connection, answered in order. */
static void test_pipelined(int port)
{
    struct conn *c = conn_open(port);
    struct resp r;
    int i, good = 1;

    ok(c != NULL, "connect");
    if (c == NULL)
        return;
    good &= send_request(c, "POST", "/a", "application/pkixcmp", NULL, "one", 3);
    good &= send_request(c, "POST", "/b", "application/pkixcmp", NULL, "two", 3);
    good &= send_request(c, "POST", "/c", "application/pkixcmp", NULL, "three", 5);
    for (i = 0; i < 3 && good; i++) {
        good = read_response(c, &r)
               && echoed(&r, i == 0 ? "/a" : i == 1 ? "/b" : "/c",
                         i == 0 ? "one" : i == 1 ? "two" : "three");
    }
    ok(good, "keep-alive: 3 pipelined requests answered in order");
    conn_close(c);
}

#define PAR_THREADS 8
#define PAR_REQUESTS 200

struct par_arg {
    int port, id, good;
};

/* PAR_REQUESTS distinct requests, a new connection every 50. */
static void *par_client(void *arg)
{
    struct par_arg *a = arg;
    struct conn *c = NULL;
    struct resp r;
    char body[64], path[32];
    int i;

    a->good = 0;
    for (i = 0; i < PAR_REQUESTS; i++) {
        if (i % 50 == 0) {
            conn_close(c);
            if ((c = conn_open(a->port)) == NULL)
                return NULL;
        }
        snprintf(path, sizeof(path), "/t%d", a->id);
        snprintf(body, sizeof(body), "request %d of thread %d", i, a->id);
        if (!post(c, path, body, &r) || !echoed(&r, path, body))
            break;
        a->good++;
        if (strcasecmp(r.connection, "close") == 0 && i % 50 != 49) { /* as HTTP clients do */
            conn_close(c);
            if ((c = conn_open(a->port)) == NULL)
                return NULL;
        }
    }
    conn_close(c);
    return NULL;
}

static void test_parallel(int port)
{
    pthread_t t[PAR_THREADS];
    struct par_arg a[PAR_THREADS];
    int i, good = 0, started = 0;

    for (i = 0; i < PAR_THREADS; i++) {
        a[i].port = port;
        a[i].id = i;
        a[i].good = 0;
        if (pthread_create(&t[i], NULL, par_client, &a[i]) != 0)
            break;
        started++;
    }
    for (i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
        good += a[i].good;
    }
    is_int(good, PAR_THREADS * PAR_REQUESTS, "8 threads x 200 requests all answered correctly");
}

/* One kept-alive client of the balancing test: BAL_REQUESTS requests,
 * connecting again when the server closes; counts those closes. */
struct bal_arg {
    int port, id, good, moved;
    struct conn *c; /* connected beforehand */
};

static void *bal_client(void *arg)
{
    struct bal_arg *a = arg;
    struct resp r;
    char body[32];
    int i;

    for (i = 0; i < BAL_REQUESTS; i++) {
        if (a->c == NULL && (a->c = conn_open(a->port)) == NULL)
            break;
        snprintf(body, sizeof(body), "bal %d %d", a->id, i);
        if (!post(a->c, "/bal", body, &r) || !echoed(&r, "/bal", body))
            break;
        a->good++;
        if (strcasecmp(r.connection, "close") == 0) {
            a->moved++;
            conn_close(a->c);
            a->c = NULL;
        }
    }
    conn_close(a->c);
    a->c = NULL;
    return NULL;
}

/*
 * Two kept-alive clients on one worker (accepted while the other worker
 * sleeps in a request): the busy worker moves one of them, which the idle
 * worker then serves; a lone client keeps its connection.
 */
static void test_balance(void)
{
    PKIXCMP_LISTENER *l = listener(2, 1000, 30000, 0, NULL);
    struct bal_arg a[BAL_CLIENTS];
    struct conn *sleeper = NULL;
    struct resp r;
    pthread_t t[BAL_CLIENTS], first0, first1;
    int i, port, started = 0, good = 0, moved = 0, lone_closed = 0;

    if (!ok(l != NULL, "balance: listener with 2 threads"))
        return;
    port = pkixcmp_listener_port(l);
    memset(a, 0, sizeof(a));
    memset(bal_thread, 0, sizeof(bal_thread));
    /* worker 1 sleeps in a request; worker 2 accepts both clients */
    if ((sleeper = conn_open(port)) == NULL
        || !send_request(sleeper, "POST", "/s", "application/pkixcmp", NULL, "sleep", 5))
        goto out;
    sleep_ms(100);
    for (i = 0; i < BAL_CLIENTS; i++) {
        a[i].port = port;
        a[i].id = i;
        if ((a[i].c = conn_open(port)) == NULL)
            goto out;
    }
    ok(read_response(sleeper, &r) && r.status == 200, "balance: the sleeping request answered");
    for (i = 0; i < BAL_CLIENTS; i++) {
        if (pthread_create(&t[i], NULL, bal_client, &a[i]) != 0)
            break;
        started++;
    }
    for (i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
        good += a[i].good;
        moved += a[i].moved;
    }
    is_int(good, BAL_CLIENTS * BAL_REQUESTS, "balance: every request answered");
    first0 = bal_thread[0][0];
    first1 = bal_thread[1][0];
    if (!ok(pthread_equal(first0, first1), "balance: both clients started on one worker"))
        goto out;
    ok(moved >= 1, "balance: a client was asked to connect again (%d times)", moved);
    ok(!pthread_equal(bal_thread[0][BAL_REQUESTS - 1], bal_thread[1][BAL_REQUESTS - 1]),
       "balance: the clients ended on different workers");
    ok(moved <= 20, "balance: a few moves, not one per request (%d)", moved);

    /* one client alone: never moved */
    conn_close(sleeper);
    if ((sleeper = conn_open(port)) == NULL)
        goto out;
    sleep_ms(50);
    for (i = 0; i < 200; i++) {
        if (!post(sleeper, "/lone", "lone", &r) || !echoed(&r, "/lone", "lone"))
            break;
        lone_closed += strcasecmp(r.connection, "close") == 0;
    }
    ok(i == 200 && lone_closed == 0, "balance: a lone client keeps its connection");
out:
    for (i = 0; i < BAL_CLIENTS; i++)
        conn_close(a[i].c);
    conn_close(sleeper);
    pkixcmp_listener_free(l);
}

/* A client that vanishes in the middle of a request. */
static void test_vanishing_client(int port)
{
    static const char half[] = "POST / HTTP/1.1\r\nContent-Type: application/pkixcmp\r\n"
                               "Content-Length: 100\r\n\r\nabc";
    struct conn *c = conn_open(port), *d;
    struct linger reset = {1, 0};
    struct resp r;

    ok(c != NULL && conn_write(c, half, sizeof(half) - 1), "half a request sent");
    conn_close(c);
    c = conn_open(port);
    ok(c != NULL && conn_write(c, half, 20), "half a request line sent");
    conn_close(c);
    /* writing on after the reset must not end the server (SIGPIPE is blocked
     * in the workers; mostly libevent reads the reset before it writes) */
    c = conn_open(port);
    ok(c != NULL && send_request(c, "POST", "/", "application/pkixcmp", NULL, "huge", 4)
       && shutdown(c->fd, SHUT_WR) == 0 && conn_fill(c) > 0 && setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset)) == 0,
       "a client resets the connection during a 16 MiB response");
    conn_close(c);
    d = conn_open(port);
    ok(d != NULL && post(d, "/", "still", &r) && echoed(&r, "/", "still"),
       "served after clients vanished mid-request and mid-response");
    conn_close(d);
}

/* A stalled client is dropped after the timeout; the one worker serves
 * others meanwhile. */
static void test_slow_client(void)
{
    static const char half[] = "POST / HTTP/1.1\r\nContent-Type: application/pkixcmp\r\n"
                               "Content-Length: 10\r\n\r\nabc";
    PKIXCMP_LISTENER *l = listener(1, 1000, 300, 0, NULL);
    struct conn *slow = NULL, *other = NULL;
    struct resp r;
    int port = l != NULL ? pkixcmp_listener_port(l) : 0;

    ok(l != NULL, "listener with 1 thread and a 300 ms timeout");
    if (l == NULL)
        return;
    slow = conn_open(port);
    ok(slow != NULL && conn_write(slow, half, sizeof(half) - 1), "slow client sent half a request");
    other = conn_open(port);
    ok(other != NULL && post(other, "/", "meanwhile", &r) && echoed(&r, "/", "meanwhile"),
       "another client is served while the slow one stalls");
    ok(slow != NULL && conn_closed(slow), "the stalled client is disconnected after the timeout");
    ok(other != NULL && conn_closed(other), "an idle keep-alive connection times out too");
    conn_close(slow);
    conn_close(other);
    pkixcmp_listener_free(l);
}

/* 1 if nothing accepts connections on port any more. */
static int refused_connect(int port)
{
    int fd = tcp_connect(port);

    if (fd >= 0)
        close(fd);
    return fd < 0 && errno == ECONNREFUSED;
}

static void test_max_msgs(void)
{
    PKIXCMP_LISTENER *l = listener(2, 1000, 30000, 5, NULL);
    int port = l != NULL ? pkixcmp_listener_port(l) : 0, i, good = 1;
    struct conn *c;
    struct resp r;
    unsigned long before = atomic_load(&handled);

    ok(l != NULL, "listener with max_msgs 5");
    if (l == NULL)
        return;
    c = conn_open(port);
    for (i = 0; i < 5 && good; i++)
        good = c != NULL && post(c, "/", "m", &r) && echoed(&r, "/", "m");
    ok(good, "5 requests answered");
    ok(strcmp(r.connection, "close") == 0 && conn_closed(c), "the 5th response closes");
    conn_close(c);
    ok(pkixcmp_listener_wait(l), "wait() returns after 5 requests");
    is_int(pkixcmp_listener_served(l), 5, "served 5");
    is_int(atomic_load(&handled) - before, 5, "the handler was called 5 times");
    ok(refused_connect(port), "the port is closed");
    ok(refused(pkixcmp_listener_wait(l), PKIXCMP_E_INVALID_ARGUMENT), "wait() twice");
    pkixcmp_listener_free(l);
}

static void *stopper(void *arg)
{
    pkixcmp_listener_stop(arg);
    return NULL;
}

static void test_stop(void)
{
    PKIXCMP_LISTENER *l = listener(4, 1000, 30000, 0, NULL);
    int port = l != NULL ? pkixcmp_listener_port(l) : 0;
    struct conn *idle;
    struct resp r;
    pthread_t t;

    ok(l != NULL, "listener for stop()");
    if (l == NULL)
        return;
    idle = conn_open(port);
    ok(idle != NULL && post(idle, "/", "x", &r) && r.status == 200, "a keep-alive connection");
    ok(pthread_create(&t, NULL, stopper, l) == 0, "stop() from another thread");
    ok(pkixcmp_listener_wait(l), "wait() returns");
    pthread_join(t, NULL);
    ok(idle != NULL && conn_closed(idle), "the idle connection was closed, not left to time out");
    ok(refused_connect(port), "the port is closed");
    conn_close(idle);
    ok(refused(pkixcmp_listener_set_port(l, 1), PKIXCMP_E_INVALID_ARGUMENT),
       "no configuration after start");
    ok(refused(pkixcmp_listener_start(l), PKIXCMP_E_INVALID_ARGUMENT), "no second start");
    pkixcmp_listener_free(l);

    l = pkixcmp_listener_new();
    pkixcmp_listener_stop(l);
    ok(l != NULL && pkixcmp_listener_set_handler(l, echo, NULL) && pkixcmp_listener_start(l)
       && pkixcmp_listener_wait(l), "stop() before start(): wait() returns at once");
    pkixcmp_listener_free(l);

    /* free() of a running listener stops it */
    l = listener(2, 1000, 30000, 0, NULL);
    ok(l != NULL, "a listener freed while running");
    pkixcmp_listener_free(l);
}

static void test_signal(void)
{
    PKIXCMP_LISTENER *l = pkixcmp_listener_new();

    ok(l != NULL && pkixcmp_listener_set1_host(l, "127.0.0.1")
       && pkixcmp_listener_set_handler(l, echo, NULL) && pkixcmp_listener_stop_on_signals(l)
       && pkixcmp_listener_start(l), "listener stopping on signals");
    ok(kill(getpid(), SIGTERM) == 0 && pkixcmp_listener_wait(l), "SIGTERM stops it");
    pkixcmp_listener_free(l);
}

static void test_accept_line(void)
{
    PKIXCMP_LISTENER *l = listener(1, 1000, 30000, 0, NULL), *all = pkixcmp_listener_new(), *dup;
    char line[64], want[64], want4[64];
    struct conn *c;
    struct resp r;
    int port;

    snprintf(want, sizeof(want), "ACCEPT 127.0.0.1:%d PID=%ld", l != NULL ? pkixcmp_listener_port(l) : 0,
             (long)getpid());
    ok(l != NULL && pkixcmp_listener_accept_line(l, line, sizeof(line)), "ACCEPT line");
    is_str(line, want, "ACCEPT line of 127.0.0.1");
    ok(l != NULL && refused(pkixcmp_listener_accept_line(l, line, strlen(want)),
                            PKIXCMP_E_INVALID_ARGUMENT), "buffer one byte short");

    ok(all != NULL && pkixcmp_listener_set1_host(all, "") && pkixcmp_listener_set_threads(all, 1)
       && pkixcmp_listener_set_handler(all, echo, NULL) && pkixcmp_listener_start(all),
       "listener on all interfaces");
    port = all != NULL ? pkixcmp_listener_port(all) : 0;
    snprintf(want, sizeof(want), "ACCEPT [::]:%d PID=%ld", port, (long)getpid());
    snprintf(want4, sizeof(want4), "ACCEPT 0.0.0.0:%d PID=%ld", port, (long)getpid());
    ok(all != NULL && pkixcmp_listener_accept_line(all, line, sizeof(line))
       && (strcmp(line, want) == 0 || strcmp(line, want4) == 0), "ACCEPT line of all interfaces");
    tap_diag("%s", line);
    c = conn_open(port);
    ok(c != NULL && post(c, "/", "v4", &r) && echoed(&r, "/", "v4"),
       "all interfaces take IPv4 connections");
    conn_close(c);

    dup = pkixcmp_listener_new();
    ok(dup != NULL && pkixcmp_listener_set1_host(dup, "127.0.0.1")
       && pkixcmp_listener_set_port(dup, pkixcmp_listener_port(l))
       && pkixcmp_listener_set_handler(dup, echo, NULL)
       && refused(pkixcmp_listener_start(dup), PKIXCMP_E_IO), "a port in use: start fails");
    ok(dup != NULL && pkixcmp_listener_port(dup) == 0, "no port after a failed start");
    pkixcmp_listener_free(dup);
    pkixcmp_listener_free(all);
    pkixcmp_listener_free(l);
}

/* ----------------------------------------------------------- TLS */

static X509 *load_cert(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    FILE *f = path != NULL ? fopen(path, "r") : NULL;
    X509 *x = f != NULL ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

    if (f != NULL)
        fclose(f);
    free(path);
    return x;
}

static SSL_CTX *server_tls(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    char *key = tu_data_path("test/certs", "tls_server.key");
    X509 *cert = load_cert("tls_server.crt"), *interm = load_cert("interm.crt");
    int good = ctx != NULL && key != NULL && cert != NULL && interm != NULL
               && SSL_CTX_use_certificate(ctx, cert)
               && SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM)
               && SSL_CTX_add1_chain_cert(ctx, interm);

    X509_free(cert);
    X509_free(interm);
    free(key);
    if (!good) {
        ERR_print_errors_fp(stdout);
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* A TLS client connection that verifies the server as "localhost". */
static struct conn *tls_open(int port, SSL_CTX *cctx)
{
    struct conn *c = conn_open(port);

    if (c == NULL || (c->ssl = SSL_new(cctx)) == NULL || !SSL_set_fd(c->ssl, c->fd)
        || !SSL_set1_host(c->ssl, "localhost") || SSL_connect(c->ssl) != 1) {
        ERR_print_errors_fp(stdout);
        conn_close(c);
        return NULL;
    }
    return c;
}

static void test_tls(void)
{
    SSL_CTX *sctx = server_tls(), *cctx = SSL_CTX_new(TLS_client_method());
    char *trusted = tu_data_path("test/certs", "trusted.pem");
    PKIXCMP_LISTENER *l = NULL;
    struct conn *c = NULL, *plain = NULL;
    struct resp r;
    int port = 0, i, good = 1;

    ok(sctx != NULL && cctx != NULL && trusted != NULL
       && SSL_CTX_load_verify_locations(cctx, trusted, NULL), "TLS contexts");
    if (sctx == NULL || cctx == NULL)
        goto out;
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    l = listener(2, 1000, 30000, 0, sctx);
    ok(l != NULL, "HTTPS listener");
    if (l == NULL)
        goto out;
    port = pkixcmp_listener_port(l);
    c = tls_open(port, cctx);
    ok(c != NULL, "TLS handshake, server verified as localhost");
    for (i = 0; i < 3 && good; i++)
        good = c != NULL && post(c, "/pkix/", "over TLS", &r) && echoed(&r, "/pkix/", "over TLS");
    ok(good, "3 POSTs over one TLS connection: 200");
    plain = conn_open(port);
    ok(plain != NULL && (!post(plain, "/", "plain", &r) || r.status != 200),
       "plain HTTP on the HTTPS port is not served");
out:
    conn_close(c);
    conn_close(plain);
    pkixcmp_listener_free(l);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    free(trusted);
}

/* ----------------------------------------------------------- memory */

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    long kib = -1;

    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    }
    if (f != NULL)
        fclose(f);
    return kib;
}

/* In a child process: n keep-alive connections with one request each,
 * reported on ready[1], held until go[0] says so. */
static void idle_client(int port, int n, int ready, int go)
{
    struct conn **c = calloc((size_t)n, sizeof(*c));
    struct resp r;
    int i, open = 0;
    char b;

    for (i = 0; c != NULL && i < n; i++) {
        if ((c[i] = conn_open(port)) == NULL || !post(c[i], "/", "m", &r))
            break;
        open++;
    }
    if (write(ready, &open, sizeof(open)) != sizeof(open) || read(go, &b, 1) < 0)
        open = 0;
    for (i = 0; i < open; i++)
        conn_close(c[i]);
    free(c);
    _exit(0);
}

/* Not a check: prints how much the listener's process grows for n idle
 * keep-alive connections (the clients run in a child process). */
static void measure_idle(int n)
{
    PKIXCMP_LISTENER *l = listener(4, 1000, 60000, 0, NULL);
    int ready[2] = {-1, -1}, go[2] = {-1, -1}, open = 0;
    long before, after;
    pid_t pid;

    if (l == NULL || pipe(ready) != 0 || pipe(go) != 0)
        goto out;
    before = rss_kib();
    if ((pid = fork()) == 0)
        idle_client(pkixcmp_listener_port(l), n, ready[1], go[0]);
    if (pid < 0 || read(ready[0], &open, sizeof(open)) != sizeof(open))
        goto out;
    after = rss_kib();
    tap_diag("%d idle keep-alive connections: listener RSS +%ld KiB (%ld bytes each)", open,
             after - before, open > 0 ? (after - before) * 1024 / open : 0);
    if (write(go[1], "", 1) != 1 || waitpid(pid, NULL, 0) != pid)
        tap_diag("the client process did not end");
out:
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
    pkixcmp_listener_free(l);
}

int main(void)
{
    PKIXCMP_LISTENER *l;
    const char *mem = getenv("LISTEN_MEM_CONNS");
    int port;

    test_arguments();
    l = listener(4, 1000, 30000, 0, NULL);
    ok(l != NULL, "listener on 127.0.0.1 port 0 with 4 threads");
    if (l != NULL) {
        port = pkixcmp_listener_port(l);
        ok(port > 0, "bound to a port");
        test_http(port);
        test_pipelined(port);
        test_parallel(port);
        test_vanishing_client(port);
        test_accept_line();
        pkixcmp_listener_free(l);
    }
    test_balance();
    test_slow_client();
    test_max_msgs();
    test_stop();
    test_signal();
    test_tls();
    if (mem != NULL)
        measure_idle((int)strtol(mem, NULL, 10));
    return tap_done();
}
