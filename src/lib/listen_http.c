/*
 * listen_http.c - one HTTP exchange of the listener (see
 * include/pkixcmp/listen.h): checks the request envelope, calls the
 * handler, sends the response; and the TLS bufferevents for HTTPS.
 *
 * Everything here runs in the worker thread that owns the connection.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include "listen_local.h"

#define MEDIA_TYPE "application/pkixcmp"

/* ----------------------------------------------------------- responses */

/* A connection between responses closed. */
static void on_conn_gone(struct evhttp_connection *evcon, void *arg)
{
    pxc_listen_forget_connection(arg, evcon);
}

/* The response was written out: the connection's close only ends its
 * balancing now. */
static void on_reply_sent(struct evhttp_request *req, void *arg)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);

    if (evcon != NULL)
        evhttp_connection_set_closecb(evcon, on_conn_gone, arg);
    pxc_listen_reply_finished(arg);
}

/* The connection went away before its response was written out. */
static void on_reply_lost(struct evhttp_connection *evcon, void *arg)
{
    pxc_listen_forget_connection(arg, evcon);
    pxc_listen_reply_finished(arg);
}

/*
 * Sends status code with body (may be empty) of type ctype; close asks to
 * close the connection afterwards. The worker counts the response as in
 * flight until it is written or its connection is lost (exactly one of the
 * two callbacks runs), so that stopping can wait for it.
 */
static void reply(struct listen_worker *w, struct evhttp_request *req, int code,
                  const char *reason, const char *ctype, const unsigned char *body,
                  size_t len, int close)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    struct evbuffer *out = evhttp_request_get_output_buffer(req);
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    char clen[24];

    if (len > 0 && evbuffer_add(out, body, len) != 0) {
        code = 500; /* out of memory: no body rather than half of one */
        reason = "Internal Server Error";
        close = 1;
        evbuffer_drain(out, evbuffer_get_length(out));
    }
    snprintf(clen, sizeof(clen), "%zu", evbuffer_get_length(out));
    /* RFC 9811 3.4: the Internet Media Type "application/pkixcmp" MUST be
     * set in the HTTP "Content-Type" header field when conveying a
     * PKIMessage. */
    evhttp_add_header(h, "Content-Type", ctype);
    /* Content-Length also for HTTP/1.0 and errors: no reading until close */
    evhttp_add_header(h, "Content-Length", clen);
    /* RFC 9811 says nothing about caching (RFC 6712 3.8 is gone); POST
     * responses are not cached anyway, this tells intermediaries too. */
    evhttp_add_header(h, "Cache-Control", "no-cache");
    if (close)
        evhttp_add_header(h, "Connection", "close");
    if (evcon != NULL) {
        w->inflight++;
        evhttp_request_set_on_complete_cb(req, on_reply_sent, w);
        evhttp_connection_set_closecb(evcon, on_reply_lost, w);
    }
    evhttp_send_reply(req, code, reason, NULL);
}

/* An error status with a one-line text/plain body like "415 Unsupported
 * Media Type". */
static void reply_status(struct listen_worker *w, struct evhttp_request *req, int code,
                         const char *reason, int close)
{
    char text[80];
    int n = snprintf(text, sizeof(text), "%d %s\n", code, reason);

    reply(w, req, code, reason, "text/plain", (const unsigned char *)text,
          n > 0 && (size_t)n < sizeof(text) ? (size_t)n : 0, close);
}

/* ----------------------------------------------------------- requests */

/*
 * 1 if the Content-Type value is application/pkixcmp, ignoring case and
 * parameters. RFC 9811 section 4: "Conforming implementations MAY handle
 * [application/pkixcmp-poll] like application/pkixcmp".
 */
static int is_pkixcmp(const char *ct)
{
    size_t n = strlen(MEDIA_TYPE);

    if (ct == NULL)
        return 0;
    ct += strspn(ct, " \t");
    if (strncasecmp(ct, MEDIA_TYPE, n) != 0)
        return 0;
    ct += n;
    if (strncasecmp(ct, "-poll", 5) == 0)
        ct += 5;
    ct += strspn(ct, " \t");
    return *ct == '\0' || *ct == ';';
}

/* The path component of the request target, "/" if it has none. */
static const char *request_path(struct evhttp_request *req)
{
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;

    return path != NULL && path[0] != '\0' ? path : "/";
}

/* Calls the handler on the body and sends what it returns; close_after
 * closes the connection after a response that would not. */
static void handle(struct listen_worker *w, struct evhttp_request *req, int close_after)
{
    PKIXCMP_LISTENER *l = w->l;
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in), rsp_len = 0;
    unsigned char *data = evbuffer_pullup(in, -1), *rsp = NULL;
    int rc;

    if (data == NULL) {
        reply_status(w, req, 500, "Internal Server Error", 1);
        return;
    }
    rc = l->handler(l->handler_arg, request_path(req), data, len, &rsp, &rsp_len);
    ERR_clear_error(); /* what the handler left must not pile up in this thread */
    switch (rc) {
    case PKIXCMP_LISTEN_REPLY:
    case PKIXCMP_LISTEN_REPLY_CLOSE:
        if (rsp != NULL && rsp_len > 0) {
            reply(w, req, 200, "OK", MEDIA_TYPE, rsp, rsp_len,
                  close_after || rc == PKIXCMP_LISTEN_REPLY_CLOSE);
            break;
        }
        /* a reply without a response is a handler failure */
        reply_status(w, req, 500, "Internal Server Error", 1);
        break;
    case PKIXCMP_LISTEN_NOT_FOUND:
        reply_status(w, req, 404, "Not Found", close_after);
        break;
    case PKIXCMP_LISTEN_FAIL:
    default:
        reply_status(w, req, 500, "Internal Server Error", 1);
        break;
    }
    OPENSSL_free(rsp);
}

/* Whether the connection of req really is TLS when it should be: if making
 * the TLS bufferevent failed, evhttp falls back to a plain one. */
static int tls_as_configured(const struct listen_worker *w, struct evhttp_request *req)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);

    if (w->l->ssl_ctx == NULL)
        return 1;
    return evcon != NULL
           && bufferevent_openssl_get_ssl(evhttp_connection_get_bufferevent(evcon)) != NULL;
}

/* evhttp's callback for every complete request (evhttp itself answered
 * malformed ones with 400 and too large ones with 413). */
static void on_request(struct evhttp_request *req, void *arg)
{
    struct listen_worker *w = arg;
    PKIXCMP_LISTENER *l = w->l;
    unsigned long ticket;

    if (w->stopping) {
        reply_status(w, req, 503, "Service Unavailable", 1);
        return;
    }
    if (!tls_as_configured(w, req)) {
        reply_status(w, req, 500, "Internal Server Error", 1);
        return;
    }
    /* RFC 9811 3.3: a PKIMessage "MUST be sent as the content of an HTTP
     * POST request" */
    if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "POST");
        reply_status(w, req, 405, "Method Not Allowed", 0);
        return;
    }
    if (!is_pkixcmp(evhttp_find_header(evhttp_request_get_input_headers(req),
                                       "Content-Type"))) {
        reply_status(w, req, 415, "Unsupported Media Type", 0);
        return;
    }
    if (evbuffer_get_length(evhttp_request_get_input_buffer(req)) == 0) {
        reply_status(w, req, 400, "Bad Request", 0);
        return;
    }
    /* one ticket per request handed on: exactly max_msgs of them are */
    ticket = atomic_fetch_add(&l->served, 1) + 1;
    if (l->max_msgs > 0 && ticket > l->max_msgs) {
        reply_status(w, req, 503, "Service Unavailable", 1);
        return;
    }
    handle(w, req, (l->max_msgs > 0 && ticket == l->max_msgs)
                       || pxc_listen_should_move(w, evhttp_request_get_connection(req)));
    if (l->max_msgs > 0 && ticket == l->max_msgs)
        pkixcmp_listener_stop(l); /* this worker still sends the response */
}

/* ------------------------------------------------ new connections */

/* evhttp's factory for each new connection's bufferevent, plain as
 * evhttp's own. */
static struct bufferevent *plain_bufferevent(struct event_base *base, void *arg)
{
    pxc_listen_took_connection(arg);
    return bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
}

/* The same with TLS, accepting. */
static struct bufferevent *tls_bufferevent(struct event_base *base, void *arg)
{
    struct listen_worker *w = arg;
    SSL *ssl;
    struct bufferevent *bev;

    pxc_listen_took_connection(w);
    if ((ssl = SSL_new(w->l->ssl_ctx)) == NULL)
        return NULL; /* refused in on_request, see tls_as_configured */
    bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                         BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        SSL_free(ssl);
        return NULL;
    }
    /* a client closing without close_notify has still sent whole requests:
     * Content-Length delimits them */
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    return bev;
}

int pxc_listen_http_setup(struct listen_worker *w)
{
    /* every method reaches on_request, which answers 405 (not evhttp's 501) */
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD
                                            | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE
                                            | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE
                                            | EVHTTP_REQ_PATCH);
    evhttp_set_default_content_type(w->http, NULL);
    evhttp_set_gencb(w->http, on_request, w);
    evhttp_set_bevcb(w->http, w->l->ssl_ctx != NULL ? tls_bufferevent : plain_bufferevent, w);
    return 1;
}
