/*
 * tcp_relay.h - inside the test tool tcp_relay (see tcp_relay.c): one
 * relayed connection, and what the HTTP proxy's request parser
 * (tcp_relay_proxy.c) shares with the relay.
 */
#ifndef PKIXCMP_TEST_TCP_RELAY_H
#define PKIXCMP_TEST_TCP_RELAY_H

#include <stddef.h>
#include <openssl/ssl.h>

#define READ_CHUNK 16384
#define HEAD_MAX 16384
#define BUF_SIZE (HEAD_MAX + READ_CHUNK)

/* One side of a connection: a socket, with TLS on the client side in tls
 * mode. Reads and writes never block; IO_BLOCK says what to poll for. */
struct end {
    int fd;
    SSL *ssl;
};

enum { IO_ERR = -1, IO_BLOCK = -2 };

/* The proxy's parser of the client's requests. */
struct proxy {
    enum { P_HEAD, P_BODY, P_TUNNEL } state;
    char head[HEAD_MAX + 1];
    size_t hlen;
    unsigned long long body_left;
    char target[300];    /* host:port all requests go to; "" before the first */
    int need_connect;    /* the first request named target: connect now */
    int tunnel;          /* ... with CONNECT */
    const char *error;   /* the status line to answer a bad request with */
};

/* One direction of the relay: what src sent, waiting to go to dst. */
struct dir {
    struct end *src, *dst;
    unsigned char buf[BUF_SIZE];
    size_t off, len;
    int eof, shut;
    short rwant, wwant;   /* poll events a blocked read / write waits for */
    unsigned long long bytes;
    struct proxy *px;     /* requests are parsed and rewritten */
};

struct conn {
    int id;
    struct end client, backend;
    struct dir up, down;  /* client to backend, backend to client */
    struct proxy px;
};

/* A line on stderr, whole even with several threads. */
void relay_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A non-blocking connection to "host:port" ("[v6]:port"), or -1 (errno). */
int relay_connect(const char *authority);

/* Sends a short text to a fresh connection (best effort). */
void relay_say(const struct end *e, const char *text);

/* Appends to the direction's output; 0 if it does not fit. */
int relay_put(struct dir *d, const void *data, size_t len);

/* Bytes from the client through the request parser into d's output: the
 * request line in origin form, Proxy-* headers dropped; sets
 * c->px.need_connect with the first request. 0 for a request refused with
 * the status line c->px.error. */
int relay_proxy_feed(struct conn *c, struct dir *d, const unsigned char *in, size_t n);

/* The first request named the target: connects c->backend, for CONNECT
 * queues the 200 for the client; on failure answers 502 and returns 0. */
int relay_proxy_connect(struct conn *c);

#endif
