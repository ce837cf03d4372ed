/*
 * httpsrv.c - the test server of httpsrv.h. Small and strict: Content-Length
 * bodies only (pkixcmp sends no chunked requests), headers up to 16 kB.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/x509.h>
#include "httpsrv.h"

#define MAX_THREADS 128
#define MAX_FDS 256
#define MAX_HEAD 16384

struct httpsrv {
    int lfd, port;
    SSL_CTX *tls;
    pthread_t acceptor;
    pthread_mutex_t lock;
    struct httpsrv_cfg cfg;
    struct httpsrv_stats stats;
    int stopping;
    pthread_t threads[MAX_THREADS];
    int nthreads;
    int fds[MAX_FDS]; /* open sockets, -1 = free slot */
};

/* One connection: socket, TLS, bytes read ahead. */
struct conn {
    HTTPSRV *s;
    int fd;
    SSL *ssl;
    unsigned char buf[MAX_HEAD + 65536];
    size_t have;
};

/* One parsed request. */
struct req {
    char method[16], target[256], version[16];
    char ctype[128], connection[64];
    int has_expect;
    size_t clen, head_len;
};

static void fd_register(HTTPSRV *s, int fd)
{
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < MAX_FDS; i++) {
        if (s->fds[i] == -1) {
            s->fds[i] = fd;
            break;
        }
    }
    if (s->stopping)
        shutdown(fd, SHUT_RDWR);
    pthread_mutex_unlock(&s->lock);
}

static void fd_close(HTTPSRV *s, int fd)
{
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < MAX_FDS; i++) {
        if (s->fds[i] == fd)
            s->fds[i] = -1;
    }
    pthread_mutex_unlock(&s->lock);
    close(fd);
}

static long c_read(struct conn *c, void *buf, size_t n)
{
    if (c->ssl != NULL)
        return SSL_read(c->ssl, buf, n > 65536 ? 65536 : (int)n);
    return (long)recv(c->fd, buf, n, 0);
}

static int c_write(struct conn *c, const void *buf, size_t n)
{
    const unsigned char *p = buf;

    while (n > 0) {
        long w = c->ssl != NULL ? SSL_write(c->ssl, p, (int)n)
                                : (long)send(c->fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return 0;
        p += w;
        n -= (size_t)w;
    }
    return 1;
}

/* Copies the value of header name from the head into dst ("" if absent). */
static int header(const char *head, const char *name, char *dst, size_t size)
{
    size_t n = strlen(name);
    const char *p = strstr(head, "\r\n");

    dst[0] = '\0';
    for (; p != NULL && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2, *end = strstr(line, "\r\n");
        size_t len;

        if (strncasecmp(line, name, n) != 0 || line[n] != ':' || end == NULL)
            continue;
        line += n + 1;
        line += strspn(line, " \t");
        len = (size_t)(end - line) < size - 1 ? (size_t)(end - line) : size - 1;
        memcpy(dst, line, len);
        dst[len] = '\0';
        return 1;
    }
    return 0;
}

/* Reads the next request head and body (into c->buf); 0 at EOF or error. */
static int read_request(struct conn *c, struct req *r)
{
    char *end, num[32], expect[64];
    size_t need;

    memset(r, 0, sizeof(*r));
    for (;;) {
        c->buf[c->have] = '\0';
        if ((end = strstr((char *)c->buf, "\r\n\r\n")) != NULL)
            break;
        if (c->have >= MAX_HEAD)
            return 0;
        long n = c_read(c, c->buf + c->have, MAX_HEAD - c->have);
        if (n <= 0)
            return 0;
        c->have += (size_t)n;
        if (c->buf[0] < 'A' || c->buf[0] > 'Z')
            return 0; /* not HTTP (a TLS ClientHello, say): hang up */
    }
    r->head_len = (size_t)(end - (char *)c->buf) + 4;
    end[2] = '\0'; /* the head ends with its last CRLF */
    if (sscanf((char *)c->buf, "%15s %255s %15s", r->method, r->target, r->version) != 3)
        return 0;
    header((char *)c->buf, "Content-Type", r->ctype, sizeof(r->ctype));
    header((char *)c->buf, "Connection", r->connection, sizeof(r->connection));
    r->has_expect = header((char *)c->buf, "Expect", expect, sizeof(expect));
    if (header((char *)c->buf, "Content-Length", num, sizeof(num)))
        r->clen = strtoul(num, NULL, 10);
    if (r->clen > sizeof(c->buf) - 1 - r->head_len)
        return 0;
    for (need = r->head_len + r->clen; c->have < need;) {
        long n = c_read(c, c->buf + c->have, need - c->have);
        if (n <= 0)
            return 0;
        c->have += (size_t)n;
    }
    return 1;
}

/* Drops the request just handled from the read-ahead buffer. */
static void consume(struct conn *c, const struct req *r)
{
    size_t used = r->head_len + r->clen;

    memmove(c->buf, c->buf + used, c->have - used);
    c->have -= used;
}

/* Sends the configured answer; returns 1 if the connection stays open. */
static int respond(struct conn *c, const struct httpsrv_cfg *cfg, const struct req *r)
{
    const unsigned char *req_body = c->buf + r->head_len;
    int status = cfg->status != 0 ? cfg->status : 200;
    const char *reason = cfg->reason != NULL ? cfg->reason : "OK";
    size_t len = cfg->echo ? r->clen : cfg->body_len;
    int close_it = cfg->close || cfg->no_length || strcasecmp(r->connection, "close") == 0
        || (strcmp(r->version, "HTTP/1.0") == 0 && strcasecmp(r->connection, "keep-alive") != 0);
    char head[1024], extra[512] = "";
    unsigned char *body;
    int n, ok;

    if (cfg->redirect_to != NULL && strcmp(r->target, cfg->redirect_to) != 0) {
        status = 302;
        reason = "Found";
        len = 0;
        snprintf(extra, sizeof(extra), "Location: %s\r\n", cfg->redirect_to);
    }
    if ((body = malloc(len + 1)) == NULL)
        return 0;
    for (size_t i = 0; i < len; i++)
        body[i] = cfg->echo ? req_body[i] : (unsigned char)(0x30 + i % 10);
    n = snprintf(head, sizeof(head), "HTTP/1.%d %d %s\r\n%s%s%s%s", cfg->http10 ? 0 : 1,
                 status, reason, extra, cfg->ctype != NULL ? "Content-Type: " : "",
                 cfg->ctype != NULL ? cfg->ctype : "", cfg->ctype != NULL ? "\r\n" : "");
    if (!cfg->no_length)
        n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %zu\r\n", len);
    if (close_it)
        n += snprintf(head + n, sizeof(head) - (size_t)n, "Connection: close\r\n");
    else if (cfg->http10)
        n += snprintf(head + n, sizeof(head) - (size_t)n, "Connection: keep-alive\r\n");
    n += snprintf(head + n, sizeof(head) - (size_t)n, "\r\n");
    ok = c_write(c, head, (size_t)n) && c_write(c, body, len);
    free(body);
    return ok && !close_it;
}

/* CONNECT 127.0.0.1:port: relays bytes both ways until one side closes. */
static void tunnel(struct conn *c, const struct req *r)
{
    const char *colon = strrchr(r->target, ':');
    struct sockaddr_in sa;
    struct pollfd p[2];
    unsigned char buf[16384];
    static const char ok[] = "HTTP/1.1 200 Connection established\r\n\r\n";
    int up;

    if (colon == NULL || (up = socket(AF_INET, SOCK_STREAM, 0)) < 0)
        return;
    fd_register(c->s, up);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)strtoul(colon + 1, NULL, 10));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(up, (struct sockaddr *)&sa, sizeof(sa)) != 0 || !c_write(c, ok, sizeof(ok) - 1))
        goto out;
    consume(c, r);
    if (c->have > 0 && send(up, c->buf, c->have, MSG_NOSIGNAL) != (long)c->have)
        goto out;
    p[0].fd = c->fd;
    p[1].fd = up;
    p[0].events = p[1].events = POLLIN;
    while (poll(p, 2, -1) > 0) {
        for (int i = 0; i < 2; i++) {
            long n;

            if (p[i].revents == 0)
                continue;
            if ((n = recv(p[i].fd, buf, sizeof(buf), 0)) <= 0
                || send(p[1 - i].fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
                goto out;
        }
    }
out:
    fd_close(c->s, up);
}

static void record(HTTPSRV *s, const struct req *r)
{
    pthread_mutex_lock(&s->lock);
    s->stats.requests++;
    snprintf(s->stats.method, sizeof(s->stats.method), "%s", r->method);
    snprintf(s->stats.target, sizeof(s->stats.target), "%s", r->target);
    snprintf(s->stats.ctype, sizeof(s->stats.ctype), "%s", r->ctype);
    snprintf(s->stats.connection, sizeof(s->stats.connection), "%s", r->connection);
    s->stats.has_expect = r->has_expect;
    s->stats.body_len = r->clen;
    pthread_mutex_unlock(&s->lock);
}

static int tls_accept(struct conn *c)
{
    HTTPSRV *s = c->s;
    X509 *peer;

    if ((c->ssl = SSL_new(s->tls)) == NULL || !SSL_set_fd(c->ssl, c->fd)
        || SSL_accept(c->ssl) != 1) {
        pthread_mutex_lock(&s->lock);
        s->stats.tls_failures++;
        pthread_mutex_unlock(&s->lock);
        /* let the client read our alert: closing with its request unread
         * would reset the connection and could drop the alert */
        shutdown(c->fd, SHUT_WR);
        while (recv(c->fd, c->buf, sizeof(c->buf), 0) > 0)
            ;
        return 0;
    }
    if ((peer = SSL_get1_peer_certificate(c->ssl)) != NULL) {
        pthread_mutex_lock(&s->lock);
        X509_NAME_oneline(X509_get_subject_name(peer), s->stats.client_cert,
                          sizeof(s->stats.client_cert));
        pthread_mutex_unlock(&s->lock);
        X509_free(peer);
    }
    return 1;
}

static void *serve(void *arg)
{
    struct conn *c = arg;
    HTTPSRV *s = c->s;
    struct httpsrv_cfg cfg;
    struct req r;

    if (s->tls != NULL && !tls_accept(c))
        goto out;
    while (read_request(c, &r)) {
        pthread_mutex_lock(&s->lock);
        cfg = s->cfg;
        pthread_mutex_unlock(&s->lock);
        if (cfg.proxy && strcmp(r.method, "CONNECT") == 0) {
            pthread_mutex_lock(&s->lock);
            s->stats.tunnels++;
            snprintf(s->stats.tunnel_to, sizeof(s->stats.tunnel_to), "%s", r.target);
            pthread_mutex_unlock(&s->lock);
            tunnel(c, &r);
            break;
        }
        record(s, &r);
        if (cfg.hang) {
            while (c_read(c, c->buf, sizeof(c->buf) - 1) > 0) /* until the client gives up */
                ;
            break;
        }
        if (!respond(c, &cfg, &r))
            break;
        consume(c, &r);
    }
out:
    SSL_free(c->ssl);
    fd_close(s, c->fd);
    free(c);
    return NULL;
}

static void *accept_loop(void *arg)
{
    HTTPSRV *s = arg;

    for (;;) {
        int fd = accept(s->lfd, NULL, NULL);
        struct conn *c;

        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            break; /* shut down */
        }
        fd_register(s, fd);
        pthread_mutex_lock(&s->lock);
        s->stats.connections++;
        c = s->nthreads < MAX_THREADS && !s->stopping ? calloc(1, sizeof(*c)) : NULL;
        if (c != NULL) {
            c->s = s;
            c->fd = fd;
            if (pthread_create(&s->threads[s->nthreads], NULL, serve, c) == 0)
                s->nthreads++;
            else
                free(c), c = NULL;
        }
        pthread_mutex_unlock(&s->lock);
        if (c == NULL)
            fd_close(s, fd);
    }
    return NULL;
}

HTTPSRV *httpsrv_start(const struct httpsrv_cfg *cfg, SSL_CTX *tls)
{
    HTTPSRV *s = calloc(1, sizeof(*s));
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    int one = 1;

    if (s == NULL)
        return NULL;
    pthread_mutex_init(&s->lock, NULL);
    for (int i = 0; i < MAX_FDS; i++)
        s->fds[i] = -1;
    s->cfg = *cfg;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((s->lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0
        || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0
        || bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s->lfd, 64) != 0
        || getsockname(s->lfd, (struct sockaddr *)&sa, &salen) != 0) {
        fprintf(stderr, "# httpsrv: cannot listen on 127.0.0.1: %s\n", strerror(errno));
        goto err;
    }
    s->port = ntohs(sa.sin_port);
    if (tls != NULL && !SSL_CTX_up_ref(tls))
        goto err;
    s->tls = tls;
    if (pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
        SSL_CTX_free(s->tls);
        goto err;
    }
    return s;
err:
    if (s->lfd >= 0)
        close(s->lfd);
    pthread_mutex_destroy(&s->lock);
    free(s);
    return NULL;
}

int httpsrv_port(const HTTPSRV *s)
{
    return s->port;
}

void httpsrv_configure(HTTPSRV *s, const struct httpsrv_cfg *cfg)
{
    pthread_mutex_lock(&s->lock);
    s->cfg = *cfg;
    pthread_mutex_unlock(&s->lock);
}

struct httpsrv_stats httpsrv_stats(HTTPSRV *s)
{
    struct httpsrv_stats st;

    pthread_mutex_lock(&s->lock);
    st = s->stats;
    pthread_mutex_unlock(&s->lock);
    return st;
}

void httpsrv_reset(HTTPSRV *s)
{
    pthread_mutex_lock(&s->lock);
    memset(&s->stats, 0, sizeof(s->stats));
    pthread_mutex_unlock(&s->lock);
}

void httpsrv_stop(HTTPSRV *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    shutdown(s->lfd, SHUT_RDWR);
    for (int i = 0; i < MAX_FDS; i++) {
        if (s->fds[i] != -1)
            shutdown(s->fds[i], SHUT_RDWR);
    }
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->acceptor, NULL);
    /* no new threads now; the list is stable */
    for (int i = 0; i < s->nthreads; i++)
        pthread_join(s->threads[i], NULL);
    close(s->lfd);
    SSL_CTX_free(s->tls);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
