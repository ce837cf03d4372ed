/*
 * tcp_relay.c - test tool: a peer in the middle on 127.0.0.1, for recipes
 * that test HTTPS, proxies and connection reuse with real sockets.
 *
 *   tcp_relay -mode tcp|tls|proxy|sink [-to host:port] [-port n]
 *             [-cert file -key file [-chain file]] [-client_ca file]
 *             [-max_tls 1.2|1.3] [-count file] [-idle seconds]
 *
 * Modes:
 *   tcp    relays each connection to -to, byte for byte (to count them)
 *   tls    terminates TLS with -cert/-key (and -chain, sent after the
 *          certificate; -client_ca requires a client certificate that
 *          verifies against that file) and relays the plaintext to -to
 *   proxy  an HTTP forward proxy: absolute-form requests ("POST
 *          http://host:port/path HTTP/1.1") go to that host in origin form
 *          ("POST /path HTTP/1.1", Proxy-* headers dropped); CONNECT
 *          host:port opens a tunnel. All requests on one client
 *          connection must go to the same host and port (the parser is
 *          in tcp_relay_proxy.c).
 *   sink   accepts and reads everything, never answers (for timeouts)
 *
 * It prints "PORT <n>" on stdout once listening, writes the number of
 * accepted client connections to -count after each accept and at exit,
 * logs one line per event on stderr ("accept 1", "tls 1 ok TLSv1.3
 * client=/C=DE/...", "tls 1 failed: <reason>", "request 1 POST
 * http://..." and "tunnel 1 host:port" (proxy), "backend 1 host:port",
 * "close 1 up <bytes> down <bytes>"), and stops on SIGTERM or SIGINT, or
 * after -idle seconds (default 60) without an accept or a byte relayed,
 * so a test never hangs on it. Exit status 0, or 2 for bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
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
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include "tcp_relay.h"

enum mode { MODE_TCP, MODE_TLS, MODE_PROXY, MODE_SINK };

static struct {
    enum mode mode;
    const char *to, *count_file;
    int port, idle, max_tls;
    SSL_CTX *tls;
} cfg;

static volatile sig_atomic_t stop;
static atomic_long last_activity;
static atomic_int n_accepted;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void activity(void)
{
    atomic_store(&last_activity, (long)time(NULL));
}

void relay_log(const char *fmt, ...)
{
    va_list ap;

    pthread_mutex_lock(&out_lock);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    pthread_mutex_unlock(&out_lock);
}

/* The count, written to a temporary file and renamed, so a reader never
 * sees a partial number. */
static void write_count(void)
{
    char tmp[4096];
    FILE *f;

    if (cfg.count_file == NULL)
        return;
    pthread_mutex_lock(&out_lock);
    snprintf(tmp, sizeof(tmp), "%s.tmp", cfg.count_file);
    if ((f = fopen(tmp, "w")) != NULL) {
        fprintf(f, "%d\n", atomic_load(&n_accepted));
        if (fclose(f) == 0)
            rename(tmp, cfg.count_file);
    }
    pthread_mutex_unlock(&out_lock);
}

/* The reason on top of OpenSSL's error queue (cleared). */
static const char *ssl_reason(char *buf, size_t size)
{
    unsigned long e = ERR_peek_last_error();

    snprintf(buf, size, "%s", e != 0 ? "" : "no OpenSSL error");
    if (e != 0)
        ERR_error_string_n(e, buf, size);
    ERR_clear_error();
    return buf;
}

/* ---------------------------------------------------------------- sockets */

static int set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

/* "host:port" or "[v6]:port" split into host and port strings. */
static int split_authority(const char *text, char *host, size_t hsize, char *port,
                           size_t psize)
{
    const char *colon, *h = text, *hend;

    if (*text == '[') {
        h = text + 1;
        if ((hend = strchr(h, ']')) == NULL || hend[1] != ':')
            return 0;
        colon = hend + 1;
    } else {
        if ((colon = strrchr(text, ':')) == NULL)
            return 0;
        hend = colon;
    }
    if (hend == h || (size_t)(hend - h) >= hsize || strlen(colon + 1) >= psize
        || colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1))
        return 0;
    memcpy(host, h, (size_t)(hend - h));
    host[hend - h] = '\0';
    snprintf(port, psize, "%s", colon + 1);
    return 1;
}

/* Waits for a non-blocking connect within the idle time. */
static int connect_wait(int fd, const struct sockaddr *sa, socklen_t len)
{
    struct pollfd p = { fd, POLLOUT, 0 };
    int err = 0;
    socklen_t elen = sizeof(err);

    if (connect(fd, sa, len) == 0)
        return 1;
    if (errno != EINPROGRESS || poll(&p, 1, cfg.idle * 1000) != 1
        || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0)
        return 0;
    errno = err;
    return err == 0;
}

/* A non-blocking connection to "host:port", or -1 (errno set). */
int relay_connect(const char *authority)
{
    struct addrinfo hints, *res = NULL, *ai;
    char host[256], port[16];
    int fd = -1, one = 1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    if (!split_authority(authority, host, sizeof(host), port, sizeof(port))) {
        errno = EINVAL;
        return -1;
    }
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        errno = EHOSTUNREACH;
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
            continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (set_nonblocking(fd) && connect_wait(fd, ai->ai_addr, ai->ai_addrlen))
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* ---------------------------------------------------------------- ends */

/* A read or write that did not complete: IO_BLOCK (want says for what to
 * poll), 0 for the end of a TLS stream, or IO_ERR. */
static long end_io_blocked(const struct end *e, int r, short *want)
{
    if (e->ssl == NULL) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return IO_BLOCK;
        return IO_ERR;
    }
    switch (SSL_get_error(e->ssl, r)) {
    case SSL_ERROR_WANT_READ:
        *want = POLLIN;
        return IO_BLOCK;
    case SSL_ERROR_WANT_WRITE:
        *want = POLLOUT;
        return IO_BLOCK;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    default:
        ERR_clear_error();
        return IO_ERR;
    }
}

/* Bytes read (> 0), 0 at the end, IO_BLOCK or IO_ERR. */
static long end_read(const struct end *e, unsigned char *buf, size_t len, short *want)
{
    ssize_t n;
    size_t got = 0;
    int r;

    *want = POLLIN;
    if (e->ssl == NULL) {
        n = recv(e->fd, buf, len, 0);
        return n >= 0 ? (long)n : end_io_blocked(e, -1, want);
    }
    r = SSL_read_ex(e->ssl, buf, len, &got);
    return r == 1 ? (long)got : end_io_blocked(e, r, want);
}

/* Bytes written (> 0), IO_BLOCK or IO_ERR. */
static long end_write(const struct end *e, const unsigned char *buf, size_t len, short *want)
{
    ssize_t n;
    size_t put = 0;
    int r;

    *want = POLLOUT;
    if (e->ssl == NULL) {
        n = send(e->fd, buf, len, MSG_NOSIGNAL);
        return n > 0 ? (long)n : end_io_blocked(e, -1, want);
    }
    r = SSL_write_ex(e->ssl, buf, len, &put);
    if (r == 1)
        return (long)put;
    return end_io_blocked(e, r, want) == IO_BLOCK ? IO_BLOCK : IO_ERR;
}

/* No more data to this end: close_notify (best effort) and FIN. */
static void end_shut_write(const struct end *e)
{
    if (e->ssl != NULL) {
        SSL_shutdown(e->ssl);
        ERR_clear_error();
    }
    shutdown(e->fd, SHUT_WR);
}

/* Sends a short text to a fresh connection, waiting a little if needed. */
void relay_say(const struct end *e, const char *text)
{
    size_t off = 0, len = strlen(text);
    struct pollfd p = { e->fd, POLLOUT, 0 };
    short want;
    long n;

    while (off < len) {
        n = end_write(e, (const unsigned char *)text + off, len - off, &want);
        if (n == IO_ERR || (n == IO_BLOCK && poll(&p, 1, 1000) != 1))
            return;
        if (n > 0)
            off += (size_t)n;
    }
}

/* Appends text to the direction's output. */
int relay_put(struct dir *d, const void *data, size_t len)
{
    if (len > sizeof(d->buf) - d->len)
        return 0;
    memcpy(d->buf + d->len, data, len);
    d->len += len;
    return 1;
}

/* ---------------------------------------------------------------- relay */

/* Moves what can be moved in one direction without blocking. Returns 0 on
 * an error that ends the connection; *progress is set if anything moved. */
static int step(struct conn *c, struct dir *d, int *progress)
{
    unsigned char tmp[READ_CHUNK];
    long n;

    d->rwant = d->wwant = 0;
    if (!d->eof && d->len == 0 && d->src->fd >= 0) {
        n = end_read(d->src, d->px != NULL ? tmp : d->buf, d->px != NULL ? sizeof(tmp)
                     : sizeof(d->buf), &d->rwant);
        if (n == IO_ERR)
            return 0;
        if (n == 0)
            d->eof = 1;
        if (n > 0) {
            activity();
            d->bytes += (unsigned long long)n;
            if (d->px == NULL) {
                d->len = (size_t)n;
            } else if (!relay_proxy_feed(c, d, tmp, (size_t)n)) {
                relay_log("request %d refused: %s", c->id, d->px->error);
                if (c->backend.fd < 0) {
                    char answer[160];

                    snprintf(answer, sizeof(answer), "HTTP/1.1 %s\r\nContent-Length: 0\r\n"
                             "Connection: close\r\n\r\n", d->px->error);
                    relay_say(&c->client, answer);
                }
                return 0;
            }
        }
        if (n != IO_BLOCK) {
            d->rwant = 0;
            *progress = 1;
        }
    }
    if (d->px != NULL && d->px->need_connect && !relay_proxy_connect(c))
        return 0;
    if (d->off < d->len && d->dst->fd >= 0) {
        n = end_write(d->dst, d->buf + d->off, d->len - d->off, &d->wwant);
        if (n == IO_ERR)
            return 0;
        if (n > 0) {
            d->wwant = 0;
            *progress = 1;
            if ((d->off += (size_t)n) == d->len)
                d->off = d->len = 0;
        }
    }
    if (d->eof && d->len == 0 && !d->shut && d->dst->fd >= 0) {
        end_shut_write(d->dst);
        d->shut = 1;
        *progress = 1;
    }
    return 1;
}

/* Relays both directions until both have ended, an error, or idle time. */
static void relay(struct conn *c)
{
    struct pollfd p[2];
    int progress, r;

    for (;;) {
        progress = 0;
        if (!step(c, &c->up, &progress) || !step(c, &c->down, &progress))
            return;
        if ((c->up.shut && c->down.shut) || stop)
            return;
        if (progress)
            continue;
        p[0].fd = c->client.fd;
        p[0].events = (short)(c->up.rwant | c->down.wwant);
        p[1].fd = c->backend.fd;
        p[1].events = (short)(c->down.rwant | c->up.wwant);
        p[0].revents = p[1].revents = 0;
        if (p[0].events == 0 && p[1].events == 0)
            return; /* nothing can move any more */
        if ((r = poll(p, 2, cfg.idle * 1000)) == 0) {
            relay_log("idle %d", c->id);
            return;
        }
        if (r < 0 && errno != EINTR)
            return;
    }
}

/* sink mode: reads until the client closes, answers nothing. */
static void sink(struct conn *c)
{
    unsigned char buf[READ_CHUNK];
    struct pollfd p = { c->client.fd, POLLIN, 0 };
    ssize_t n;

    while (!stop && poll(&p, 1, cfg.idle * 1000) == 1) {
        if ((n = recv(c->client.fd, buf, sizeof(buf), 0)) == 0
            || (n < 0 && errno != EAGAIN && errno != EINTR))
            return;
        if (n > 0) {
            c->up.bytes += (unsigned long long)n;
            activity();
        }
    }
}

/* After a failed handshake, as servers do: our alert is out, no more data
 * from us; read what the client still sends until it closes, so that our
 * close does not reset the connection and lose the alert before the client
 * has read it. */
static void linger_close(struct conn *c)
{
    unsigned char buf[READ_CHUNK];

    shutdown(c->client.fd, SHUT_WR);
    while (recv(c->client.fd, buf, sizeof(buf), 0) > 0) /* SO_RCVTIMEO bounds it */
        ;
}

/* The TLS handshake (blocking, within the idle time). */
static int tls_accept(struct conn *c)
{
    struct timeval tv = { cfg.idle, 0 };
    char reason[256], name[256] = "none";
    X509 *peer;
    long vr;

    setsockopt(c->client.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(c->client.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if ((c->client.ssl = SSL_new(cfg.tls)) == NULL || !SSL_set_fd(c->client.ssl, c->client.fd)
        || SSL_accept(c->client.ssl) != 1) {
        vr = c->client.ssl != NULL ? SSL_get_verify_result(c->client.ssl) : X509_V_OK;
        ssl_reason(reason, sizeof(reason));
        relay_log("tls %d failed: %s%s%s", c->id, reason, vr != X509_V_OK ? "; client certificate: " : "",
              vr != X509_V_OK ? X509_verify_cert_error_string(vr) : "");
        linger_close(c);
        return 0;
    }
    if ((peer = SSL_get0_peer_certificate(c->client.ssl)) != NULL)
        X509_NAME_oneline(X509_get_subject_name(peer), name, sizeof(name));
    relay_log("tls %d ok %s client=%s", c->id, SSL_get_version(c->client.ssl), name);
    return 1;
}

static void *conn_main(void *arg)
{
    struct conn *c = arg;

    c->backend.fd = -1;
    c->up.src = c->down.dst = &c->client;
    c->up.dst = c->down.src = &c->backend;
    if (cfg.mode == MODE_TLS && !tls_accept(c))
        goto out;
    if (!set_nonblocking(c->client.fd))
        goto out;
    if (cfg.mode == MODE_SINK) {
        sink(c);
        goto out;
    }
    if (cfg.mode == MODE_PROXY) {
        c->up.px = &c->px;
    } else if ((c->backend.fd = relay_connect(cfg.to)) < 0) {
        relay_log("backend %d %s failed: %s", c->id, cfg.to, strerror(errno));
        goto out;
    } else {
        relay_log("backend %d %s", c->id, cfg.to);
    }
    relay(c);
out:
    relay_log("close %d up %llu down %llu", c->id, c->up.bytes, c->down.bytes);
    SSL_free(c->client.ssl);
    close(c->client.fd);
    if (c->backend.fd >= 0)
        close(c->backend.fd);
    free(c);
    return NULL;
}

/* ---------------------------------------------------------------- setup */

static int usage(const char *why)
{
    fprintf(stderr, "tcp_relay: %s\nusage: tcp_relay -mode tcp|tls|proxy|sink [-to host:port]"
            " [-port n] [-cert f -key f [-chain f]] [-client_ca f] [-max_tls 1.2|1.3]"
            " [-count file] [-idle seconds]\n", why);
    return 2;
}

static int number(const char *s, int min, int max, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
        return 0;
    *out = (int)v;
    return 1;
}

static SSL_CTX *tls_ctx(const char *cert, const char *key, const char *chain, const char *ca)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    BIO *in = NULL;
    X509 *x;
    int ok = 0;

    if (ctx == NULL || SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM) != 1
        || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1
        || SSL_CTX_check_private_key(ctx) != 1)
        goto out;
    if (chain != NULL) {
        if ((in = BIO_new_file(chain, "r")) == NULL)
            goto out;
        while ((x = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL)
            if (!SSL_CTX_add0_chain_cert(ctx, x)) {
                X509_free(x);
                goto out;
            }
        ERR_clear_error(); /* the end of the file */
    }
    if (ca != NULL) {
        STACK_OF(X509_NAME) *names;

        if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1
            || (names = SSL_load_client_CA_file(ca)) == NULL)
            goto out;
        SSL_CTX_set_client_CA_list(ctx, names);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    if (cfg.max_tls != 0
        && !SSL_CTX_set_max_proto_version(ctx, cfg.max_tls == 2 ? TLS1_2_VERSION : TLS1_3_VERSION))
        goto out;
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    ok = 1;
out:
    BIO_free(in);
    if (!ok) {
        char reason[256];

        fprintf(stderr, "tcp_relay: TLS setup failed: %s\n", ssl_reason(reason, sizeof(reason)));
        SSL_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

static int parse_args(int argc, char **argv)
{
    const char *mode = NULL, *cert = NULL, *key = NULL, *chain = NULL, *ca = NULL;
    char host[256], port[16];

    cfg.idle = 60;
    for (int i = 1; i < argc; i += 2) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (v == NULL)
            return usage("an option without its value");
        if (strcmp(o, "-mode") == 0)
            mode = v;
        else if (strcmp(o, "-to") == 0)
            cfg.to = v;
        else if (strcmp(o, "-count") == 0)
            cfg.count_file = v;
        else if (strcmp(o, "-cert") == 0)
            cert = v;
        else if (strcmp(o, "-key") == 0)
            key = v;
        else if (strcmp(o, "-chain") == 0)
            chain = v;
        else if (strcmp(o, "-client_ca") == 0)
            ca = v;
        else if (strcmp(o, "-max_tls") == 0 && strcmp(v, "1.2") == 0)
            cfg.max_tls = 2;
        else if (strcmp(o, "-max_tls") == 0 && strcmp(v, "1.3") == 0)
            cfg.max_tls = 3;
        else if (strcmp(o, "-port") == 0 && number(v, 0, 65535, &cfg.port))
            continue;
        else if (strcmp(o, "-idle") == 0 && number(v, 1, 3600, &cfg.idle))
            continue;
        else
            return usage(o);
    }
    if (mode == NULL)
        return usage("-mode is required");
    if (strcmp(mode, "tcp") == 0)
        cfg.mode = MODE_TCP;
    else if (strcmp(mode, "tls") == 0)
        cfg.mode = MODE_TLS;
    else if (strcmp(mode, "proxy") == 0)
        cfg.mode = MODE_PROXY;
    else if (strcmp(mode, "sink") == 0)
        cfg.mode = MODE_SINK;
    else
        return usage("unknown -mode");
    if ((cfg.mode == MODE_TCP || cfg.mode == MODE_TLS)
        && (cfg.to == NULL || !split_authority(cfg.to, host, sizeof(host), port, sizeof(port))))
        return usage("-to host:port is required for tcp and tls");
    if (cfg.mode == MODE_TLS) {
        if (cert == NULL || key == NULL)
            return usage("-cert and -key are required for tls");
        if ((cfg.tls = tls_ctx(cert, key, chain, ca)) == NULL)
            return 2;
    }
    return 0;
}

static int listen_on(int port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0
        || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 64) != 0
        || getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        fprintf(stderr, "tcp_relay: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
        exit(1);
    }
    printf("PORT %d\n", ntohs(sa.sin_port));
    fflush(stdout);
    return fd;
}

static void accept_one(int lfd)
{
    pthread_attr_t attr;
    pthread_t t;
    struct conn *c;
    int fd = accept(lfd, NULL, NULL), one = 1;

    if (fd < 0)
        return;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    activity();
    if ((c = calloc(1, sizeof(*c))) == NULL) {
        close(fd);
        return;
    }
    c->client.fd = fd;
    c->id = atomic_fetch_add(&n_accepted, 1) + 1;
    write_count();
    relay_log("accept %d", c->id);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, conn_main, c) != 0) {
        relay_log("close %d: no thread", c->id);
        close(fd);
        free(c);
    }
    pthread_attr_destroy(&attr);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    struct pollfd p;
    int lfd, rc;

    if ((rc = parse_args(argc, argv)) != 0)
        return rc;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    lfd = listen_on(cfg.port);
    activity();
    write_count();
    while (!stop) {
        p.fd = lfd;
        p.events = POLLIN;
        p.revents = 0;
        if (poll(&p, 1, 200) == 1)
            accept_one(lfd);
        if ((long)time(NULL) - atomic_load(&last_activity) >= cfg.idle) {
            relay_log("exit: idle for %d s", cfg.idle);
            break;
        }
    }
    write_count();
    relay_log("exit: %d connections", atomic_load(&n_accepted));
    /* connection threads may still hold SSL objects: no atexit cleanup */
    _exit(0);
}
