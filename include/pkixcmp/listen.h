/*
 * listen.h - a concurrent HTTP(S) listener for CMP over HTTP (RFC 9811).
 *
 * The listener knows nothing of CMP: it checks the HTTP envelope, hands each
 * request body to a handler callback and sends back what the handler
 * returns. Worker threads (default 4) each run their own libevent loop and
 * accept from one shared listening socket; the handler runs in the worker
 * that received the request, so it is called from up to `threads` threads at
 * once and must be thread-safe.
 *
 * HTTP behaviour:
 *  - POST only: other methods get 405 with "Allow: POST".
 *  - Content-Type must be application/pkixcmp (RFC 9811 section 3.4; also
 *    application/pkixcmp-poll, which section 4 allows), else 415.
 *  - An empty body gets 400, one above max_body 413 (connection closed);
 *    header fields above 16 KiB or malformed ones get 400 (closed).
 *  - A handled request gets 200 with Content-Type application/pkixcmp,
 *    Content-Length and Cache-Control: no-cache. Connections are persistent
 *    (HTTP/1.1 default, HTTP/1.0 with keep-alive); "Connection: close" from
 *    the client is honoured. Error statuses carry a short text/plain body.
 *  - A worker serving requests of two connections while another worker
 *    has had none for a while answers one of them with "Connection: close"
 *    (after its response, as HTTP allows), so that the client's next
 *    connection goes to an idle worker: otherwise two kept-alive clients
 *    that happened to be accepted by the same worker would share one core
 *    for as long as they stay.
 *  - A connection that sends nothing for `timeout` milliseconds is closed,
 *    whether idle between requests or stalled inside one (RFC 9811 section
 *    5: idle connections should be terminated after a timeout). libevent
 *    2.1 has one inactivity timeout per connection, so a client trickling
 *    bytes is not cut off by it; and there is no cap on the number of
 *    connections (evhttp 2.1 has no hook for one): the timeout and the
 *    process's file limit bound them.
 *  - The worker threads block SIGPIPE: writing to a reset connection fails
 *    with EPIPE instead of ending the process.
 */
#ifndef PKIXCMP_LISTEN_H
#define PKIXCMP_LISTEN_H

#include <stddef.h>
#include <openssl/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pkixcmp_listener_st PKIXCMP_LISTENER;

/* What a handler returns; any other value is treated as PKIXCMP_LISTEN_FAIL. */
enum {
    PKIXCMP_LISTEN_FAIL = 0,        /* 500 Internal Server Error, connection closed */
    PKIXCMP_LISTEN_REPLY = 1,       /* 200 with the response in *rsp */
    PKIXCMP_LISTEN_REPLY_CLOSE = 2, /* 200 with *rsp, then the connection is closed
                                     * (RFC 9811 section 5: after an error message) */
    PKIXCMP_LISTEN_NOT_FOUND = 3    /* 404: no CMP service at this path */
};

/*
 * Handles one request: path is the request's path component as sent
 * (percent-encoding kept, no query; "/" if empty), req the body (req_len >
 * 0). For PKIXCMP_LISTEN_REPLY(_CLOSE) the handler sets *rsp to an
 * OPENSSL_malloc()ed DER response of *rsp_len > 0 bytes, which the listener
 * frees; whatever it leaves in *rsp with another return value is freed too.
 */
typedef int pkixcmp_listen_handler_fn(void *arg, const char *path, const unsigned char *req, size_t req_len, unsigned char **rsp, size_t *rsp_len);

/* A new listener with the defaults: all interfaces, port 0, 4 threads,
 * max_body 1 MiB, timeout 30000 ms, max_msgs 0, plain HTTP, no handler. */
PKIXCMP_LISTENER *pkixcmp_listener_new(void);

/* Stops the listener if it runs (as stop() then wait()) and frees it. */
void pkixcmp_listener_free(PKIXCMP_LISTENER *l);

/*
 * The setters below may only be called before pkixcmp_listener_start()
 * (PKIXCMP_E_INVALID_ARGUMENT afterwards).
 */

/* Address to bind: a numeric address or a host name (the first address that
 * binds is used). NULL or "" = all interfaces, as `openssl cmp -port`: a
 * dual-stack [::] socket if the system has IPv6, else 0.0.0.0. */
int pkixcmp_listener_set1_host(PKIXCMP_LISTENER *l, const char *host);

/* TCP port 0..65535; 0 (the default) picks an ephemeral port. */
int pkixcmp_listener_set_port(PKIXCMP_LISTENER *l, int port);

/* Number of worker threads, 1..PKIXCMP_LISTEN_MAX_THREADS (default 4). */
#define PKIXCMP_LISTEN_MAX_THREADS 64
int pkixcmp_listener_set_threads(PKIXCMP_LISTENER *l, int threads);

/* Largest request body accepted (>= 1); larger ones get 413. */
int pkixcmp_listener_set_max_body(PKIXCMP_LISTENER *l, size_t max_body);

/* Inactivity timeout in milliseconds (>= 1) for reading and writing; also
 * bounds how long stopping waits for responses still being sent. */
int pkixcmp_listener_set_timeout(PKIXCMP_LISTENER *l, long timeout_ms);

/* Stop after this many requests were handed to the handler (as `openssl cmp
 * -max_msgs`); 0 = no limit. The last response closes its connection;
 * requests beyond the limit that race with it get 503. */
int pkixcmp_listener_set_max_msgs(PKIXCMP_LISTENER *l, unsigned long max_msgs);

/* Serve HTTPS with this TLS context (up-referenced; NULL = plain HTTP).
 * Certificate, key and any client verification are configured in ctx. */
int pkixcmp_listener_set1_ssl_ctx(PKIXCMP_LISTENER *l, SSL_CTX *ctx);

/* The request handler and its first argument (required). */
int pkixcmp_listener_set_handler(PKIXCMP_LISTENER *l, pkixcmp_listen_handler_fn *fn,
                                 void *arg);

/* SIGINT and SIGTERM stop the listener while it runs (through libevent's
 * signal events; the previous handlers come back when it has stopped). */
int pkixcmp_listener_stop_on_signals(PKIXCMP_LISTENER *l);

/* Binds, listens and starts the worker threads. Once only. */
int pkixcmp_listener_start(PKIXCMP_LISTENER *l);

/* The bound port after a successful start, else 0. */
int pkixcmp_listener_port(const PKIXCMP_LISTENER *l);

/* Writes the line `openssl cmp -port` prints (without newline) into buf,
 * e.g. "ACCEPT [::]:39213 PID=17332" or "ACCEPT 0.0.0.0:39213 PID=17332";
 * a specific address appears as bound ("127.0.0.1:N", "[::1]:N"). Needs a
 * started listener and room for the line and its NUL. */
int pkixcmp_listener_accept_line(const PKIXCMP_LISTENER *l, char *buf, size_t size);

/*
 * Asks the listener to stop: it stops accepting, finishes responses being
 * sent (at most `timeout` long), closes all connections; requests not yet
 * fully received are dropped. Callable from any thread and from a signal
 * handler (it only writes to a pipe); before start, wait() then returns at
 * once after start.
 */
void pkixcmp_listener_stop(PKIXCMP_LISTENER *l);

/* Blocks until the listener has stopped (stop() or max_msgs), then joins the
 * workers and closes the sockets. Returns 1, or 0 if it was not started. */
int pkixcmp_listener_wait(PKIXCMP_LISTENER *l);

/* Number of requests handed to the handler so far. */
unsigned long pkixcmp_listener_served(const PKIXCMP_LISTENER *l);

#ifdef __cplusplus
}
#endif
#endif
