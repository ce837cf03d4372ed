/*
 * httpsrv.h - a small HTTP(S) server and proxy on 127.0.0.1 for test_http.
 *
 * One thread accepts, one thread serves each connection, so kept-alive
 * connections never block new ones. It answers every request as its
 * configuration says, counts connections, requests and proxy tunnels, and
 * remembers the last request. Plain blocking sockets; httpsrv_stop() shuts
 * them down to wake every thread, then joins them.
 */
#ifndef PKIXCMP_TEST_HTTPSRV_H
#define PKIXCMP_TEST_HTTPSRV_H

#include <stddef.h>
#include <openssl/ssl.h>

/* How to answer. Strings are not copied: they must outlive the server. */
struct httpsrv_cfg {
    int status;              /* HTTP status; 0 means 200 */
    const char *reason;      /* reason phrase; NULL means "OK" */
    const char *ctype;       /* Content-Type; NULL sends none */
    int echo;                /* the body is the request body ... */
    size_t body_len;         /* ... else this many bytes */
    int no_length;           /* no Content-Length: the body ends at close */
    int close;               /* close the connection after each response */
    int http10;              /* answer HTTP/1.0 (with keep-alive unless closing) */
    int hang;                /* read the request, never answer */
    const char *redirect_to; /* answer requests for other paths with 302 to here */
    int proxy;               /* as a proxy: answer absolute-form requests
                              * itself and tunnel CONNECT to 127.0.0.1 */
};

/* What was seen since the start or the last httpsrv_reset(). */
struct httpsrv_stats {
    int connections;         /* accepted */
    int requests;            /* answered or hung on (not CONNECT) */
    int tunnels;             /* CONNECT tunnels opened */
    int tls_failures;        /* handshakes that failed */
    char method[16];         /* of the last request */
    char target[256];        /* request-target, absolute-form for a proxy */
    char ctype[128];         /* its Content-Type, "" if none */
    char connection[64];     /* its Connection header, "" if none */
    int has_expect;          /* it had an Expect header */
    size_t body_len;         /* its body length */
    char tunnel_to[256];     /* the last CONNECT's authority */
    char client_cert[256];   /* subject of the last TLS client certificate */
};

typedef struct httpsrv HTTPSRV;

/* Starts a server with cfg; tls (may be NULL) makes it HTTPS. NULL on
 * failure (a diagnostic is printed). */
HTTPSRV *httpsrv_start(const struct httpsrv_cfg *cfg, SSL_CTX *tls);

/* The port it listens on at 127.0.0.1. */
int httpsrv_port(const HTTPSRV *s);

/* Replaces the configuration (for the next requests). */
void httpsrv_configure(HTTPSRV *s, const struct httpsrv_cfg *cfg);

/* A copy of the statistics; httpsrv_reset() zeroes them. */
struct httpsrv_stats httpsrv_stats(HTTPSRV *s);
void httpsrv_reset(HTTPSRV *s);

/* Stops all threads, closes all sockets, frees s; NULL is a no-op. */
void httpsrv_stop(HTTPSRV *s);

#endif
