/*
 * bench/load_raw.c - the load generator's plain-socket HTTP/1.1 (see
 * load.h): idle keep-alive connections, and replaying recorded requests
 * with a client that costs next to nothing, so that on a small machine the
 * server, not the load generator, is what runs out of CPU.
 *
 * Deliberately minimal: POST with Content-Length, responses with a
 * Content-Length body (headers up to 8 KiB, bodies up to 1 MiB), status
 * 200 only. Errors go on OpenSSL's error queue (ERR_LIB_USER) with text.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <openssl/err.h>
#include "load.h"

#define RAW_ERR(...) ERR_raise_data(ERR_LIB_USER, ERR_R_OPERATION_FAIL, __VA_ARGS__)

int raw_connect(const struct opts *o)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
    struct timeval tv = { .tv_sec = o->msg_timeout > 0 ? o->msg_timeout : 30 };
    int fd, one = 1;

    if (inet_pton(AF_INET, o->host, &sa.sin_addr) != 1) {
        RAW_ERR("plain-socket connections need a numeric IPv4 -host, not %s", o->host);
        return -1;
    }
    if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
        RAW_ERR("socket: %s", strerror(errno));
        return -1;
    }
    /* TCP_NODELAY: a request written in two parts must not wait for the
     * server's delayed ACK (Nagle), which costs 40 ms per request */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0
        || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0
        || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0
        || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        RAW_ERR("connect to %s:%ld: %s", o->host, o->port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const void *buf, size_t len, int flags)
{
    const unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL | flags);

        if (n <= 0) {
            RAW_ERR("send: %s", n < 0 ? strerror(errno) : "nothing sent");
            return 0;
        }
        p += n;
        len -= (size_t)n;
    }
    return 1;
}

/* The value of Content-Length in the header block hdr, -1 if none. */
static long content_length(const char *hdr)
{
    static const char name[] = "\r\ncontent-length:";
    const char *p;

    for (p = hdr; *p != '\0'; p++)
        if (strncasecmp(p, name, sizeof(name) - 1) == 0)
            return strtol(p + sizeof(name) - 1, NULL, 10);
    return -1;
}

/* Reads the header block into head (NUL-terminated); *hlen its length
 * with the blank line, *have the bytes read (some of the body too). */
static int read_head(int fd, char *head, size_t size, size_t *hlen, size_t *have)
{
    char *end;

    for (*have = 0;;) {
        ssize_t r = recv(fd, head + *have, size - 1 - *have, 0);

        if (r <= 0) {
            RAW_ERR("receiving the response: %s",
                    r < 0 ? strerror(errno) : "connection closed by the server");
            return 0;
        }
        *have += (size_t)r;
        head[*have] = '\0';
        if ((end = strstr(head, "\r\n\r\n")) != NULL)
            break;
        if (*have == size - 1) {
            RAW_ERR("response header above %zu bytes", size - 1);
            return 0;
        }
    }
    *hlen = (size_t)(end - head) + 4;
    end[2] = '\0'; /* keeps the last header's CRLF for content_length() */
    return 1;
}

/* The Connection header of the block hdr: 1 "close", 2 "keep-alive", 0
 * none or another (the servers here send one token only). */
static int connection_token(const char *hdr)
{
    static const char name[] = "\r\nconnection:";
    const char *p;

    for (p = hdr; *p != '\0'; p++)
        if (strncasecmp(p, name, sizeof(name) - 1) == 0) {
            p += sizeof(name) - 1;
            p += strspn(p, " \t");
            if (strncasecmp(p, "close", 5) == 0)
                return 1;
            return strncasecmp(p, "keep-alive", 10) == 0 ? 2 : 0;
        }
    return 0;
}

/*
 * The exchange on fd; *got the response bytes received (0 if none came);
 * *closed set if the server closes the connection
 * after it (HTTP/1.0 without keep-alive or "Connection: close": OpenSSL's
 * server keeps a connection only when asked with "Connection: keep-alive").
 */
static unsigned char *post(int fd, const struct opts *o, const unsigned char *der, size_t len,
                           size_t *rsp_len, int close_after, int *closed, size_t *got)
{
    char head[8192];
    unsigned char *body = NULL;
    size_t hlen = 0, have = 0;
    long clen;
    int conn, n;

    n = snprintf(head, sizeof(head),
                 "POST /%s HTTP/1.1\r\nHost: %s:%ld\r\nContent-Type: application/pkixcmp\r\n"
                 "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
                 o->path[0] == '/' ? o->path + 1 : o->path, o->host, o->port, len,
                 close_after ? "close" : "keep-alive");
    /* header and body in one segment where possible: see raw_connect() */
    if (n <= 0 || (size_t)n >= sizeof(head) || !write_all(fd, head, (size_t)n, MSG_MORE)
        || !write_all(fd, der, len, 0) || !read_head(fd, head, sizeof(head), &hlen, got))
        return NULL;
    have = *got;
    if (strncmp(head, "HTTP/1.1 200", 12) != 0 && strncmp(head, "HTTP/1.0 200", 12) != 0) {
        RAW_ERR("HTTP response %.*s", (int)strcspn(head, "\r"), head);
        return NULL;
    }
    conn = connection_token(head);
    *closed = conn == 1 || (conn == 0 && strncmp(head, "HTTP/1.0", 8) == 0);
    if ((clen = content_length(head)) <= 0 || clen > 1L << 20 || (size_t)clen < have - hlen) {
        RAW_ERR("response without a usable Content-Length (%ld)", clen);
        return NULL;
    }
    if ((body = malloc((size_t)clen)) == NULL) {
        RAW_ERR("out of memory");
        return NULL;
    }
    memcpy(body, head + hlen, have - hlen);
    for (have -= hlen; have < (size_t)clen;) {
        ssize_t r = recv(fd, body + have, (size_t)clen - have, 0);

        if (r <= 0) {
            RAW_ERR("receiving the response body: %s",
                    r < 0 ? strerror(errno) : "connection closed by the server");
            free(body);
            return NULL;
        }
        have += (size_t)r;
    }
    *rsp_len = (size_t)clen;
    return body;
}

unsigned char *raw_post(int *fd, const struct opts *o, const unsigned char *der, size_t len,
                        size_t *rsp_len, int close_after)
{
    unsigned char *rsp;
    int closed = 1, reused = *fd >= 0;
    size_t got = 0;

    if (!reused && (*fd = raw_connect(o)) < 0)
        return NULL;
    ERR_set_mark();
    rsp = post(*fd, o, der, len, rsp_len, close_after, &closed, &got);
    if (rsp == NULL && reused && got == 0) {
        /* the server closed the kept connection without a word (OpenSSL's
         * does at the end of every transaction although it answered with
         * "Connection: keep-alive"): again on a new one, as HTTP clients do */
        ERR_pop_to_mark();
        close(*fd);
        if ((*fd = raw_connect(o)) < 0)
            return NULL;
        rsp = post(*fd, o, der, len, rsp_len, close_after, &closed, &got);
    } else {
        ERR_clear_last_mark();
    }
    if (rsp == NULL || close_after || closed) { /* after an error the connection is unusable */
        close(*fd);
        *fd = -1;
    }
    return rsp;
}

/* ------------------------------------------------- idle connections */

struct idle_link {
    const struct opts *o;
    int fd;
};

/* Transfer callback: the message over the idle connection being primed. */
static PKIXCMP_MSG *idle_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct idle_link *link = arg;
    unsigned char *der = NULL, *rsp = NULL;
    size_t rsp_len = 0;
    PKIXCMP_MSG *msg = NULL;
    int len;

    (void)ctx;
    if ((len = pkixcmp_msg_encode(req, &der)) > 0
        && (rsp = raw_post(&link->fd, link->o, der, (size_t)len, &rsp_len, 0)) != NULL)
        msg = pkixcmp_msg_decode(rsp, rsp_len, 0);
    OPENSSL_free(der);
    free(rsp);
    return msg;
}

int idle_open(const struct opts *o, int *fds)
{
    PKIXCMP_CTX *ctx = NULL;
    STACK_OF(X509) *certs = NULL;
    struct idle_link link = { o, -1 };
    int request = strcmp(o->idle_mode, "request") == 0, ok = 0;
    long i;

    if (request
        && ((ctx = pkixcmp_ctx_new(NULL, NULL)) == NULL
            || !pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)o->secret, strlen(o->secret))
            || !pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)o->ref, strlen(o->ref))
            || !pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_LOG_VERBOSITY, PKIXCMP_LOG_ERR)
            || !pkixcmp_ctx_set_transfer_cb(ctx, idle_transfer, &link))) {
        print_errors();
        goto out;
    }
    for (i = 0; i < o->idle; i++) {
        if ((fds[i] = link.fd = raw_connect(o)) < 0
            || (request && !pkixcmp_exec_get_cacerts(ctx, &certs))) {
            fprintf(stderr, "load: idle connection %ld of %ld failed:\n", i + 1, o->idle);
            print_errors();
            goto out;
        }
        fds[i] = link.fd; /* -1 if the genm failed on the wire */
        sk_X509_pop_free(certs, X509_free);
        certs = NULL;
    }
    ok = 1;
out:
    pkixcmp_ctx_free(ctx);
    return ok;
}

long idle_still_open(const int *fds, long n)
{
    long open = 0, i;
    char c;

    for (i = 0; i < n; i++) {
        struct pollfd p = { .fd = fds[i], .events = POLLIN };

        if (fds[i] < 0)
            continue;
        /* readable with nothing to read means closed by the server */
        if (poll(&p, 1, 0) == 0
            || (recv(fds[i], &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && errno == EAGAIN))
            open++;
    }
    return open;
}

/* ------------------------------------------------------------ replay */

struct capture {
    struct recorded *rec;
};

/* Transfer callback: keeps the request and ends the transaction. */
static PKIXCMP_MSG *capture_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct recorded *rec = ((struct capture *)arg)->rec;
    int len;

    (void)ctx;
    if ((len = pkixcmp_msg_encode(req, &rec->der)) > 0
        && (rec->msg = pkixcmp_msg_dup(req)) != NULL)
        rec->len = (size_t)len;
    return NULL;
}

int replay_record(PKIXCMP_CTX *ctx, struct recorded *rec, long n)
{
    struct capture cap;
    long i;
    int ok = 0;

    if (!pkixcmp_ctx_set_transfer_cb(ctx, capture_transfer, &cap))
        return 0;
    for (i = 0; i < n; i++) {
        cap.rec = &rec[i];
        (void)pkixcmp_exec_ir(ctx); /* fails: the callback answers nothing */
        if (rec[i].msg == NULL) {
            RAW_ERR("cannot record request %ld", i);
            goto out;
        }
    }
    ERR_clear_error(); /* the cut-off transactions' */
    ok = 1;
out:
    (void)pkixcmp_ctx_set_transfer_cb(ctx, NULL, NULL);
    return ok;
}

/*
 * One DER TLV at *p (before end) with a one-octet tag, which all tags on
 * the path below are: *tag, its value and length; *p moves past it.
 */
static int tlv(const unsigned char **p, const unsigned char *end, int *tag,
               const unsigned char **val, size_t *len)
{
    const unsigned char *q = *p;
    size_t n, k;

    if (end - q < 2 || (q[0] & 0x1f) == 0x1f)
        return 0;
    *tag = q[0];
    n = q[1];
    q += 2;
    if (n & 0x80) { /* long form, at most 4 length octets */
        k = n & 0x7f;
        if (k == 0 || k > 4 || (size_t)(end - q) < k)
            return 0;
        for (n = 0; k > 0; k--)
            n = (n << 8) | *q++;
    }
    if ((size_t)(end - q) < n)
        return 0;
    *val = q;
    *len = n;
    *p = q + n;
    return 1;
}

/*
 * The PKIStatus of the first CertResponse of an ip, read straight from the
 * DER (decoding the whole answer with its certificates would cost the load
 * generator more than the server spends on some requests):
 * PKIMessage { header, body [1] CertRepMessage { caPubs [1] OPTIONAL,
 * response SEQUENCE OF CertResponse { certReqId, status PKIStatusInfo {
 * status INTEGER ... } } } }. -1 if the answer is no such ip, -2 - the
 * body's tag number if it is another body.
 */
static long ip_status(const unsigned char *der, size_t len)
{
    const unsigned char *p = der, *end = der + len, *v;
    size_t n;
    int tag;

    if (!tlv(&p, end, &tag, &v, &n) || tag != 0x30)
        return -1;
    p = v;
    end = v + n;
    if (!tlv(&p, end, &tag, &v, &n) || tag != 0x30 /* header */
        || !tlv(&p, end, &tag, &v, &n))
        return -1;
    if (tag != 0xa1)
        return (tag & 0xe0) == 0xa0 ? -2 - (tag & 0x1f) : -1;
    p = v;
    end = v + n;
    if (!tlv(&p, end, &tag, &v, &n) || tag != 0x30) /* CertRepMessage */
        return -1;
    p = v;
    end = v + n;
    if (!tlv(&p, end, &tag, &v, &n) || (tag == 0xa1 && !tlv(&p, end, &tag, &v, &n))
        || tag != 0x30) /* response */
        return -1;
    p = v;
    end = v + n;
    if (!tlv(&p, end, &tag, &v, &n) || tag != 0x30) /* CertResponse */
        return -1;
    p = v;
    end = v + n;
    if (!tlv(&p, end, &tag, &v, &n) || tag != 0x02 /* certReqId */
        || !tlv(&p, end, &tag, &v, &n) || tag != 0x30) /* PKIStatusInfo */
        return -1;
    p = v;
    end = v + n;
    if (!tlv(&p, end, &tag, &v, &n) || tag != 0x02 || n != 1)
        return -1;
    return v[0];
}

int replay_one(PKIXCMP_CTX *ctx, const struct opts *o, int *fd, const struct recorded *rec,
               int full_check)
{
    unsigned char *der;
    size_t len = 0;
    PKIXCMP_MSG *rsp = NULL;
    long status;
    int ok = 0;

    if ((der = raw_post(fd, o, rec->der, rec->len, &len, o->keep_alive == 0)) == NULL)
        goto out;
    /* RFC 9810 5.2.3: accepted (0) or grantedWithMods (1) */
    if ((status = ip_status(der, len)) < 0 || status > 1) {
        const char *name = status < -1 ? pkixcmp_body_type_name((int)(-2 - status)) : NULL;

        if (status >= 0)
            RAW_ERR("the ip has PKIStatus %ld", status);
        else
            RAW_ERR("the answer is %s%s", name != NULL ? name : "no ip",
                    name != NULL ? ", not ip" : " that could be read");
        /* the whole answer, to tell why (e.g. the error's failInfo and text) */
        if ((rsp = pkixcmp_msg_decode(der, len, 0)) != NULL) {
            BIO *err = BIO_new_fp(stderr, BIO_NOCLOSE);

            if (err != NULL)
                (void)pkixcmp_msg_print(err, rsp, PKIXCMP_PRINT_TEXT);
            BIO_free(err);
        }
        goto out;
    }
    if (!full_check) {
        ok = 1;
        goto out;
    }
    if ((rsp = pkixcmp_msg_decode(der, len, 0)) != NULL)
        ok = pkixcmp_msg_check_response(ctx, rec->msg, rsp);
out:
    pkixcmp_msg_free(rsp);
    free(der);
    return ok;
}

void replay_free(struct recorded *rec, long n)
{
    long i;

    for (i = 0; rec != NULL && i < n; i++) {
        OPENSSL_free(rec[i].der);
        pkixcmp_msg_free(rec[i].msg);
    }
    free(rec);
}
